import os.path as osp
import shutil

from fr_inpaint_plugin.datasets import DEMO_CLASSES, DemoScenesDataset


def test_demo_layout_and_unlabelled_list(demo_root):
    train = DemoScenesDataset(data_root=demo_root, split='train')
    infos = [train.get_data_info(i) for i in range(len(train))]
    assert len(infos) == 6
    unlabelled = sorted(info['img_key'] for info in infos if not info['labelled'])
    assert unlabelled == ['train/img/train_00004.png', 'train/img/train_00005.png']
    assert all(info['seg_map_path'] is None for info in infos if not info['labelled'])
    assert train.metainfo['classes'] == DEMO_CLASSES

    val = DemoScenesDataset(data_root=demo_root, split='val')
    assert len(val) == 2 and all(val.get_data_info(i)['labelled'] for i in range(2))


def test_fixed_masks_come_from_the_demo_masks_with_a_list_beside_them(demo_root, tmp_path):
    root = shutil.copytree(demo_root, tmp_path / 'demo')
    val = DemoScenesDataset(data_root=str(root), split='val', img_size=64, fixed_masks=True)
    assert len(val) == 6
    assert osp.isfile(root / 'mask_list_val_64x64.txt')
    info = val.get_data_info(0)
    assert info['mask_path'].startswith(str(root / 'masks'))
    assert info['mask_list'] == str(root / 'mask_list_val_64x64.txt')
    # One grid per test item: an image listed once per bucket gets one visualisation name each.
    names = [val.get_data_info(i)['vis_name'] for i in range(len(val))]
    assert len(set(names)) == len(names)
    assert all('.' not in name and '/' not in name for name in names)
    train = DemoScenesDataset(data_root=str(root), split='train', img_size=64)
    assert train.get_data_info(0)['vis_name'] == 'train_00000'
