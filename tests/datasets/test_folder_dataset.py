import numpy as np
import pytest

from fr_inpaint_plugin.datasets import FolderInpaintDataset

from .tiny_data import random_image, write_gray, write_image

LOAD = [dict(type='LoadCheckedImage'), dict(type='LoadSemanticLabel')]


@pytest.fixture
def photos(tmp_path):
    rng = np.random.default_rng(0)
    write_image(tmp_path / 'photos' / 'a.jpg', random_image(rng, (10, 12)))
    write_image(tmp_path / 'photos' / 'nested' / 'b.png', random_image(rng, (10, 12)))
    return tmp_path


def test_plain_folder_of_mixed_images_without_labels(photos):
    dataset = FolderInpaintDataset(img_dir=str(photos / 'photos'), pipeline=LOAD)
    keys = [dataset.get_data_info(i)['img_key'] for i in range(len(dataset))]
    assert len(keys) == 2 and keys[0].endswith('photos/a.jpg')
    assert not any(dataset.get_data_info(i)['labelled'] for i in range(2))
    result = dataset[1]
    assert result['gt'].shape == (10, 12, 3)
    assert (result['gt_seg_map'] == 255).all() and result['gt_seg_map'].shape == (10, 12)


def test_folder_with_labels_needs_classes(photos):
    write_gray(photos / 'labels' / 'a.png', np.ones((10, 12), np.uint8))
    write_gray(photos / 'labels' / 'nested' / 'b.png', np.zeros((10, 12), np.uint8))
    with pytest.raises(ValueError, match='no classes'):
        FolderInpaintDataset(data_root=str(photos), img_dir='photos', label_dir='labels')
    dataset = FolderInpaintDataset(data_root=str(photos), img_dir='photos', label_dir='labels',
                                   metainfo=dict(classes=('bg', 'fg')), pipeline=LOAD)
    assert (dataset[0]['gt_seg_map'] == 1).all() and dataset.get_data_info(0)['labelled']
