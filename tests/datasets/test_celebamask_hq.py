import shutil

import cv2
import numpy as np
import pytest

from fr_inpaint_plugin.datasets import CelebAMaskHQDataset
from fr_inpaint_plugin.datasets.celebamask_hq import CELEBAMASK_CLASSES, SOURCE_TO_MERGED

from .tiny_data import write_gray

LOAD = [dict(type='LoadCheckedImage'), dict(type='LoadSemanticLabel')]


def test_nineteen_parts_merge_into_fifteen_classes(celebamask_root):
    dataset = CelebAMaskHQDataset(data_root=celebamask_root, num_test=2, pipeline=LOAD)
    assert len(CELEBAMASK_CLASSES) == len(dataset.metainfo['palette']) == 15
    merged = np.array([SOURCE_TO_MERGED[i] for i in range(19)])
    # left/right eye, brow and ear and the two lips become one class each
    assert merged[4] == merged[5] == CELEBAMASK_CLASSES.index('eye')
    assert merged[6] == merged[7] == CELEBAMASK_CLASSES.index('brow')
    assert merged[8] == merged[9] == CELEBAMASK_CLASSES.index('ear')
    assert merged[11] == merged[12] == CELEBAMASK_CLASSES.index('lip')
    assert merged[18] == CELEBAMASK_CLASSES.index('cloth')
    labelled = [i for i in range(len(dataset)) if dataset.get_data_info(i)['labelled']]
    for index in labelled:
        source = cv2.imread(dataset.get_data_info(index)['seg_map_path'], cv2.IMREAD_UNCHANGED)
        np.testing.assert_array_equal(dataset[index]['gt_seg_map'], merged[source])


def test_holdout_and_unlabeled_images(celebamask_root):
    train = CelebAMaskHQDataset(data_root=celebamask_root, split='train', num_test=2)
    test = CelebAMaskHQDataset(data_root=celebamask_root, split='test', num_test=2)
    train_items = [train.get_data_info(i) for i in range(len(train))]
    test_items = [test.get_data_info(i) for i in range(len(test))]
    assert len(test_items) == 2 and all(item['labelled'] for item in test_items)
    # 6 labelled - 2 held out + 2 from unlabeled/
    assert len(train_items) == 6
    unlabelled = [item['img_key'] for item in train_items if not item['labelled']]
    assert sorted(unlabelled) == ['unlabeled/u000.jpg', 'unlabeled/u001.jpg']
    train_keys = {item['img_key'] for item in train_items}
    test_keys = {item['img_key'] for item in test_items}
    assert not train_keys & test_keys
    assert len(train_keys | test_keys) == 8
    again = CelebAMaskHQDataset(data_root=celebamask_root, split='test', num_test=2)
    assert {again.get_data_info(i)['img_key'] for i in range(2)} == test_keys
    other_seed = CelebAMaskHQDataset(data_root=celebamask_root, split='test', num_test=2,
                                     holdout_seed=5)
    assert len(other_seed) == 2


def test_unlabeled_image_gets_an_all_ignore_map(celebamask_root):
    dataset = CelebAMaskHQDataset(data_root=celebamask_root, num_test=2, pipeline=LOAD)
    index = next(i for i in range(len(dataset)) if not dataset.get_data_info(i)['labelled'])
    label = dataset[index]['gt_seg_map']
    assert label.shape == (32, 32) and (label == 255).all()


def test_source_id_outside_the_merge_names_the_file(celebamask_root, tmp_path):
    root = shutil.copytree(celebamask_root, tmp_path / 'celeb')
    label_path = root / 'label' / '0000.png'
    label = cv2.imread(str(label_path), cv2.IMREAD_UNCHANGED)
    label[3, 3] = 19
    write_gray(label_path, label)
    dataset = CelebAMaskHQDataset(data_root=str(root), num_test=0, pipeline=LOAD)
    index = next(i for i in range(len(dataset))
                 if dataset.get_data_info(i)['seg_map_path'] == str(label_path))
    with pytest.raises(ValueError, match=f'{label_path}.*ids \\[19\\].*label_map'):
        dataset[index]
