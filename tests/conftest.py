"""Shared fixtures: tiny demo data made by the tests, and tiny configs built from shipped ones."""
import copy
import os.path as osp

import pytest
import torch
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


@pytest.fixture(scope='session')
def recorrection_student_config(demo_root, tmp_path_factory):
    """A student phase's config, as the pipeline writes it: trained on the round a tiny teacher
    wrote (keep='all', with its query pool), its CE recorrected by that teacher. Returns the
    config's path, the round's folder and the teacher's config."""
    from tests.engine.hooks.test_pseudo_label_hook import the_hook, tiny_runner
    root = tmp_path_factory.mktemp('recorrection')
    runner = tiny_runner(demo_root, root / 'teacher', keep='all')
    the_hook(runner).run(runner)
    round_dir = osp.join(runner.work_dir, 'pseudo_labels/round1')
    teacher_config, checkpoint = str(root / 'teacher.py'), str(root / 'teacher.pth')
    runner.cfg.dump(teacher_config)
    torch.save(dict(state_dict=runner.model.state_dict()), checkpoint)
    cfg = Config(copy.deepcopy(runner.cfg.to_dict()))
    cfg.model.pseudo_label_weighting = dict(
        teacher=dict(config=teacher_config, checkpoint=checkpoint),
        query_pool=osp.join(round_dir, 'query_pool.pth'))
    cfg.train_dataloader.dataset.update(label_filter='pseudo_labelled',
                                        pseudo_label_dirs=[round_dir])
    cfg.custom_hooks = []
    (root / 'student').mkdir()
    path = str(root / 'student' / 'phase_config.py')
    cfg.dump(path)
    return path, round_dir, teacher_config


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
