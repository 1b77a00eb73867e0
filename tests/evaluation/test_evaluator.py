"""End to end: the metrics under MMEngine's and MMagic's evaluators and validation loops."""
import math
import os.path as osp

import cv2
import numpy as np
import pytest
from mmagic.evaluation import Evaluator as MMagicEvaluator
from mmagic.models.data_preprocessors import DataPreprocessor
from mmagic.structures import DataSample
from mmengine.evaluator import Evaluator
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

import fr_inpaint_plugin.evaluation  # noqa: F401  (registers the metrics)

from .samples import hole_mask, make_sample, perturbed, smooth_image

SIZE = 32
METRIC_CFGS = [dict(type='MaskRatioPSNR'), dict(type='MaskRatioSSIM'), dict(type='LPIPS')]
ALL_KEYS = [f'{metric}@{label}' for metric in ('PSNR', 'SSIM', 'LPIPS')
            for label in ('0-20', '20-40', '40-60', 'all')]
# 32x32 = 1024 pixels: 10%, 20% (edge), 30%, 50% holes, one image without holes.
HOLES = [102, 204, 307, 512, 0]


def samples():
    return [make_sample(smooth_image(SIZE, i), perturbed(smooth_image(SIZE, i), i, 5 + 3 * i),
                        hole_mask(SIZE, SIZE, holes)) for i, holes in enumerate(HOLES)]


def check_all_keys(metrics):
    assert sorted(metrics) == sorted(ALL_KEYS)
    assert all(isinstance(value, float) and math.isfinite(value) for value in metrics.values())
    assert 0 < metrics['LPIPS@all'] < 1 and 0 < metrics['SSIM@all'] <= 1
    assert 20 < metrics['PSNR@all'] < 100


def test_mmengine_evaluator_process_and_evaluate():
    with DefaultScope.overwrite_default_scope('mmagic'):
        evaluator = Evaluator(METRIC_CFGS)
    batch = samples()
    evaluator.process(data_samples=batch[:2], data_batch=None)
    evaluator.process(data_samples=batch[2:], data_batch=None)
    metrics = evaluator.evaluate(len(batch))
    check_all_keys(metrics)


def test_mmagic_evaluator_process_and_evaluate():
    with DefaultScope.overwrite_default_scope('mmagic'):
        evaluator = MMagicEvaluator(METRIC_CFGS)
    batch = samples()
    evaluator.process(batch[:3], None, evaluator.metrics)
    evaluator.process(batch[3:], None, evaluator.metrics)
    metrics = evaluator.evaluate()
    check_all_keys(metrics)
    # Same numbers as MMEngine's evaluator.
    with DefaultScope.overwrite_default_scope('mmagic'):
        plain = Evaluator(METRIC_CFGS)
    plain.process(data_samples=batch, data_batch=None)
    assert plain.evaluate(len(batch)) == pytest.approx(metrics, abs=1e-6)  # batching


class GreyFillInpaintor(BaseModel):
    """A stand-in for any MMagic inpaintor: fills the holes with mid-grey, keeps the known
    pixels, and hands its composited output over as MMagic's inpaintors do (``destruct`` by the
    data preprocessor, ``DataSample(pred_img=...)`` as each sample's ``output``)."""

    def __init__(self):
        super().__init__(data_preprocessor=DataPreprocessor(mean=[127.5] * 3, std=[127.5] * 3))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        masks = data_samples.mask.float()
        composited = inputs * (1 - masks)  # 0 in [-1, 1] is grey 127.5
        predictions = DataSample(pred_img=self.data_preprocessor.destruct(
            composited, data_samples)).split()
        data_samples = data_samples.split()
        for sample, prediction in zip(data_samples, predictions):
            sample.output = prediction
        return data_samples


@pytest.fixture(scope='module')
def file_mask_dataset(tmp_path_factory):
    """RGB images and fixed masks on disk, read back by MMagic's own loading transforms."""
    root = tmp_path_factory.mktemp('masked_demo')
    expected_psnr = []
    for i, holes in enumerate(HOLES):
        image = smooth_image(SIZE, i)
        mask = hole_mask(SIZE, SIZE, holes)[0].numpy()
        for folder, array in (('img', image[..., ::-1]), ('mask', mask * 255)):
            path = root / folder / f'{i:02d}.png'
            path.parent.mkdir(exist_ok=True)
            cv2.imwrite(str(path), np.ascontiguousarray(array))
        prediction = np.where(mask[..., None] == 1, 127.5, image.astype(np.float64))
        mse = ((prediction - image)**2).mean()
        expected_psnr.append(min(20 * math.log10(255 / math.sqrt(mse)), 100) if mse else 100.0)
    return str(root), expected_psnr


class CaptureMetrics(Hook):
    """MMagic's MultiValLoop returns nothing: take the metrics from the hook call."""

    def __init__(self):
        self.metrics = None

    def after_val_epoch(self, runner, metrics=None):
        self.metrics = metrics


def runner_for(root, work_dir, loop, capture):
    pipeline = [
        dict(type='LoadImageFromFile', key='gt', channel_order='rgb'),
        dict(type='LoadMask', mask_mode='file'),
        dict(type='GetMaskedImage'),
        dict(type='PackInputs'),
    ]
    dataloader = dict(
        batch_size=2, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(type='BasicImageDataset', data_root=root,
                     data_prefix=dict(gt='img', mask='mask'), pipeline=pipeline,
                     test_mode=True))
    return Runner(model=GreyFillInpaintor(), work_dir=work_dir, default_scope='mmagic',
                  val_dataloader=dataloader, val_cfg=dict(type=loop),
                  val_evaluator=[dict(cfg) for cfg in METRIC_CFGS], custom_hooks=[capture],
                  experiment_name=f'eval_{loop}_{osp.basename(work_dir)}_{id(capture)}')


def test_metrics_under_mmagic_multivalloop_and_mmengine_valloop(file_mask_dataset, tmp_path):
    root, expected_psnr = file_mask_dataset
    results = {}
    for loop in ('MultiValLoop', 'ValLoop'):
        capture = CaptureMetrics()
        runner_for(root, str(tmp_path / loop), loop, capture).val()
        results[loop] = capture.metrics
        assert sorted(results[loop]) == sorted(ALL_KEYS)
    assert results['MultiValLoop'] == pytest.approx(results['ValLoop'], abs=1e-6)
    metrics = results['ValLoop']
    # The loop fed gt and prediction in one channel order: the known pixels match exactly.
    assert metrics['PSNR@0-20'] == pytest.approx(np.mean(expected_psnr[:2]), abs=1e-3)
    assert metrics['PSNR@20-40'] == pytest.approx(expected_psnr[2], abs=1e-3)
    assert metrics['PSNR@40-60'] == pytest.approx(expected_psnr[3], abs=1e-3)
    assert metrics['PSNR@all'] == pytest.approx(np.mean(expected_psnr), abs=1e-3)
    assert expected_psnr[4] == 100.0  # no holes: identical, capped instead of inf
