"""Hole masks, in one place: reading them (one reader, one rule set for the datasets, the
transforms and the inference API), drawing free-form ones, their hole ratio and its buckets.

Polarity everywhere: 255 (or 1, or True: any non-zero maximum) = hole, 0 = known. The mask-list
tool measures a mask's hole ratio with exactly the functions the loading transform uses at run
time, and the evaluators group scores by the same buckets, so a mask listed in a bucket is
checked and scored by the same arithmetic.
"""
import warnings
from pathlib import Path
from typing import Optional, Sequence, Tuple, Union

import cv2
import mmcv
import numpy as np
from mmengine import fileio

from ..utils import Size, as_hw

Bucket = Tuple[float, float]
MaskSource = Union[str, Path, np.ndarray]

# The method reports each of these (low, high] hole-ratio ranges and their average.
HOLE_RATIO_BUCKETS: Tuple[Bucket, ...] = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6))
# No benchmark mask covers more than 60% of the image; one that is almost all hole was far more
# likely saved with the opposite polarity (0 = hole), and using it would silently replace the
# whole picture.
INVERTED_HOLE_RATIO = 0.9
# Pixels between 10% and 90% of the mask's peak are "grey". JPEG-saved or anti-aliased binary
# masks have a few along the hole borders (binarised, with a warning); a soft mask or a
# photograph has many (refused).
GREY_BAND = (0.1, 0.9)
MAX_GREY_FRACTION = 0.05
CONVENTION = 'holes are 255 (or 1), known pixels 0'


def mask_name(mask: MaskSource) -> str:
    """How messages name a mask: its file, or 'the mask array'."""
    return 'the mask array' if isinstance(mask, np.ndarray) else f'mask {mask}'


def polarity_hint(inverted: bool) -> str:
    """How to flip the polarity, for messages about masks that look inverted."""
    if inverted:
        return 'it was inverted on request: drop --invert-mask (invert_mask=False)'
    return ('if it marks its holes with 0, invert it (255 - mask), or pass --invert-mask '
            '(invert_mask=True) where the tool offers it')


def _read_values(mask: MaskSource) -> np.ndarray:
    """The mask's (H, W) grey values, from an array or a file."""
    if isinstance(mask, np.ndarray):
        values = mask[..., 0] if mask.ndim == 3 and mask.shape[2] == 1 else mask
        if values.ndim != 2:
            raise ValueError(f'the mask array must be HxW (uint8 or bool), got shape {mask.shape}')
        return values
    path, cause = str(mask), None
    try:
        values = mmcv.imfrombytes(fileio.get(path), flag='grayscale')
    except FileNotFoundError:
        raise FileNotFoundError(f'hole mask {path} does not exist: check the path (a mask list '
                                'names it: rebuild it with tools/make_mask_list.py or fix '
                                'mask_dir)') from None
    except Exception as error:  # cv2 raises assorted errors on corrupt bytes
        values, cause = None, error
    if values is None or values.size == 0:
        raise ValueError(f'cannot decode hole mask {path}: the file is corrupt or not an image; '
                         'replace it (or rebuild the mask list without it)') from cause
    return values


def read_hole_mask(mask: MaskSource, invert: bool = False) -> np.ndarray:
    """Read a mask file or array as an ``(H, W)`` bool array, True = hole.

    Rules: binarised at half its maximum; a few grey pixels (up to :data:`MAX_GREY_FRACTION`,
    e.g. JPEG edges) are accepted with a warning, more are refused as not a binary mask;
    ``invert`` flips the polarity; a mask that is all hole or more than
    :data:`INVERTED_HOLE_RATIO` hole is refused as inverted. A mask without holes is returned
    as is (the caller decides whether it may be empty). Errors name the file and the fix.
    """
    name = mask_name(mask)
    values = _read_values(mask).astype(np.float32)
    peak = float(values.max())
    if peak > 0:
        low, high = GREY_BAND
        grey = np.count_nonzero((values > low * peak) & (values < high * peak)) / values.size
        if grey > MAX_GREY_FRACTION:
            raise ValueError(
                f'{name} is not a binary mask: {grey:.1%} of its pixels are grey (between '
                f'{low:.0%} and {high:.0%} of its maximum). Give a black-and-white mask, '
                f'{CONVENTION}, e.g. thresholded at 128')
        if grey > 0:
            warnings.warn(f'{name} has {grey:.2%} grey pixels (JPEG or anti-aliased edges); '
                          f'binarised at {peak / 2:g} (>= is hole)')
    hole = values >= peak / 2 if peak > 0 else np.zeros(values.shape, bool)
    if invert:
        hole = ~hole
    ratio = hole_ratio(hole)
    if ratio == 1:
        raise ValueError(f'{name} is all hole: no known pixel to inpaint from, it looks '
                         f'inverted ({CONVENTION}); {polarity_hint(invert)}')
    if ratio > INVERTED_HOLE_RATIO:
        raise ValueError(f'{name} is {ratio:.1%} hole: it looks inverted ({CONVENTION}); '
                         f'{polarity_hint(invert)}')
    return hole


def resize_hole_mask(hole: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour resize of a bool hole mask to ``size`` = (height, width).

    Nearest keeps the mask binary, so no re-binarisation threshold can shift the ratio.
    """
    if hole.shape == tuple(size):
        return hole
    resized = mmcv.imresize(hole.astype(np.uint8), (size[1], size[0]), interpolation='nearest')
    return resized.astype(bool)


def hole_ratio(mask) -> float:
    """The fraction of ``mask`` in the hole: its mean (1 = hole, 0 = known), in float64, so that
    a mask with exactly 20 of 100 pixels in the hole gives exactly ``0.2``.

    ``mask`` is a bool or numeric numpy array or torch tensor of any shape ((1,H,W), (H,W,1),
    (H,W)) with values in [0, 1] (uint8 0/1 as MMagic stores them).
    """
    if hasattr(mask, 'detach'):  # torch tensor, on any device
        mask = mask.detach().cpu().numpy()
    mask = np.asarray(mask)
    if mask.size == 0:
        raise ValueError('the mask is empty')
    if mask.dtype == np.bool_:
        mask = mask.astype(np.uint8)
    if not np.issubdtype(mask.dtype, np.number):
        raise ValueError(f'the mask must be numeric, got dtype {mask.dtype}')
    low, high = float(mask.min()), float(mask.max())
    if low < 0 or high > 1:
        raise ValueError(f'the mask must lie in [0, 1] (1 = hole), got values in [{low}, {high}]'
                         ' (a 0/255 mask must be divided by 255 first)')
    return float(mask.astype(np.float64).mean())


def bucket_of(ratio: float, buckets: Sequence[Bucket] = HOLE_RATIO_BUCKETS) -> Optional[int]:
    """Index of the half-open bucket ``(low, high]`` that holds ``ratio``, or None: a ratio on
    an edge belongs to the lower bucket, and ``(0, ...]`` excludes a mask without holes."""
    for index, (low, high) in enumerate(buckets):
        if low < ratio <= high:
            return index
    return None


def format_bucket(bucket: Sequence[float]) -> str:
    return f'({bucket[0]:g},{bucket[1]:g}]'


def parse_bucket(text: str) -> Bucket:
    """Inverse of :func:`format_bucket`: ``'(0.2,0.4]'`` -> ``(0.2, 0.4)``."""
    if not (text.startswith('(') and text.endswith(']') and text.count(',') == 1):
        raise ValueError(f'a hole-ratio bucket is written (low,high], got {text!r}')
    low, high = text[1:-1].split(',')
    return float(low), float(high)


# ------------------------------------------------------------------------ drawing free-form holes
def _add_stroke(rng: np.random.Generator, mask: np.ndarray, scale: float) -> None:
    """A free-form brush stroke (a thick polyline with round joints) or, less often, an
    elliptic blob; ``scale`` shrinks both when a hole ratio must be approached finely."""
    height, width = mask.shape
    short_side = min(height, width)
    if rng.random() < 0.2:
        centre = (int(rng.integers(width)), int(rng.integers(height)))
        axes = tuple(max(1, int(a * scale * short_side)) for a in rng.uniform(0.05, 0.2, 2))
        cv2.ellipse(mask, centre, axes, float(rng.uniform(0, 180)), 0, 360, 255, -1)
        return
    thickness = max(1, int(rng.uniform(0.02, 0.09) * scale * short_side))
    point = np.array([rng.uniform(0, width), rng.uniform(0, height)])
    angle = rng.uniform(0, 2 * np.pi)
    for _vertex in range(rng.integers(2, 7)):
        angle += rng.uniform(-np.pi / 2, np.pi / 2)
        step = rng.uniform(0.05, 0.3) * scale * short_side
        end = point + step * np.array([np.cos(angle), np.sin(angle)])
        # LINE_8 rather than anti-aliased lines: the mask must stay strictly 0/255.
        cv2.line(mask, tuple(int(v) for v in point), tuple(int(v) for v in end), 255,
                 thickness, cv2.LINE_8)
        point = np.clip(end, 0, [width - 1, height - 1])


def make_irregular_mask(rng: np.random.Generator, size: Size,
                        hole_ratio_range: Sequence[float]) -> np.ndarray:
    """Free-form hole mask whose hole ratio lies in ``(low, high]``.

    Strokes and blobs are added until the ratio reaches a target drawn uniformly from the
    range; a stroke that overshoots ``high`` is undone and later ones are drawn smaller. The
    generator ``rng`` is the only source of randomness (MMagic's ``get_irregular_mask`` redraws
    from numpy's global state until a draw happens to fit).

    Returns:
        ``(H, W)`` uint8 mask, 255 = hole, 0 = known.
    """
    low, high = hole_ratio_range
    if not 0.0 <= low < high <= 1.0:
        raise ValueError(f'hole_ratio_range must satisfy 0 <= low < high <= 1, got '
                         f'{hole_ratio_range}')
    hw = as_hw(size)
    num_pixels = hw[0] * hw[1]
    for _attempt in range(20):
        target = rng.uniform(low, high)
        mask = np.zeros(hw, np.uint8)
        scale = 1.0
        for _stroke in range(500):
            candidate = mask.copy()
            _add_stroke(rng, candidate, scale)
            ratio = np.count_nonzero(candidate) / num_pixels
            if ratio > high:
                scale *= 0.7
                continue
            mask = candidate
            if ratio > low and ratio >= target:
                return mask
    raise RuntimeError(f'could not draw a mask with a hole ratio in {hole_ratio_range}')
