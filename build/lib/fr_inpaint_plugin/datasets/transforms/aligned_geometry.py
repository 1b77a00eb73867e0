"""Resize, crop and flip that move the image, its label and its mask together.

MMagic's ``Crop``/``Flip`` draw their random parameters per key, so an image and its label (or
mask) can be cut at different places. These transforms draw once per sample and apply the same
geometry to every spatial entry present: images (``gt``, ``img``: area/bilinear) and index maps
(``gt_seg_map``, ``mask``: nearest, so labels and holes stay exact). Random draws use numpy's
global generator, which MMEngine seeds per worker, as MMCV's own transforms do.
"""
from typing import Dict, Optional, Sequence, Tuple

import mmcv
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...utils import Size, as_hw

IMAGE_KEYS = ('gt', 'img')
INDEX_MAP_KEYS = ('gt_seg_map', 'mask')


def spatial_entries(results: dict) -> Dict[str, np.ndarray]:
    """The image/label/mask arrays of ``results``, checked to share one height and width."""
    entries = {k: results[k] for k in IMAGE_KEYS + INDEX_MAP_KEYS if results.get(k) is not None}
    shapes = {k: v.shape[:2] for k, v in entries.items()}
    if len(set(shapes.values())) > 1:
        raise ValueError(f'{results.get("gt_path")}: image, label and mask sizes differ '
                         f'{shapes}; they must be aligned before a shared transform')
    return entries


def working_size(size: Optional[Sequence[int]], results: dict) -> Tuple[int, int]:
    """The transform's own size, else the dataset's ``img_size`` (one value for the pipeline)."""
    if size is not None:
        return as_hw(size)
    if 'img_size' not in results:
        raise KeyError('no size given and no img_size in the results: give the transform a '
                       'size or use a dataset that sets img_size (InpaintSegDataset)')
    return as_hw(results['img_size'])


def _resize(array: np.ndarray, hw: Tuple[int, int], interpolation: str) -> np.ndarray:
    resized = mmcv.imresize(array, (hw[1], hw[0]), interpolation=interpolation)
    # cv2 drops a trailing channel axis of size 1 ((H, W, 1) masks); put it back.
    return resized.reshape(hw + array.shape[2:])


@TRANSFORMS.register_module()
class AlignedResize(BaseTransform):
    """Resize image, label and mask to the working size.

    Args:
        scale: (height, width) or int; None = the dataset's ``img_size``.
        keep_ratio: False resizes to exactly ``scale``; True keeps the aspect ratio and makes
            the image just cover ``scale`` (follow it with :class:`AlignedCrop`).
    """

    def __init__(self, scale: Optional[Size] = None, keep_ratio: bool = False):
        self.scale = scale
        self.keep_ratio = keep_ratio

    def transform(self, results: dict) -> dict:
        entries = spatial_entries(results)
        height, width = results['gt'].shape[:2]
        target = working_size(self.scale, results)
        if self.keep_ratio:
            factor = max(target[0] / height, target[1] / width)
            target = (max(target[0], round(height * factor)), max(target[1], round(width * factor)))
        # Area averaging when shrinking (no aliasing), bilinear when enlarging.
        image_interpolation = 'area' if target[0] * target[1] < height * width else 'bilinear'
        for key, array in entries.items():
            interpolation = image_interpolation if key in IMAGE_KEYS else 'nearest'
            results[key] = _resize(array, target, interpolation)
        results['img_shape'] = target
        return results


@TRANSFORMS.register_module()
class AlignedCrop(BaseTransform):
    """Crop image, label and mask at one place.

    Args:
        crop_size: (height, width) or int; None = the dataset's ``img_size``.
        random: True draws the corner per sample (training); False takes the centre (testing).
    """

    def __init__(self, crop_size: Optional[Size] = None, random: bool = True):
        self.crop_size = crop_size
        self.random = random

    def transform(self, results: dict) -> dict:
        entries = spatial_entries(results)
        height, width = results['gt'].shape[:2]
        crop_h, crop_w = working_size(self.crop_size, results)
        if crop_h > height or crop_w > width:
            raise ValueError(f'{results.get("gt_path")} is {height}x{width} here, smaller than '
                             f'the crop {crop_h}x{crop_w}; put AlignedResize(keep_ratio=True) '
                             'before the crop')
        if self.random:
            top = np.random.randint(height - crop_h + 1)
            left = np.random.randint(width - crop_w + 1)
        else:
            top, left = (height - crop_h) // 2, (width - crop_w) // 2
        for key, array in entries.items():
            results[key] = np.ascontiguousarray(array[top:top + crop_h, left:left + crop_w])
        results['img_shape'] = (crop_h, crop_w)
        results['crop_bbox'] = (top, left, crop_h, crop_w)
        return results


@TRANSFORMS.register_module()
class AlignedFlip(BaseTransform):
    """Flip image, label and mask together with probability ``prob``.

    Args:
        prob: flip probability.
        direction: ``'horizontal'``, ``'vertical'`` or ``'diagonal'`` (mmcv.imflip).
    """

    def __init__(self, prob: float = 0.5, direction: str = 'horizontal'):
        self.prob = prob
        self.direction = direction

    def transform(self, results: dict) -> dict:
        entries = spatial_entries(results)
        flip = bool(np.random.rand() < self.prob)
        if flip:
            for key, array in entries.items():
                results[key] = np.ascontiguousarray(mmcv.imflip(array, self.direction))
        results['flip'] = flip
        return results
