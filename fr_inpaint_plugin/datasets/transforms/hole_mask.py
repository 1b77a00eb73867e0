"""Where the hole mask of a sample comes from: a fixed file (testing) or drawn on the fly.

Both write ``mask`` as (H, W, 1) float32, 1 = hole, at the image's current size, and
``hole_ratio`` (the hole fraction of that mask). Place them after the image has reached the
working size, so holes are drawn or resized once at the resolution the model sees.
"""
from typing import Tuple

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ..hole_masks import (
    format_bucket,
    hole_ratio,
    make_irregular_mask,
    read_hole_mask,
    resize_hole_mask,
)

# A mask whose aspect ratio differs from its image's by more than this would be stretched.
ASPECT_RATIO_TOLERANCE = 0.02


def _set_mask(results: dict, hole: np.ndarray) -> dict:
    results['mask'] = hole[..., None].astype(np.float32)
    results['hole_ratio'] = hole_ratio(hole)
    return results


@TRANSFORMS.register_module()
class LoadMaskFromList(BaseTransform):
    """Read the item's fixed mask (``mask_path``, paired by the dataset's mask list).

    The mask is read by :func:`read_hole_mask` (binarised, refused when grey or inverted),
    measured at the list's size and checked against its listed bucket (a mask file changed
    since the list was built would silently move scores between buckets), then resized
    (nearest) to the image.

    Required keys: ``mask_path``, ``mask_bucket``, ``mask_list``, ``mask_list_size``,
    ``gt_path`` and the image under ``img_key``. Added keys: ``mask``, ``hole_ratio``.
    """

    def __init__(self, img_key: str = 'gt'):
        self.img_key = img_key

    def transform(self, results: dict) -> dict:
        path, image_path = results['mask_path'], results['gt_path']
        if path is None:
            raise ValueError(f'{image_path} has no fixed mask: give the dataset a mask_list, or '
                             'use GenerateIrregularMask in this pipeline')
        hole = read_hole_mask(path)
        height, width = results[self.img_key].shape[:2]
        mask_aspect, image_aspect = hole.shape[0] / hole.shape[1], height / width
        if abs(mask_aspect - image_aspect) > ASPECT_RATIO_TOLERANCE * image_aspect:
            raise ValueError(
                f'mask {path} is {hole.shape[0]}x{hole.shape[1]} but image {image_path} is '
                f'{height}x{width} at this point of the pipeline; resizing would stretch the '
                'holes. Load the mask after AlignedResize/AlignedCrop bring the image to the '
                "working size, or use masks with the image's aspect ratio")
        self._check_bucket(hole, path, results)
        return _set_mask(results, resize_hole_mask(hole, (height, width)))

    @staticmethod
    def _check_bucket(hole: np.ndarray, path: str, results: dict) -> None:
        size, (low, high) = results['mask_list_size'], results['mask_bucket']
        ratio = hole_ratio(resize_hole_mask(hole, size))
        if not low < ratio <= high:
            raise ValueError(
                f'mask {path} has a hole ratio of {ratio:.4f} at {size[0]}x{size[1]}, outside '
                f'its bucket {format_bucket((low, high))} in {results["mask_list"]}; the mask '
                'changed since the list was built: rebuild the list (tools/make_mask_list.py)')


@TRANSFORMS.register_module()
class GenerateIrregularMask(BaseTransform):
    """Draw a free-form mask (brush strokes and blobs) with a hole ratio in ``(low, high]``.

    The generator takes an explicit random generator and meets the ratio range by construction
    (MMagic's ``get_irregular_mask`` redraws from numpy's global state until a draw happens to
    fit), so a seeded draw never disturbs the crop/flip draws.

    Args:
        hole_ratio_range: ``(low, high]`` hole fraction of each mask.
        seed: None draws new masks every time (training; reproducible under MMEngine's seed).
            An int fixes the mask of each sample index: ``(seed, sample_idx)`` seeds it, so
            validation sees the same masks in every run and epoch.
        img_key: the image whose size the mask takes.
    """

    def __init__(self, hole_ratio_range: Tuple[float, float] = (0.05, 0.6), seed=None,
                 img_key: str = 'gt'):
        self.hole_ratio_range = tuple(hole_ratio_range)
        self.seed = seed
        self.img_key = img_key

    def transform(self, results: dict) -> dict:
        if self.seed is None:
            rng = np.random.default_rng(np.random.randint(2**31))
        else:
            rng = np.random.default_rng([self.seed, results['sample_idx']])
        height, width = results[self.img_key].shape[:2]
        return _set_mask(results, make_irregular_mask(rng, (height, width),
                                                      self.hole_ratio_range) > 0)
