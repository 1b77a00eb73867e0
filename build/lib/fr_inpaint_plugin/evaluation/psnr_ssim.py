"""PSNR and SSIM per hole-ratio bucket, computed by MMagic's own ``psnr``/``ssim`` functions.

The per-image numbers are exactly MMagic's (same ``crop_border``/``convert_to`` options, float32
images in [0, 255], SSIM per channel then averaged, Gaussian window 11/1.5), except that PSNR is
capped at :data:`PSNR_CAP_DB` per image: MMagic returns ``inf`` for identical images, and one
``inf`` would make every average that includes it ``inf``. 100 dB means an MSE below
255**2 * 1e-10, far below any 8-bit difference (one grey level on one pixel of a 256x256 RGB
image is already 1e-6 of MSE, i.e. ~108 dB; a real inpainting result is far below 100 dB).
"""
from __future__ import annotations

from typing import List, Optional

import torch
from mmagic.evaluation.metrics.psnr import psnr
from mmagic.evaluation.metrics.ssim import ssim
from mmagic.registry import METRICS

from .base import MaskRatioMetric

PSNR_CAP_DB = 100.0


class _MMagicFunctionMetric(MaskRatioMetric):
    """Scores images on the CPU with one of MMagic's numpy metric functions."""

    def __init__(self, *args, crop_border: int = 0, convert_to: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if convert_to is not None and str(convert_to).lower() != 'y':
            raise ValueError(f"convert_to must be None or 'Y', got {convert_to!r}")
        self.crop_border = crop_border
        self.convert_to = convert_to

    def _score(self, gt, pred) -> float:
        raise NotImplementedError

    def score_batch(self, gts: List[torch.Tensor], preds: List[torch.Tensor]) -> List[float]:
        # The base hands over RGB images, so MMagic's functions are told 'rgb' (the order only
        # matters for convert_to='Y').
        return [self._score(gt.cpu().numpy(), pred.cpu().numpy()) for gt, pred in zip(gts, preds)]


@METRICS.register_module()
class MaskRatioPSNR(_MMagicFunctionMetric):
    """PSNR (dB) per hole-ratio bucket: keys ``PSNR@0-20``, ``PSNR@20-40``, ``PSNR@40-60``,
    ``PSNR@all`` by default.

    Args:
        crop_border: Pixels cropped from every edge before scoring (MMagic's option).
        convert_to: None (all channels) or ``'Y'`` (luma only), as in MMagic.
        max_db: The per-image cap, default 100 dB (identical images score 100, not inf).
        **kwargs: See :class:`~fr_inpaint_plugin.evaluation.base.MaskRatioMetric` (buckets,
            strict, keys, channel_order, prefix, ...).
    """
    metric = 'PSNR'

    def __init__(self, *args, max_db: float = PSNR_CAP_DB, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_db = float(max_db)

    def describe(self) -> str:
        return f'PSNR (dB, capped at {self.max_db:g} per image)'

    def _score(self, gt, pred) -> float:
        value = psnr(gt, pred, crop_border=self.crop_border, input_order='CHW',
                     convert_to=self.convert_to, channel_order='rgb')
        return min(float(value), self.max_db)


@METRICS.register_module()
class MaskRatioSSIM(_MMagicFunctionMetric):
    """SSIM per hole-ratio bucket: keys ``SSIM@0-20`` ... ``SSIM@all`` by default. Per image it
    equals MMagic's ``SSIM`` metric (images must be larger than the 11x11 window).

    Args:
        crop_border, convert_to: As in MMagic's SSIM.
        **kwargs: See :class:`~fr_inpaint_plugin.evaluation.base.MaskRatioMetric`.
    """
    metric = 'SSIM'

    def _score(self, gt, pred) -> float:
        return float(ssim(gt, pred, crop_border=self.crop_border, input_order='CHW',
                          convert_to=self.convert_to, channel_order='rgb'))
