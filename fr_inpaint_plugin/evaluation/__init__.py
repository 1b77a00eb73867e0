"""Evaluation: PSNR, SSIM and LPIPS per mask hole-ratio bucket, as MMagic/MMEngine metrics.

Registered in MMagic's ``METRICS``: ``MaskRatioPSNR``, ``MaskRatioSSIM``, ``LPIPS`` (alias
``MaskRatioLPIPS``). Each reports ``<METRIC>@0-20``, ``<METRIC>@20-40``, ``<METRIC>@40-60`` and
``<METRIC>@all`` by default; ``SegIoU`` runs MMSeg's IoU metric in the same evaluator. This
package judges any model: it imports no model of ours.
"""
from .base import MaskRatioMetric
from .buckets import MaskRatioBuckets
from .lpips_metric import LPIPS_NETS, MaskRatioLPIPS, build_lpips, lpips_distance, lpips_scores
from .psnr_ssim import PSNR_CAP_DB, MaskRatioPSNR, MaskRatioSSIM
from .seg_iou import SegIoU

__all__ = [
    'LPIPS_NETS', 'PSNR_CAP_DB', 'MaskRatioBuckets', 'MaskRatioLPIPS',
    'MaskRatioMetric', 'MaskRatioPSNR', 'MaskRatioSSIM', 'SegIoU', 'build_lpips',
    'lpips_distance', 'lpips_scores'
]
