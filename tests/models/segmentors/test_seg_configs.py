"""The shipped segmentor configs: build, and a 2-iteration Runner train + validation on the
tiny demo data (S0 and S_ia)."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from fr_inpaint_plugin.models.segmentors import ConsistencySegmentor

from ...conftest import REPO_ROOT, TINY_SIZE, set_img_size
from .conftest import build_in_mmagic_scope

SEG_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/seg_tiny.py')
SEG_IA_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/seg_ia_tiny.py')
BASE_MODEL = osp.join(REPO_ROOT, 'configs/_base_/models/consistency_segmentor_deeplabv3plus.py')


class MetricsSpy(Hook):
    """Records the metrics of every validation run."""

    def __init__(self, runner):
        self.seen = []
        runner.register_hook(self)

    def after_val_epoch(self, runner, metrics=None):
        self.seen.append(metrics)


def tiny_run_cfg(path, demo_root, work_dir) -> Config:
    cfg = Config.fromfile(path)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = demo_root
        cfg[loader].num_workers = 0
        cfg[loader].persistent_workers = False
    set_img_size(cfg, (TINY_SIZE, TINY_SIZE))
    cfg.train_cfg.max_iters = 2
    cfg.work_dir = str(work_dir)
    return cfg


def test_base_model_config_is_full_size_deeplabv3plus():
    cfg = Config.fromfile(BASE_MODEL)
    assert cfg.model.type == 'ConsistencySegmentor' and cfg.model._scope_ == 'mmseg'
    assert cfg.model.backbone.depth == 50 and cfg.model.decode_head.channels == 512
    assert cfg.model.pretrained is None  # no download at init
    assert cfg.data_preprocessor.type == 'InpaintSegDataPreprocessor'


def test_seg_tiny_trains_and_validates(demo_root, tmp_path):
    cfg = tiny_run_cfg(SEG_TINY, demo_root, tmp_path / 'work_dir')
    runner = Runner.from_cfg(cfg)
    model = runner.model
    assert isinstance(model, ConsistencySegmentor) and not model.inpainting_aware
    before = {k: v.clone() for k, v in model.state_dict().items()}
    metrics = MetricsSpy(runner)
    runner.train()  # 2 iterations, then MMagic's MultiValLoop with SegIoU
    assert osp.isfile(tmp_path / 'work_dir' / 'iter_2.pth')
    assert any(not torch.equal(v, before[k]) for k, v in model.state_dict().items())
    assert len(metrics.seen) == 1
    assert 0 <= metrics.seen[0]['mIoU'] <= 100 and 'IoU.sky' in metrics.seen[0]


def test_seg_ia_tiny_trains_on_composites(demo_root, tmp_path, tiny_inpainter):
    checkpoint = tmp_path / 'coarse.pth'
    torch.save(dict(state_dict=tiny_inpainter.state_dict()), checkpoint)
    cfg = tiny_run_cfg(SEG_IA_TINY, demo_root, tmp_path / 'work_dir')
    cfg.model.inpainter.config = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse_tiny.py')
    cfg.model.inpainter.checkpoint = str(checkpoint)
    runner = Runner.from_cfg(cfg)
    model = runner.model
    assert model.inpainting_aware and model.inpaint_on_test
    calls, inpaint = [], model.inpainter.inpaint
    model.inpainter.inpaint = lambda img, mask: calls.append(mask.shape) or inpaint(img, mask)
    metrics = MetricsSpy(runner)
    runner.train()  # 2 iterations, then validation at iteration 2 (inpainting first)
    num_val = len(runner.val_dataloader.dataset)
    assert len(calls) == 2 + num_val  # one per training batch, one per val image (batch 1)
    assert 'mIoU' in metrics.seen[0]
    for key, value in model.inpainter.state_dict().items():
        torch.testing.assert_close(value, tiny_inpainter.state_dict()[key])
    assert not model.inpainter.training


def test_seg_tiny_model_builds_in_mmagic_scope():
    model = build_in_mmagic_scope(Config.fromfile(SEG_TINY).model)
    assert type(model.backbone).__module__.startswith('mmseg.')


@pytest.mark.parametrize('val_loop', ['ValLoop', 'MultiValLoop'])
def test_seg_iou_under_mmengine_and_mmagic_val_loops(val_loop, demo_root, tmp_path):
    cfg = tiny_run_cfg(SEG_TINY, demo_root, tmp_path / 'work_dir')
    cfg.val_cfg = dict(type=val_loop)
    runner = Runner.from_cfg(cfg)
    metrics = MetricsSpy(runner)
    runner.val()
    assert len(metrics.seen) == 1
    assert 0 <= metrics.seen[0]['mIoU'] <= 100
    assert {f'IoU.{name}' for name in runner.val_dataloader.dataset.metainfo['classes']} <= set(
        metrics.seen[0])
