"""The shared base of the per-hole-ratio metrics: reading MMagic's inpainting data samples,
bucketing by the mask's hole ratio, and running under both MMagic's and MMEngine's loops.

Data contract (MMagic's inpainting convention in val/test). Each data sample reaching
``process`` (a dict, as both MMagic's and MMEngine's ``Evaluator`` pass them, or a
``DataSample``) holds

* ``gt_img``: (3,H,W), 0-255, unnormalised (MMagic's ``DataPreprocessor`` leaves it so outside
  training);
* ``mask``: (1,H,W) (any shape of H*W elements), values in [0, 1], 1 = hole;
* ``output.pred_img``: (3,H,W), 0-255: the composited output, destructed by the model's data
  preprocessor (``destruct`` clamps it to [0, 255]; it is not rounded, as in MMagic's metrics).

Channel order: in val/test MMagic converts ``gt_img`` to BGR and ``destruct`` converts
predictions to BGR, so both reach the metrics in BGR (MMagic's own PSNR/SSIM also assume BGR).
``channel_order`` states the order of *both* images (default ``'BGR'``); when a sample records
``<gt_key>_output_channel_order`` in its metainfo and it contradicts ``channel_order``, processing
fails rather than scoring swapped channels. Images are handed to subclasses as RGB.

The metric scores each image over the whole image (the composited output against the ground
truth; the known region is identical by construction), which is the standard inpainting protocol
and the paper's; MMagic's own PSNR/SSIM do the same (they ignore ``mask_key``).
"""
from __future__ import annotations

import logging
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmagic.evaluation.metrics.base_sample_wise_metric import BaseSampleWiseMetric
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.structures import BaseDataElement

from ..datasets.hole_masks import HOLE_RATIO_BUCKETS, hole_ratio
from .buckets import MaskRatioBuckets

RATIO_KEY = 'hole_ratio'
_CHANNEL_ORDERS = ('RGB', 'BGR')
_INPUT_ORDERS = ('CHW', 'HWC')


def _as_dict(sample) -> dict:
    return sample.to_dict() if isinstance(sample, BaseDataElement) else sample


def _field(container, key: str, where: str):
    """``container[key]``, also through MMagic's legacy ``{'data': ...}`` nesting (the same
    lookup as MMagic's ``obtain_data``), with an error naming what is missing."""
    container = _as_dict(container)
    if not isinstance(container, dict):
        raise TypeError(f'{where} must be a dict or a DataSample, got {type(container).__name__}')
    if key in container:
        return container[key]
    for nested in ('data_samples', 'data'):
        if isinstance(container.get(nested), (dict, BaseDataElement)):
            return _field(container[nested], key, where)
    raise KeyError(f'{where} has no {key!r} (it has {sorted(container)})')


class MaskRatioMetric(BaseSampleWiseMetric):
    """Scores every image and reports the mean per hole-ratio bucket and over all images.

    Subclasses set ``metric`` (the key stem, e.g. ``'PSNR'``) and implement
    :meth:`score_batch`. Result keys: ``<metric>@<low>-<high>`` per bucket (percentages,
    ``PSNR@0-20``) and ``<metric>@all``, optionally behind ``prefix/``. Choices on edges, empty
    buckets and images outside every bucket: see :mod:`fr_inpaint_plugin.evaluation.buckets`.

    Runs under MMagic's ``MultiValLoop``/``MultiTestLoop`` (with MMagic's ``Evaluator``, which
    calls ``prepare`` and ``evaluate()``) and under MMEngine's ``ValLoop``/``TestLoop`` (with
    MMEngine's ``Evaluator``, which calls ``evaluate(size)``).

    Args:
        gt_key, pred_key, mask_key: Keys of the ground truth (in the sample), the prediction (in
            the sample's ``output``) and the mask (in the sample).
        buckets: ``(low, high)`` hole-ratio pairs, each meaning ``low < ratio <= high``.
            Default ``[(0, 0.2), (0.2, 0.4), (0.4, 0.6)]``.
        strict: If True, an image whose hole ratio lies outside every bucket is an error;
            otherwise it counts in ``@all`` only, with a one-time warning.
        channel_order: Channel order of both images, ``'BGR'`` (MMagic's val/test convention)
            or ``'RGB'``.
        input_order: ``'CHW'`` (MMagic's convention) or ``'HWC'``.
        collect_device: Device used to collect results across ranks, ``'cpu'`` or ``'gpu'``.
        prefix: Prefix of the result keys (``prefix/PSNR@0-20``).
    """

    def __init__(self,
                 gt_key: str = 'gt_img',
                 pred_key: str = 'pred_img',
                 mask_key: str = 'mask',
                 buckets: Sequence[Sequence[float]] = HOLE_RATIO_BUCKETS,
                 strict: bool = False,
                 channel_order: str = 'BGR',
                 input_order: str = 'CHW',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        # MMagic's base would use mask_key to mask the images; process() below replaces its
        # process and reads the mask only for the hole ratio.
        super().__init__(gt_key=gt_key, pred_key=pred_key, mask_key=None,
                         collect_device=collect_device, prefix=prefix)
        if channel_order.upper() not in _CHANNEL_ORDERS:
            raise ValueError(f'channel_order must be one of {_CHANNEL_ORDERS}, '
                             f'got {channel_order!r}')
        if input_order not in _INPUT_ORDERS:
            raise ValueError(f'input_order must be one of {_INPUT_ORDERS}, got {input_order!r}')
        self.mask_key = mask_key  # only the hole ratio is read from it; scores use whole images
        self.buckets = MaskRatioBuckets(buckets)
        self.strict = strict
        self.channel_order = channel_order.upper()
        self.input_order = input_order
        self._warned_outside = False

    # ------------------------------------------------------------------------------------------
    # What subclasses provide

    def score_batch(self, gts: List[torch.Tensor], preds: List[torch.Tensor]) -> List[float]:
        """One score per image. ``gts[i]``/``preds[i]`` are float32 (3,H,W) RGB tensors in
        [0, 255] on the device the data came on (the accelerator if either image was there);
        pairs share a shape and a device, images of a batch may differ."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short description logged with the results (e.g. LPIPS' backbone, PSNR's cap)."""
        return self.metric

    # ------------------------------------------------------------------------------------------
    # MMEngine's metric interface

    def process(self, data_batch, data_samples: Sequence) -> None:
        gts, preds, ratios = [], [], []
        for index, sample in enumerate(data_samples):
            sample = _as_dict(sample)
            where = f'{type(self).__name__}: data sample {index}'
            if not isinstance(sample, dict):
                raise TypeError(f'{where}: expected a dict or a DataSample, '
                                f'got {type(sample).__name__}')
            path = next((sample[key] for key in ('gt_path', 'img_path')
                         if isinstance(sample.get(key), str)), None)
            if path:
                where += f' ({path})'
            self._check_channel_order(sample, where)
            gt = self._image(_field(sample, self.gt_key, where), f'{where}: {self.gt_key}')
            pred = self._image(_field(_field(sample, 'output', where), self.pred_key,
                                      f'{where}: output'),
                               f'{where}: output.{self.pred_key}')
            if gt.shape != pred.shape:
                raise ValueError(f'{where}: {self.gt_key} {tuple(gt.shape)} and '
                                 f'{self.pred_key} {tuple(pred.shape)} differ in shape')
            mask = _field(sample, self.mask_key, where)
            if int(np.prod(tuple(mask.shape))) != gt.shape[1] * gt.shape[2]:
                raise ValueError(f'{where}: {self.mask_key} {tuple(mask.shape)} does not '
                                 f'match the image size {tuple(gt.shape[1:])}')
            ratio = hole_ratio(mask)
            self._check_bucket(ratio, where)
            # Keep the pair where the data is: on the accelerator if either image is there.
            device = gt.device if gt.device.type != 'cpu' else pred.device
            gts.append(gt.to(device))
            preds.append(pred.to(device))
            ratios.append(ratio)
        if not gts:
            return
        scores = self.score_batch(gts, preds)
        for ratio, score in zip(ratios, scores, strict=True):
            self.results.append({RATIO_KEY: ratio, self.metric: float(score)})

    def compute_metrics(self, results: List[dict]) -> dict:
        ratios = [result[RATIO_KEY] for result in results]
        metrics = self.buckets.summarise(self.metric, ratios,
                                         [result[self.metric] for result in results])
        counts = self.buckets.counts(ratios)
        empty = [label for label in self.buckets.labels if counts[label] == 0]
        print_log(
            f'{self.describe()} over {counts["all"]} images; per hole-ratio bucket: '
            + ', '.join(f'{label}%: {counts[label]}' for label in self.buckets.labels)
            + f', outside every bucket: {counts[None]}', logger='current')
        if empty:
            print_log(f'{self.describe()}: no image in bucket(s) '
                      f'{", ".join(label + "%" for label in empty)}; reported as nan',
                      logger='current', level=logging.WARNING)
        return metrics

    def evaluate(self, size: Optional[int] = None) -> dict:
        """MMagic's ``Evaluator`` calls ``evaluate()`` after ``prepare`` recorded the dataset
        size; MMEngine's calls ``evaluate(size)``."""
        if size is None:
            size = getattr(self, 'size', None)
        return BaseMetric.evaluate(self, size)

    # ------------------------------------------------------------------------------------------
    # Helpers

    def _check_channel_order(self, sample: dict, where: str) -> None:
        recorded = sample.get(f'{self.gt_key}_output_channel_order')
        if isinstance(recorded, (list, tuple)):  # a stacked sample that was not split
            recorded = recorded[0] if recorded else None
        if (isinstance(recorded, str) and recorded.upper() in _CHANNEL_ORDERS
                and recorded.upper() != self.channel_order):
            raise ValueError(
                f'{where}: {self.gt_key} is {recorded.upper()} according to its metainfo, but '
                f'the metric was configured with channel_order={self.channel_order!r}')

    def _check_bucket(self, ratio: float, where: str) -> None:
        if self.buckets.find(ratio) is not None:
            return
        message = (f'{where}: hole ratio {ratio:.4f} lies outside every bucket '
                   f'{[f"({low:g}, {high:g}]" for low, high in self.buckets.bounds]}')
        if self.strict:
            raise ValueError(message + ' (strict=True)')
        if not self._warned_outside:
            print_log(message + f'; such images count in {self.metric}@all only (warned once)',
                      logger='current', level=logging.WARNING)
            self._warned_outside = True

    def _image(self, image, where: str) -> torch.Tensor:
        """A float32 (3,H,W) RGB tensor in [0, 255] on the image's own device."""
        if isinstance(image, np.ndarray):
            image = torch.from_numpy(np.ascontiguousarray(image))
        elif not isinstance(image, torch.Tensor):
            raise TypeError(f'{where}: expected a tensor or a numpy array, '
                            f'got {type(image).__name__}')
        if image.ndim == 4 and image.shape[0] == 1:
            image = image[0]
        if self.input_order == 'HWC' and image.ndim == 3:
            image = image.permute(2, 0, 1)
        if image.ndim != 3 or image.shape[0] != 3:
            raise ValueError(f'{where}: expected a 3-channel image in {self.input_order} order, '
                             f'got shape {tuple(image.shape)}')
        image = image.detach().float()
        low, high = image.aminmax()
        if low < 0 or high > 255:
            raise ValueError(f'{where}: values must lie in [0, 255], got [{low:.3f}, {high:.3f}] '
                             '(destruct model outputs with the data preprocessor first)')
        if self.channel_order == 'BGR':
            image = image.flip(0)
        return image.contiguous()


def stack_by_shape(gts: List[torch.Tensor], preds: List[torch.Tensor]
                   ) -> List[Tuple[List[int], torch.Tensor, torch.Tensor]]:
    """Group image pairs of equal shape and device into batches: ``(indices, gt, pred)``."""
    groups = {}
    for index, (gt, pred) in enumerate(zip(gts, preds)):
        groups.setdefault((tuple(gt.shape), gt.device), []).append(index)
    return [(indices, torch.stack([gts[i] for i in indices]),
             torch.stack([preds[i] for i in indices])) for indices in groups.values()]
