"""Tiny segmentors, a tiny frozen coarse inpainter and demo batches for these tests."""
import os.path as osp

import pytest
import torch
from mmagic.registry import DATASETS
from mmagic.registry import MODELS as MMAGIC_MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope

from ...conftest import REPO_ROOT, TINY_SIZE

COARSE_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse_tiny.py')


def build_in_mmagic_scope(cfg):
    """Build as a config under ``default_scope='mmagic'`` does (through MMagic's registry)."""
    with DefaultScope.overwrite_default_scope('mmagic'):
        return MMAGIC_MODELS.build(cfg)


@pytest.fixture
def tiny_inpainter():
    torch.manual_seed(0)
    model = build_in_mmagic_scope(Config.fromfile(COARSE_TINY).model)
    model.init_weights()
    return model


@pytest.fixture(scope='module')
def demo_train_set(demo_root):
    cfg = Config.fromfile(COARSE_TINY).train_dataloader.dataset
    cfg.data_root = demo_root
    cfg.img_size = (TINY_SIZE, TINY_SIZE)
    with DefaultScope.overwrite_default_scope('mmagic'):
        return DATASETS.build(cfg)


def demo_batch(dataset, indices):
    """A collated batch of our dataset (MMagic DataSamples), as the dataloader gives it."""
    return pseudo_collate([dataset[i] for i in indices])
