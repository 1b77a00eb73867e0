"""SegIoU: MMSeg's IoU in MMEngine's and MMagic's evaluators, on hand-made predictions."""
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmagic.evaluation import Evaluator as MMagicEvaluator
from mmagic.models.data_preprocessors import DataPreprocessor
from mmagic.structures import DataSample
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from fr_inpaint_plugin.evaluation.seg_iou import HOLE_MASK_KEYS, SegIoU
from fr_inpaint_plugin.models.segmentors import HOLE_MASK_KEY

from .samples import hole_mask, make_sample, smooth_image

CLASSES = ('sky', 'road', 'car')
# Two 2x4 images. Image 0: label / prediction; image 1 has ignored (255) pixels.
LABELS = [np.array([[0, 0, 1, 1], [2, 2, 1, 1]]), np.array([[0, 0, 255, 255], [1, 1, 1, 1]])]
PREDS = [np.array([[0, 0, 1, 0], [2, 1, 1, 1]]), np.array([[0, 1, 2, 2], [1, 1, 1, 1]])]
# By hand, over both images (ignored pixels dropped), union = label + pred - intersection:
# class 0: intersection 2 + 1 = 3, label 2 + 2 = 4, pred 3 + 1 = 4 -> union 5;
# class 1: intersection 3 + 4 = 7, label 4 + 4 = 8, pred 4 + 5 = 9 -> union 10;
# class 2: intersection 1, label 2, pred 1 (its other predictions lie on ignored pixels) -> 2.
EXPECTED_IOU = dict(sky=3 / 5, road=7 / 10, car=1 / 2)
EXPECTED_AACC = (3 + 7 + 1) / 14


def seg_samples():
    """MMSeg's convention: SegDataSample with gt_sem_seg / pred_sem_seg."""
    samples = []
    for label, pred in zip(LABELS, PREDS):
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(data=torch.from_numpy(label)[None])
        sample.pred_sem_seg = PixelData(data=torch.from_numpy(pred)[None])
        samples.append(sample)
    return samples


def mmagic_samples():
    """Our convention: gt_seg_map (1,H,W) uint8 in the sample, the prediction in its output."""
    samples = []
    for label, pred in zip(LABELS, PREDS):
        sample = DataSample(gt_seg_map=torch.from_numpy(label.astype(np.uint8))[None])
        sample.output = DataSample(pred_seg_map=torch.from_numpy(pred)[None])
        samples.append(sample)
    return samples


def check(metrics, prefix=''):
    assert metrics[prefix + 'mIoU'] == pytest.approx(
        100 * np.mean(list(EXPECTED_IOU.values())), abs=0.01)
    assert metrics[prefix + 'aAcc'] == pytest.approx(100 * EXPECTED_AACC, abs=0.01)
    for name, iou in EXPECTED_IOU.items():
        assert metrics[f'{prefix}IoU.{name}'] == pytest.approx(100 * iou, abs=0.01)


@pytest.mark.parametrize('make', [seg_samples, mmagic_samples])
def test_known_iou_under_mmengine_evaluator(make):
    with DefaultScope.overwrite_default_scope('mmagic'):
        evaluator = Evaluator(dict(type='SegIoU', classes=CLASSES))
    batch = make()
    evaluator.process(data_samples=batch[:1], data_batch=None)
    evaluator.process(data_samples=batch[1:], data_batch=None)
    check(evaluator.evaluate(len(batch)))


def test_dataset_meta_gives_the_classes():
    with DefaultScope.overwrite_default_scope('mmagic'):
        evaluator = Evaluator(dict(type='SegIoU', iou_metrics=['mIoU', 'mDice']))
    evaluator.dataset_meta = dict(classes=CLASSES)
    evaluator.process(data_samples=seg_samples(), data_batch=None)
    metrics = evaluator.evaluate(2)
    check(metrics)
    dice = [2 * 3 / (4 + 4), 2 * 7 / (8 + 9), 2 * 1 / (2 + 1)]
    assert metrics['mDice'] == pytest.approx(100 * np.mean(dice), abs=0.01)


def test_unlabelled_items_add_nothing():
    unlabelled = DataSample(gt_seg_map=torch.full((1, 2, 4), 255, dtype=torch.uint8))
    unlabelled.output = DataSample(pred_seg_map=torch.zeros(1, 2, 4, dtype=torch.long))
    metric = SegIoU(classes=CLASSES)
    metric.process(None, mmagic_samples() + [unlabelled])
    check(metric.evaluate(3))


def test_absent_class_is_nan_or_num():
    metric = SegIoU(classes=CLASSES + ('tree', ))
    metric.process(None, seg_samples())
    metrics = metric.evaluate(2)
    assert math.isnan(metrics['IoU.tree'])
    assert metrics['mIoU'] == pytest.approx(100 * np.mean(list(EXPECTED_IOU.values())), abs=0.01)
    metric = SegIoU(classes=CLASSES + ('tree', ), nan_to_num=0)
    metric.process(None, seg_samples())
    assert metric.evaluate(2)['IoU.tree'] == 0


def test_under_mmagic_evaluator_next_to_inpainting_metrics():
    """The evaluator of MMagic's MultiValLoop/MultiTestLoop: prepare(), then evaluate() with no
    size; SegIoU shares the data samples with an inpainting metric."""
    samples = []
    for index, (label, pred) in enumerate(zip(LABELS, PREDS)):
        image = smooth_image(8, index)[:2, :4]
        sample = make_sample(image, image, hole_mask(2, 4, 2))
        sample.gt_seg_map = torch.from_numpy(label.astype(np.uint8))[None]
        sample.output.pred_seg_map = torch.from_numpy(pred)[None]
        samples.append(sample)
    with DefaultScope.overwrite_default_scope('mmagic'):
        evaluator = MMagicEvaluator([dict(type='SegIoU', prefix='seg'),
                                     dict(type='MaskRatioPSNR')])
    dataset = type('TinySet', (), dict(metainfo=dict(classes=CLASSES), __len__=lambda self: 2))
    dataloader = SimpleNamespace(dataset=dataset())
    module = torch.nn.Module()  # MMagic's metrics read the model's data preprocessor
    module.data_preprocessor = DataPreprocessor(mean=[127.5] * 3, std=[127.5] * 3)
    evaluator.prepare_metrics(module, dataloader)
    for metrics, sampler in evaluator.prepare_samplers(module, dataloader):
        assert sampler is dataloader
        evaluator.process(samples, None, metrics)
    metrics = evaluator.evaluate()
    check(metrics, prefix='seg/')
    assert 'PSNR@all' in metrics


# Hole masks (1 = hole) for the two images: image 0's first row, image 1's first two columns.
HOLES = [np.array([[1, 1, 1, 1], [0, 0, 0, 0]]), np.array([[1, 1, 0, 0], [1, 1, 0, 0]])]
# By hand, inside the holes: class 0 intersection 2 + 1, label 2 + 2, pred 3 + 1 -> 3 / 5;
# class 1 intersection 1 + 2, label 2 + 2, pred 1 + 3 -> 3 / 5; class 2 absent (nan); 6 of 8
# pixels right. Outside: class 0 absent; class 1 intersection 2 + 2, label 2 + 2, pred 3 + 2 ->
# 4 / 5; class 2 intersection 1, label 2, pred 1 -> 1 / 2; 5 of 6 pixels right.
EXPECTED_BY_REGION = dict(hole=(dict(sky=3 / 5, road=3 / 5), 6 / 8),
                          known=(dict(road=4 / 5, car=1 / 2), 5 / 6))


def test_regions_score_inside_and_outside_the_holes():
    assert HOLE_MASK_KEYS == (HOLE_MASK_KEY, )  # the key the data preprocessor writes
    samples = seg_samples()
    for sample, holes in zip(samples, HOLES):
        # As the data preprocessor attaches it: float (1,H,W), padded with the batch.
        padded = np.pad(holes, ((0, 1), (0, 2))).astype(np.float32)
        sample.set_field(PixelData(data=torch.from_numpy(padded)[None]), 'hole_mask')
    with DefaultScope.overwrite_default_scope('mmagic'):
        evaluator = Evaluator([dict(type='SegIoU', classes=CLASSES),
                               dict(type='SegIoU', classes=CLASSES, region='hole', prefix='hole'),
                               dict(type='SegIoU', classes=CLASSES, region='known',
                                    prefix='known')])
    evaluator.process(data_samples=samples, data_batch=None)
    metrics = evaluator.evaluate(len(samples))
    check(metrics)
    for region, (ious, accuracy) in EXPECTED_BY_REGION.items():
        assert metrics[f'{region}/mIoU'] == pytest.approx(100 * np.mean(list(ious.values())),
                                                          abs=0.01)
        assert metrics[f'{region}/aAcc'] == pytest.approx(100 * accuracy, abs=0.01)
        for name in CLASSES:
            expected = 100 * ious[name] if name in ious else math.nan
            assert metrics[f'{region}/IoU.{name}'] == pytest.approx(expected, abs=0.01,
                                                                     nan_ok=True)


def test_errors_name_the_problem():
    metric = SegIoU()
    with pytest.raises(ValueError, match='class names'):
        metric.process(None, seg_samples())
    metric = SegIoU(classes=CLASSES)
    with pytest.raises(KeyError, match='pred_sem_seg'):
        metric.process(None, [DataSample(gt_seg_map=torch.zeros(1, 2, 4))])
    logits = SegDataSample()
    logits.gt_sem_seg = PixelData(data=torch.zeros(1, 2, 4))
    logits.pred_sem_seg = PixelData(data=torch.zeros(3, 2, 4))
    with pytest.raises(ValueError, match='logits'):
        metric.process(None, [logits])
    with pytest.raises(KeyError, match='hole_mask.*inpaint_on_test=True'):
        SegIoU(classes=CLASSES, region='hole').process(None, seg_samples())
    with pytest.raises(ValueError, match="'hole', 'known'"):
        SegIoU(region='holes')
