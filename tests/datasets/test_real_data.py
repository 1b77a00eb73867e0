"""The shipped configs on the real CamVid and CelebAMask-HQ subsets and NVIDIA masks in
../shared/data (skipped where that folder is absent)."""
import os.path as osp

import numpy as np
import pytest
from mmagic.registry import DATASETS
from mmengine.config import Config

from fr_inpaint_plugin.datasets.hole_masks import HOLE_RATIO_BUCKETS
from tests.conftest import REPO_ROOT

SHARED_DATA = osp.normpath(osp.join(REPO_ROOT, '..', 'shared', 'data'))
NVIDIA_MASKS = osp.join(SHARED_DATA, 'nvidia_irregular_masks')
pytestmark = pytest.mark.skipif(
    not osp.isdir(NVIDIA_MASKS),
    reason=f'real data not found at {SHARED_DATA} (CamVid, CelebAMask-HQ subset, NVIDIA masks)')


def build(config, data_root, tmp_path, **test_overrides):
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/_base_/datasets', config))
    cfg.train_dataloader.dataset.update(data_root=data_root,
                                        split_file=str(tmp_path / 'split.txt'))
    cfg.test_dataloader.dataset.update(data_root=data_root, mask_dir=NVIDIA_MASKS,
                                       mask_list=str(tmp_path / 'masks.txt'), **test_overrides)
    return DATASETS.build(cfg.train_dataloader.dataset), DATASETS.build(cfg.test_dataloader.dataset)


def check_samples(dataset, indices, num_classes):
    for index in indices:
        data_sample = dataset[index]['data_samples']
        assert data_sample.gt_img.shape == (3, 256, 256)
        values = set(data_sample.gt_seg_map.unique().tolist())
        assert values <= set(range(num_classes)) | {255}
        if data_sample.mask_bucket is not None:
            low, high = data_sample.mask_bucket
            assert low < data_sample.hole_ratio <= high


def test_camvid(tmp_path):
    train, test = build('camvid.py', osp.join(SHARED_DATA, 'camvid'), tmp_path)
    assert len(train) == 367 and len(test) == 3 * 101
    assert sum(train.get_data_info(i)['labelled'] for i in range(len(train))) == 184
    check_samples(train, range(0, 367, 60), 11)
    check_samples(test, range(0, 303, 50), 11)
    # Unlabelled (11) is ignored, so real labels show 255 somewhere
    sample = test[0]['data_samples']
    assert (sample.gt_seg_map == 255).any() and sample.gt_seg_map.max() == 255


def test_celebamask(tmp_path):
    train, test = build('celebamask_hq.py', osp.join(SHARED_DATA, 'celebamask_1k'), tmp_path)
    # 850 labelled - 100 held out + 100 unlabeled; test: 100 held out x 3 buckets
    assert len(train) == 850 and len(test) == 300
    labelled = [train.get_data_info(i)['labelled'] for i in range(len(train))]
    assert sum(labelled) == 425
    check_samples(train, range(0, 850, 120), 15)
    check_samples(test, range(0, 300, 50), 15)
    buckets = [test.get_data_info(i)['mask_bucket'] for i in range(len(test))]
    assert {b: buckets.count(b) for b in HOLE_RATIO_BUCKETS} == {b: 100 for b in HOLE_RATIO_BUCKETS}
    assert np.unique([test.get_data_info(i)['mask_path'] for i in range(300)]).size == 300
