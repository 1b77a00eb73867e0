import shutil

import cv2
import numpy as np
import pytest

from fr_inpaint_plugin.datasets import CamVidInpaintDataset
from fr_inpaint_plugin.datasets.camvid import CAMVID_CLASSES, UNLABELLED_ID

from .tiny_data import write_gray

LOAD = [dict(type='LoadCheckedImage'), dict(type='LoadSemanticLabel')]


def source_label(dataset, index):
    return cv2.imread(dataset.get_data_info(index)['seg_map_path'], cv2.IMREAD_UNCHANGED)


def test_layout_and_classes(camvid_root):
    train = CamVidInpaintDataset(data_root=camvid_root, split='train')
    val = CamVidInpaintDataset(data_root=camvid_root, split='val')
    assert len(train) == 4 and len(val) == 2
    assert train.metainfo['classes'] == CAMVID_CLASSES
    assert len(train.metainfo['palette']) == len(CAMVID_CLASSES) == 11
    info = val.get_data_info(1)
    assert info['img_key'] == 'val/img/val_001.jpg' and info['labelled']
    assert info['seg_map_path'].endswith('val/label/val_001.png')


def test_unlabelled_pixels_are_ignored_by_default(camvid_root):
    dataset = CamVidInpaintDataset(data_root=camvid_root, pipeline=LOAD)
    source = source_label(dataset, 0)
    assert (source == UNLABELLED_ID).any()
    result = dataset[0]
    np.testing.assert_array_equal(result['gt_seg_map'],
                                  np.where(source == UNLABELLED_ID, 255, source))
    assert result['gt_seg_map'].dtype == np.uint8


def test_unlabelled_as_twelfth_class(camvid_root):
    dataset = CamVidInpaintDataset(data_root=camvid_root, unlabelled_as_class=True, pipeline=LOAD)
    assert len(dataset.metainfo['classes']) == len(dataset.metainfo['palette']) == 12
    assert dataset.metainfo['classes'][UNLABELLED_ID] == 'Unlabelled'
    np.testing.assert_array_equal(dataset[0]['gt_seg_map'], source_label(dataset, 0))


def test_label_value_outside_classes_names_the_file(camvid_root, tmp_path):
    root = shutil.copytree(camvid_root, tmp_path / 'camvid')
    label_path = root / 'train' / 'label' / 'train_000.png'
    label = cv2.imread(str(label_path), cv2.IMREAD_UNCHANGED)
    label[0, 0] = 12
    write_gray(label_path, label)
    dataset = CamVidInpaintDataset(data_root=str(root), pipeline=LOAD)
    with pytest.raises(ValueError, match=f'{label_path}.*ids \\[12\\]'):
        dataset[0]
    # With Unlabelled as a class, 12 is still outside the 12 classes.
    dataset = CamVidInpaintDataset(data_root=str(root), unlabelled_as_class=True, pipeline=LOAD)
    with pytest.raises(ValueError, match=str(label_path)):
        dataset[0]
