"""Reading hole masks and measuring their hole ratio, the one way every tool and transform does it.

Polarity everywhere: 255 (or 1, or any non-zero maximum) = hole, 0 = known. The mask-list tool
measures a mask's hole ratio with exactly the functions the loading transform uses at run time,
so a mask listed in a bucket is checked against that bucket by the same arithmetic.
"""
import warnings
from typing import Optional, Sequence, Tuple

import mmcv
import numpy as np
from mmengine import fileio

from .demo_scenes import MASK_HOLE_RATIO_BUCKETS

# The method reports each of these (low, high] hole-ratio ranges and their average.
HOLE_RATIO_BUCKETS: Tuple[Tuple[float, float], ...] = MASK_HOLE_RATIO_BUCKETS
# No benchmark mask covers more than 60% of the image; one that is almost all hole is far more
# likely a mask saved with the opposite polarity (255 = known) than a real hole.
INVERTED_HOLE_RATIO = 0.95


def read_hole_mask(path: str) -> np.ndarray:
    """Read a mask file as an ``(H, W)`` bool array, True = hole.

    Non-binary masks (anti-aliased edges, JPEG artefacts) are binarised at half their maximum,
    with a warning. Raises when the file is unreadable or when the mask looks inverted.
    """
    cause = None
    try:
        mask = mmcv.imfrombytes(fileio.get(path), flag='grayscale')
    except FileNotFoundError:
        raise FileNotFoundError(f'hole mask {path} does not exist: rebuild the mask list '
                                '(tools/make_mask_list.py) or fix mask_dir') from None
    except Exception as error:  # cv2 raises assorted errors on corrupt bytes
        mask, cause = None, error
    if mask is None or mask.size == 0:
        raise ValueError(f'cannot decode hole mask {path}: the file is corrupt or not an image; '
                         'replace it or rebuild the mask list without it') from cause
    peak = int(mask.max())
    if peak == 0:
        return np.zeros(mask.shape, bool)
    hole = mask >= peak / 2
    if np.count_nonzero((mask != 0) & (mask != peak)):
        warnings.warn(f'hole mask {path} is not binary (values other than 0 and {peak}); it '
                      f'was binarised at {peak / 2:g} (>= is hole)')
    ratio = np.count_nonzero(hole) / hole.size
    if ratio > INVERTED_HOLE_RATIO:
        raise ValueError(f'hole mask {path} is {ratio:.1%} hole: it looks inverted. This project '
                         'reads 255 (non-zero) as hole and 0 as known; invert it (255 - mask)')
    return hole


def resize_hole_mask(hole: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour resize of a bool hole mask to ``size`` = (height, width).

    Nearest keeps the mask binary, so no re-binarisation threshold can shift the ratio.
    """
    if hole.shape == tuple(size):
        return hole
    resized = mmcv.imresize(hole.astype(np.uint8), (size[1], size[0]), interpolation='nearest')
    return resized.astype(bool)


def hole_ratio(hole: np.ndarray) -> float:
    return float(np.count_nonzero(hole) / hole.size)


def bucket_of(ratio: float,
              buckets: Sequence[Tuple[float, float]] = HOLE_RATIO_BUCKETS) -> Optional[int]:
    """Index of the (low, high] bucket that holds ``ratio``, or None."""
    for index, (low, high) in enumerate(buckets):
        if low < ratio <= high:
            return index
    return None


def format_bucket(bucket: Sequence[float]) -> str:
    return f'({bucket[0]:g},{bucket[1]:g}]'


def parse_bucket(text: str) -> Tuple[float, float]:
    """Inverse of :func:`format_bucket`: ``'(0.2,0.4]'`` -> ``(0.2, 0.4)``."""
    if not (text.startswith('(') and text.endswith(']') and text.count(',') == 1):
        raise ValueError(f'a hole-ratio bucket is written (low,high], got {text!r}')
    low, high = text[1:-1].split(',')
    return float(low), float(high)
