"""The shipped _base_ dataset configs, built on tiny data at 64x64: the data contract."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmagic.registry import DATASETS
from mmagic.structures import DataSample
from mmengine.config import Config

from fr_inpaint_plugin.datasets.hole_masks import HOLE_RATIO_BUCKETS
from tests.conftest import REPO_ROOT, TINY_SIZE, set_img_size

META_KEYS = {'img_path', 'gt_path', 'seg_map_path', 'mask_path', 'labelled', 'hole_ratio',
             'mask_bucket', 'sample_idx'}


def load_config(name, data_root, mask_dir, tmp_path):
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/_base_/datasets', f'{name}.py'))
    set_img_size(cfg, TINY_SIZE)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        dataset.data_root = data_root
        if 'split_file' in dataset:
            dataset.split_file = str(tmp_path / 'split.txt')
        if 'mask_list' in dataset:
            dataset.update(mask_list=str(tmp_path / 'mask_list.txt'), mask_dir=mask_dir)
        if name == 'celebamask_hq':
            dataset.num_test = 2
    return cfg


@pytest.fixture
def roots(camvid_root, celebamask_root, cityscapes_root, demo_root):
    # the demo config pairs the demo's own masks (fixed_masks=True), the others the tiny set
    return dict(camvid=camvid_root, celebamask_hq=celebamask_root, cityscapes=cityscapes_root,
                demo_scenes=demo_root)


def check_sample(sample, num_classes):
    inputs, data_sample = sample['inputs'], sample['data_samples']
    size = (TINY_SIZE, TINY_SIZE)
    assert inputs.shape == (3, ) + size and inputs.dtype == torch.float32
    assert data_sample.gt_img.shape == (3, ) + size
    mask = data_sample.mask
    assert mask.shape == (1, ) + size and mask.dtype == torch.float32
    assert set(mask.unique().tolist()) <= {0.0, 1.0}
    assert data_sample.hole_ratio == pytest.approx(mask.mean().item())
    known = mask[0] == 0
    # the masked image is the image outside the holes
    assert torch.equal(inputs[:, known], data_sample.gt_img[:, known].float())
    label = data_sample.gt_seg_map
    assert label.shape == (1, ) + size and label.dtype == torch.uint8
    values = set(label.unique().tolist())
    assert values <= set(range(num_classes)) | {255}
    if not data_sample.labelled:
        assert values == {255} and data_sample.seg_map_path is None
    assert META_KEYS <= set(data_sample.metainfo_keys())


@pytest.mark.parametrize('name', ['camvid', 'celebamask_hq', 'cityscapes', 'demo_scenes'])
def test_config_builds_train_and_test_data(name, roots, mask_dir, tmp_path):
    cfg = load_config(name, roots[name], mask_dir, tmp_path)
    train = DATASETS.build(cfg.train_dataloader.dataset)
    test = DATASETS.build(cfg.test_dataloader.dataset)
    num_classes = len(train.metainfo['classes'])
    samples = [train[i] for i in range(len(train))]
    for sample in samples:
        check_sample(sample, num_classes)
        assert sample['data_samples'].mask_path is None
    # labelled and unlabelled samples batch together
    labelled = {s['data_samples'].labelled for s in samples}
    assert labelled == {True, False}
    batch = DataSample.stack([s['data_samples'] for s in samples])
    assert batch.gt_seg_map.shape == (len(samples), 1, TINY_SIZE, TINY_SIZE)

    assert len(test) == 3 * len({test.get_data_info(i)['img_key'] for i in range(len(test))})
    for index in range(len(test)):
        sample = test[index]
        check_sample(sample, num_classes)
        data_sample = sample['data_samples']
        assert data_sample.labelled and data_sample.mask_bucket in HOLE_RATIO_BUCKETS
        low, high = data_sample.mask_bucket
        assert low < data_sample.hole_ratio <= high
    # fixed masks: the same sample twice is the same sample
    np.testing.assert_array_equal(test[0]['inputs'], test[0]['inputs'])
