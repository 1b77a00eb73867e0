"""The strong augmentation that self-training applies to pseudo-labelled images (ST++, which
CISC-R's training code builds on): the student sees a harder view of an image than the teacher
that labelled it, so it learns more than the teacher's own predictions."""
import math
from typing import Tuple

import numpy as np
import torch
import torchvision.transforms.functional as TF
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from torchvision.transforms import ColorJitter, RandomErasing


@TRANSFORMS.register_module()
class PseudoLabelStrongAugment(BaseTransform):
    """On items that carry a pseudo-label (``LoadPseudoLabel`` set ``pseudo_label_path``):
    colour jitter, grayscale, Gaussian blur and cutout, each with its own probability, as
    CISC-R/ST++ do for their unlabelled images. Cutout fills a box of the image with random
    colours and sets the label there to ``ignore_index``. Labelled items, and every item of a
    phase without pseudo-labels, pass unchanged by default; so the transform sits in the shared
    training pipeline and acts only in the student phases (segmentation steps 4-5).
    ``labelled_prob`` > 0 also augments that share of the labelled items (not CISC-R's): a
    labelled-only segmentor trained so is the control that tells what a student gains from its
    pseudo-labels from what it gains from the strong augmentation alone.

    Random draws use torch's generator, which MMEngine seeds per dataloader worker.

    Args:
        jitter_prob: probability of ``ColorJitter(*jitter)``.
        jitter: brightness, contrast, saturation, hue of the colour jitter.
        grayscale_prob: probability of turning the image grey (3 equal channels).
        blur_prob: probability of a Gaussian blur with sigma drawn from ``blur_sigma``.
        blur_sigma: (min, max) sigma in pixels at the working size.
        cutout_prob: probability of one cutout box.
        cutout_area: (min, max) fraction of the image the box covers.
        cutout_aspect: (min, max) height/width ratio of the box.
        key: results key of the image (the clean image the segmentor sees).
        labelled_prob: probability that an item without a pseudo-label is augmented too.

    Required keys: ``key``, ``gt_seg_map``, ``ignore_index``; ``pseudo_label_path`` (absent or
    None = a labelled item). Modified keys: ``key``, ``gt_seg_map``.
    """

    def __init__(self,
                 jitter_prob: float = 0.8,
                 jitter: Tuple[float, float, float, float] = (0.5, 0.5, 0.5, 0.25),
                 grayscale_prob: float = 0.2,
                 blur_prob: float = 0.5,
                 blur_sigma: Tuple[float, float] = (0.1, 2.0),
                 cutout_prob: float = 0.5,
                 cutout_area: Tuple[float, float] = (0.02, 0.4),
                 cutout_aspect: Tuple[float, float] = (0.3, 1 / 0.3),
                 key: str = 'gt',
                 labelled_prob: float = 0.):
        for name, prob in dict(jitter_prob=jitter_prob, grayscale_prob=grayscale_prob,
                               blur_prob=blur_prob, cutout_prob=cutout_prob,
                               labelled_prob=labelled_prob).items():
            if not 0 <= prob <= 1:
                raise ValueError(f'{name} must be in [0, 1], got {prob}')
        self.jitter_prob = jitter_prob
        self.color_jitter = ColorJitter(*jitter)
        self.grayscale_prob = grayscale_prob
        self.blur_prob = blur_prob
        self.blur_sigma = tuple(blur_sigma)
        self.cutout_prob = cutout_prob
        self.cutout_area = tuple(cutout_area)
        self.cutout_aspect = tuple(cutout_aspect)
        self.key = key
        self.labelled_prob = labelled_prob

    @staticmethod
    def _happens(prob: float) -> bool:
        return bool(torch.rand(()) < prob)

    def _blur(self, image: torch.Tensor) -> torch.Tensor:
        low, high = self.blur_sigma
        sigma = low + (high - low) * float(torch.rand(()))
        size = 2 * math.ceil(3 * sigma) + 1  # the kernel covers +-3 sigma
        return TF.gaussian_blur(image, [size, size], [sigma, sigma])

    def _cutout(self, image: torch.Tensor, label: np.ndarray, ignore_index: int) -> None:
        top, left, height, width, _ = RandomErasing.get_params(
            image, scale=self.cutout_area, ratio=self.cutout_aspect, value=[0])
        image[:, top:top + height, left:left + width] = torch.randint(
            0, 256, (image.shape[0], height, width), dtype=image.dtype)
        label[top:top + height, left:left + width] = ignore_index

    def _acts_on(self, results: dict) -> bool:
        if results.get('pseudo_label_path') is not None:
            return True
        # no draw at 0, so the default keeps the random stream (and results) it always had
        return self.labelled_prob > 0 and self._happens(self.labelled_prob)

    def transform(self, results: dict) -> dict:
        if not self._acts_on(results):
            return results
        array = results[self.key]
        if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3:
            raise ValueError(f'{results.get("gt_path")}: PseudoLabelStrongAugment needs an '
                             f'8-bit 3-channel image under {self.key!r}, got {array.dtype} '
                             f'{array.shape}; place it after the image is loaded as RGB')
        image = torch.from_numpy(np.ascontiguousarray(array)).permute(2, 0, 1)
        label = results['gt_seg_map'].copy()
        if self._happens(self.jitter_prob):
            image = self.color_jitter(image)
        if self._happens(self.grayscale_prob):
            image = TF.rgb_to_grayscale(image, num_output_channels=3)
        if self._happens(self.blur_prob):
            image = self._blur(image)
        image = image.contiguous()
        if self._happens(self.cutout_prob):
            self._cutout(image, label, results['ignore_index'])
        results[self.key] = image.permute(1, 2, 0).numpy().copy()
        results['gt_seg_map'] = label
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(jitter_prob={self.jitter_prob}, '
                f'grayscale_prob={self.grayscale_prob}, blur_prob={self.blur_prob}, '
                f'cutout_prob={self.cutout_prob}, key={self.key!r}, '
                f'labelled_prob={self.labelled_prob})')
