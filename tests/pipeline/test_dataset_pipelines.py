"""The paper's data sets end to end: every phase of the Cityscapes pipeline (the paper-setting
configs: paper widths, the pretrained VGG16 segmentor) chained on a tiny tree in Cityscapes'
official layout (leftImg8bit/, gtFine/ labelIds, a test split without labels), and every phase
of the CelebAMask-HQ CPU recipe on a tiny tree in the faces subset's layout (img/, label/,
unlabeled/), each phase for 2 iterations at 64x64, as the driver chains them. To run them on
real data:
  python tools/train_pipeline.py configs/fr_inpaint/cityscapes/pipeline.py \
      --data-root <cityscapes> [--label-ratio 0.125]
  python tools/train_pipeline.py configs/fr_inpaint/celebamask_hq/pipeline_cpu.py"""
import os.path as osp

import pytest

from fr_inpaint_plugin.pipeline import load_plan
from tests.conftest import REPO_ROOT
from tests.datasets.tiny_data import make_celebamask, make_cityscapes, make_masks

from .test_demo_steps import run_phases

pytestmark = pytest.mark.slow  # multi-process / whole-pipeline runs (CI runs them)

MASK_RATIOS = (0.125, 0.0625, 0.25, 0.375, 0.5, 0.5625)  # two per hole-ratio bucket


# pipeline config, its data tree, the classes, and the data set's held-out test images
PIPELINES = {
    'cityscapes': ('configs/fr_inpaint/cityscapes/pipeline.py',
                   lambda root: make_cityscapes(root, hw=(32, 64)), 20, None),
    'celebamask_hq_cpu': ('configs/fr_inpaint/celebamask_hq/pipeline_cpu.py',
                          lambda root: make_celebamask(root, num_labelled=8), 15, 2),
}


@pytest.mark.parametrize('name', sorted(PIPELINES))
def test_every_phase_runs_on_the_data_sets_layout(tmp_path, name):
    config, make_tree, num_classes, num_test = PIPELINES[name]
    root = make_tree(tmp_path / name)
    make_masks(tmp_path / 'masks', MASK_RATIOS)
    plan = load_plan(osp.join(REPO_ROOT, config), data_root=root,
                     work_root=str(tmp_path / 'work'), seeds=[0])

    def local_files(cfg):
        """The split and the test-mask list beside the run, the tiny masks (not data/), the
        tiny tree's test images."""
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            dataset = (cfg.get(loader) or {}).get('dataset')
            if dataset is None:
                continue
            if 'split_file' in dataset:
                dataset.split_file = str(tmp_path / 'split.txt')
            if 'mask_list' in dataset:
                dataset.update(mask_list=str(tmp_path / 'mask_list.txt'),
                               mask_dir=str(tmp_path / 'masks'))
            if num_test is not None:
                dataset.num_test = num_test
        return cfg

    configs, metrics = run_phases(plan, local_files)
    names = [phase.name for phase in plan.phases]
    assert set(configs) | set(metrics) == set(names)
    assert configs['seg_step1_s0'].model.decode_head.num_classes == num_classes
    assert configs['refine_sia'].model.encdec.num_classes == num_classes
    for name in names:
        if name.startswith('test_refine') or name in ('test_coarse', 'test_opencv_floor'):
            assert 0 < metrics[name]['PSNR@all'] < 100, name
        elif name.startswith('test_seg'):
            assert 0 <= metrics[name]['mIoU'] <= 100, name
    round1 = osp.join(plan.work_dir('seg_step1_s0'), 'pseudo_round1_reliable', 'split.json')
    assert osp.isfile(round1)  # the test-split images, pseudo-labelled
