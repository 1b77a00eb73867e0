"""MMSeg's ``IoUMetric`` (mIoU, per-class IoU, ...) in the evaluators of MMagic and MMEngine.

MMagic's ``MultiValLoop``/``MultiTestLoop`` evaluate through MMagic's ``Evaluator``, which calls
``prepare``/``get_metric_sampler`` and ``evaluate()`` without a size, and turns MMagic
``DataSample`` outputs into dicts; MMSeg's ``IoUMetric`` has none of that and reads only
``pred_sem_seg``/``gt_sem_seg``. ``SegIoU`` adds the evaluator interface and finds the maps in
either convention; the computation is MMSeg's own (``intersect_and_union`` per image,
``total_area_to_metrics`` over the data set, ``compute_metrics`` for the summary).
"""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmagic.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.structures import BaseDataElement
from mmseg.evaluation.metrics import IoUMetric

from ..utils import IGNORE_INDEX

# Where the maps may be, in lookup order: MMSeg's SegDataSample fields, then MMagic's
# convention (labels in the sample as gt_seg_map; predictions in the sample or its ``output``).
GT_KEYS = ('gt_sem_seg', 'gt_seg_map')
PRED_KEYS = ('pred_sem_seg', 'pred_seg_map')
# The hole mask (1 = hole) that the segmentors' data preprocessor attaches to each sample: it
# marks what the coarse stage painted in on the I_inc view (models' HOLE_MASK_KEY, spelled out:
# evaluation imports no model of ours, tests/evaluation/test_dependencies.py).
HOLE_MASK_KEYS = ('hole_mask', )
REGIONS = ('hole', 'known')


def _as_dict(sample):
    return sample.to_dict() if isinstance(sample, BaseDataElement) else sample


def _label_map(value, where: str) -> torch.Tensor:
    """A (H, W) integer tensor from a PixelData/dict ``{'data': ...}``, a tensor or an array."""
    value = _as_dict(value)
    if isinstance(value, dict):
        if 'data' not in value:
            raise KeyError(f'{where} has no data (it has {sorted(value)})')
        value = value['data']
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value)
    if not isinstance(value, torch.Tensor):
        raise TypeError(f'{where} must be a tensor, an array or PixelData, '
                        f'got {type(value).__name__}')
    value = value.squeeze()
    if value.ndim != 2:
        raise ValueError(f'{where} must be one (H, W) map of class indices, got shape '
                         f'{tuple(value.shape)} (pass argmax indices, not logits)')
    return value


def _find(sample: dict, keys: Sequence[str], where: str, search_output: bool):
    places = [sample]
    if search_output and isinstance(_as_dict(sample.get('output')), dict):
        places.append(_as_dict(sample['output']))
    for place in places:
        for key in keys:
            if place.get(key) is not None:
                return _label_map(place[key], f'{where}: {key}')
    raise KeyError(f'{where} has none of {list(keys)}'
                   + (' (also looked in its output)' if search_output else '')
                   + f'; it has {sorted(sample)}')


@METRICS.register_module()
class SegIoU(IoUMetric):
    """MMSeg's ``IoUMetric`` for the evaluators and loops of MMagic and MMEngine.

    Reads the label map from ``gt_key`` (default: ``gt_sem_seg`` or ``gt_seg_map``) and the
    predicted class indices from ``pred_key`` (default: ``pred_sem_seg`` or ``pred_seg_map``,
    in the sample or in its ``output``), any of PixelData, ``{'data': ...}``, tensor or array.
    Pixels labelled ``ignore_index`` (255) do not count; a sample without any label (an
    unlabelled item) adds nothing.

    With ``region='hole'`` (or ``'known'``) only the pixels inside (outside) each sample's
    ``hole_mask`` are scored: on the coarse-inpainted view ``I_inc`` this separates what the
    segmentor makes of the painted-in content from the untouched part of the image.

    Results: MMSeg's summary (``aAcc``, ``mIoU``, and ``mAcc``/``mDice``/... as asked by
    ``iou_metrics``, in percent, ``nan_to_num`` applied) plus, with ``per_class=True``,
    ``IoU.<class>`` for every class (percent; nan for a class absent from labels and
    predictions unless ``nan_to_num``).

    Args:
        classes: class names, for runs without a dataset ``metainfo`` (tests, MMagic loops over
            datasets without one); otherwise the evaluator's ``dataset_meta['classes']``.
        per_class: also report ``IoU.<class>``.
        gt_key, pred_key: fixed keys instead of the lookup lists above.
        region: None (every labelled pixel), ``'hole'`` or ``'known'``.
        Other arguments: as MMSeg's ``IoUMetric``.
    """
    # MMagic's Evaluator groups metrics by these (like its sample-wise metrics: no sampling).
    SAMPLER_MODE = 'normal'
    sample_model = 'orig'
    default_prefix: Optional[str] = None

    def __init__(self,
                 ignore_index: int = IGNORE_INDEX,
                 iou_metrics: Sequence[str] = ('mIoU', ),
                 nan_to_num: Optional[int] = None,
                 beta: int = 1,
                 classes: Optional[Sequence[str]] = None,
                 per_class: bool = True,
                 gt_key: Optional[str] = None,
                 pred_key: Optional[str] = None,
                 region: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(ignore_index=ignore_index, iou_metrics=list(iou_metrics),
                         nan_to_num=nan_to_num, beta=beta, collect_device=collect_device,
                         prefix=prefix, **kwargs)
        self.classes = tuple(classes) if classes is not None else None
        self.per_class = per_class
        self.gt_keys = (gt_key, ) if gt_key else GT_KEYS
        self.pred_keys = (pred_key, ) if pred_key else PRED_KEYS
        if region not in (None, *REGIONS):
            raise ValueError(f'SegIoU region must be None or one of {REGIONS}, got {region!r}')
        self.region = region

    # ---------------------------------------------------------------- class names
    @property
    def class_names(self) -> tuple:
        if self.classes is not None:
            return self.classes
        meta = self.dataset_meta or {}
        if not meta.get('classes'):
            raise ValueError('SegIoU needs the class names: give it classes=(...), or evaluate '
                             "a dataset whose metainfo has 'classes'")
        return tuple(meta['classes'])

    # ------------------------------------------------------------ metric interface
    def process(self, data_batch, data_samples: Sequence) -> None:
        num_classes = len(self.class_names)
        for index, sample in enumerate(data_samples):
            sample = _as_dict(sample)
            where = f'SegIoU: data sample {index}'
            pred = _find(sample, self.pred_keys, where, search_output=True)
            label = _find(sample, self.gt_keys, where, search_output=False).to(pred)
            if pred.shape != label.shape:
                raise ValueError(f'{where}: prediction {tuple(pred.shape)} and label '
                                 f'{tuple(label.shape)} differ in size')
            if self.region is not None:
                label = self._restrict_to_region(sample, label, where)
            self.results.append(
                self.intersect_and_union(pred, label, num_classes, self.ignore_index))

    def _restrict_to_region(self, sample: dict, label: torch.Tensor, where: str) -> torch.Tensor:
        """``label`` with the pixels outside ``self.region`` set to ``ignore_index``."""
        try:
            hole = _find(sample, HOLE_MASK_KEYS, where, search_output=False)
        except KeyError as error:
            raise KeyError(f"{error.args[0]}. SegIoU(region='{self.region}') scores the "
                           'pixels inside or outside the hole masks: test with the segmentor\'s '
                           'inpaint_on_test=True and a mask list (the I_inc view)') from None
        # A mask padded with the batch may be larger than the label: its top-left part is ours.
        if hole.shape[0] < label.shape[0] or hole.shape[1] < label.shape[1]:
            raise ValueError(f'{where}: hole_mask {tuple(hole.shape)} is smaller than the label '
                             f'{tuple(label.shape)}')
        hole = hole[:label.shape[0], :label.shape[1]].to(label.device) > 0.5
        outside = ~hole if self.region == 'hole' else hole
        return label.masked_fill(outside, self.ignore_index)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        # MMSeg's summary (and its per-class table in the log) reads dataset_meta['classes'].
        own_meta = self._dataset_meta
        self._dataset_meta = {**(own_meta or {}), 'classes': self.class_names}
        try:
            metrics = dict(super().compute_metrics(results))
        finally:
            self._dataset_meta = own_meta
        if self.per_class:
            intersect, union, pred_area, label_area = (sum(part) for part in zip(*results))
            iou = self.total_area_to_metrics(intersect, union, pred_area, label_area, ['mIoU'],
                                             self.nan_to_num, self.beta)['IoU']
            for name, value in zip(self.class_names, np.asarray(iou, dtype=np.float64)):
                metrics[f'IoU.{name}'] = float(np.round(value * 100, 2))
        return {key: float(value) for key, value in metrics.items()}

    # -------------------------------------------- MMagic's Evaluator (MultiValLoop etc.)
    def prepare(self, module, dataloader) -> None:
        self.size = len(dataloader.dataset)
        if self.dataset_meta is None and hasattr(dataloader.dataset, 'metainfo'):
            self.dataset_meta = dataloader.dataset.metainfo

    def get_metric_sampler(self, model, dataloader, metrics):
        return dataloader

    def evaluate(self, size: Optional[int] = None) -> dict:
        """MMagic's ``Evaluator`` calls ``evaluate()`` after ``prepare``; MMEngine's calls
        ``evaluate(size)``."""
        if size is None:
            size = getattr(self, 'size', None)
            if size is None:
                raise RuntimeError('SegIoU.evaluate() without a size needs prepare() first '
                                   '(MMagic evaluator) or evaluate(size) (MMEngine evaluator)')
        return BaseMetric.evaluate(self, size)
