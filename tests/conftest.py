"""Shared fixtures: tiny demo data made by the tests, and tiny configs built from shipped ones."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

import fr_inpaint_plugin  # noqa: F401  (compat shims + registration, as in every tool)
from fr_inpaint_plugin.datasets.demo_scenes import write_demo_dataset

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TINY_SIZE = 64


FIGURES = []  # figures some tests measure (docs/reliability.md), printed at the end of the run


@pytest.fixture
def record_figure():
    return FIGURES.append


def pytest_terminal_summary(terminalreporter):
    for figure in FIGURES:
        terminalreporter.write_line(f'measured: {figure}')


@pytest.fixture(autouse=True, scope='session')
def mmagic_scope():
    """Components resolve in MMagic's scope, as under our configs' ``default_scope``."""
    init_default_scope('mmagic')


@pytest.fixture(scope='session')
def demo_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('demo')
    write_demo_dataset(root, num_labelled=4, num_unlabelled=2, num_val=2, num_masks=6,
                       size=TINY_SIZE, seed=0)
    return str(root)


@pytest.fixture
def tiny_coarse_cfg(demo_root, tmp_path):
    """The shipped demo coarse config, shrunk: 64x64, narrow nets, a few iterations."""
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse_tiny.py'))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = demo_root
        cfg[loader].num_workers = 0
    set_img_size(cfg, (TINY_SIZE, TINY_SIZE))
    cfg.work_dir = str(tmp_path / 'work_dir')
    return cfg


def set_img_size(cfg: Config, size) -> None:
    """Set the working resolution of every dataloader of a config built on the
    ``configs/_base_/datasets/{camvid,celebamask_hq,cityscapes,demo_scenes}.py`` bases (their
    resize, crop and mask steps all read the dataset's ``img_size``)."""
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.img_size = size
