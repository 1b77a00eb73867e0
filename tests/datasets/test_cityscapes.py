import shutil

import cv2
import numpy as np
import pytest

from fr_inpaint_plugin.datasets import CityscapesInpaintDataset
from fr_inpaint_plugin.datasets.cityscapes import LABEL_ID_TO_TRAIN_ID, VOID_TRAIN_ID

from .tiny_data import write_gray

LOAD = [dict(type='LoadCheckedImage'), dict(type='LoadSemanticLabel')]


def test_standard_layout_and_test_split_as_unlabelled(cityscapes_root):
    train = CityscapesInpaintDataset(data_root=cityscapes_root, split='train')
    items = [train.get_data_info(i) for i in range(len(train))]
    assert len(items) == 6
    labelled = [item for item in items if item['labelled']]
    assert len(labelled) == 4
    assert all(item['seg_map_path'].endswith('_gtFine_labelIds.png') for item in labelled)
    assert labelled[0]['img_key'] == \
        'leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png'
    assert labelled[0]['seg_map_path'].endswith(
        'gtFine/train/aachen/aachen_000000_000019_gtFine_labelIds.png')
    unlabelled = [item['img_key'] for item in items if not item['labelled']]
    assert all(key.startswith('leftImg8bit/test/berlin/') for key in unlabelled)
    assert len(unlabelled) == 2

    assert len(CityscapesInpaintDataset(data_root=cityscapes_root, split='train',
                                        test_split_as_unlabelled=False)) == 4
    val = CityscapesInpaintDataset(data_root=cityscapes_root, split='val')
    assert len(val) == 4 and all(val.get_data_info(i)['labelled'] for i in range(4))


def test_label_ids_map_to_train_ids_with_void_as_class_19(cityscapes_root):
    dataset = CityscapesInpaintDataset(data_root=cityscapes_root, split='val', pipeline=LOAD)
    classes = dataset.metainfo['classes']
    assert len(classes) == len(dataset.metainfo['palette']) == 20
    assert classes[VOID_TRAIN_ID] == 'void' and classes[0] == 'road'
    source = cv2.imread(dataset.get_data_info(0)['seg_map_path'], cv2.IMREAD_UNCHANGED)
    assert set(np.unique(source)) == set(range(34))
    expected = np.array([VOID_TRAIN_ID if LABEL_ID_TO_TRAIN_ID[i] is None
                         else LABEL_ID_TO_TRAIN_ID[i] for i in range(34)])[source]
    label = dataset[0]['gt_seg_map']
    np.testing.assert_array_equal(label, expected)
    # a few official pairs: road 7 -> 0, car 26 -> 13, bicycle 33 -> 18, ego vehicle 1 -> void
    for label_id, train_id in ((7, 0), (26, 13), (33, 18), (1, 19)):
        assert (label[source == label_id] == train_id).all()


def test_void_can_be_ignored_instead(cityscapes_root):
    dataset = CityscapesInpaintDataset(data_root=cityscapes_root, split='val',
                                       void_as_class=False, pipeline=LOAD)
    assert len(dataset.metainfo['classes']) == 19
    source = cv2.imread(dataset.get_data_info(0)['seg_map_path'], cv2.IMREAD_UNCHANGED)
    label = dataset[0]['gt_seg_map']
    assert (label[source == 1] == 255).all() and (label[source == 7] == 0).all()
    assert label[label != 255].max() == 18


def test_unknown_label_id_names_the_file(cityscapes_root, tmp_path):
    root = shutil.copytree(cityscapes_root, tmp_path / 'cityscapes')
    dataset = CityscapesInpaintDataset(data_root=str(root), split='val', pipeline=LOAD)
    label_path = dataset.get_data_info(0)['seg_map_path']
    label = cv2.imread(label_path, cv2.IMREAD_UNCHANGED)
    label[0, :3] = 40
    write_gray(label_path, label)
    with pytest.raises(ValueError, match=f'{label_path}.*ids \\[40\\].*label_map'):
        dataset[0]
