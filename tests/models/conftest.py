"""Tiny stage-3 configs: refine_tiny.py on the tiny demo data, with frozen stages saved from
freshly built tiny models (a checkpoint's weights need not be trained to test the plumbing)."""
import os.path as osp

import pytest
import torch
from mmagic.registry import MODELS
from mmengine.config import Config
from mmengine.registry import DefaultScope

from ..conftest import REPO_ROOT, TINY_SIZE, set_img_size

DEMO = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo')
REFINE_TINY = osp.join(DEMO, 'refine_tiny.py')
COARSE_TINY = osp.join(DEMO, 'coarse_tiny.py')
SEG_TINY = osp.join(DEMO, 'seg_tiny.py')
SEG_IA_TINY = osp.join(DEMO, 'seg_ia_tiny.py')


def save_state(model, path) -> str:
    torch.save(dict(state_dict=model.state_dict()), path)
    return str(path)


@pytest.fixture(scope='session')
def stage_checkpoints(tmp_path_factory):
    """``(coarse .pth, segmentor .pth)`` of initialised tiny models; the segmentor is S0's
    architecture, which is S_ia's (S_ia checkpoints hold no inpainter weights)."""
    root = tmp_path_factory.mktemp('stages')
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmagic'):
        coarse = MODELS.build(Config.fromfile(COARSE_TINY).model)
        segmentor = MODELS.build(Config.fromfile(SEG_TINY).model)
    coarse.init_weights()
    segmentor.init_weights()
    return save_state(coarse, root / 'coarse.pth'), save_state(segmentor, root / 'seg.pth')


@pytest.fixture
def tiny_refine_cfg(demo_root, tmp_path, stage_checkpoints):
    """refine_tiny.py at 64x64 on the tiny demo data, its frozen stages from
    ``stage_checkpoints`` (S_ia's config, whose own inpainter entry the model drops)."""
    cfg = Config.fromfile(REFINE_TINY)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = demo_root
        cfg[loader].num_workers = 0
    set_img_size(cfg, (TINY_SIZE, TINY_SIZE))
    coarse_ckpt, seg_ckpt = stage_checkpoints
    cfg.model.coarse = dict(config=COARSE_TINY, checkpoint=coarse_ckpt)
    cfg.model.segmentor = dict(config=SEG_IA_TINY, checkpoint=seg_ckpt)
    cfg.work_dir = str(tmp_path / 'work_dir')
    return cfg
