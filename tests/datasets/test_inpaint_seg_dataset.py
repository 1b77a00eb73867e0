import os
import shutil

import numpy as np
import pytest

from fr_inpaint_plugin.datasets import CamVidInpaintDataset, InpaintSegDataset

from .tiny_data import random_image, write_gray, write_image

CLASSES = dict(classes=('a', 'b', 'c'), palette=((0, 0, 0), (1, 1, 1), (2, 2, 2)))


@pytest.fixture
def tiny_root(tmp_path):
    rng = np.random.default_rng(0)
    for stem in ('x0', 'x1', 'x2'):
        write_image(tmp_path / 'img' / f'{stem}.png', random_image(rng, (8, 8)))
    for stem in ('x0', 'x1'):
        write_gray(tmp_path / 'label' / f'{stem}.png', np.zeros((8, 8), np.uint8))
    (tmp_path / 'no_labels.txt').write_text('x2\n')
    write_image(tmp_path / 'extra' / 'e0.png', random_image(rng, (8, 8)))
    return tmp_path


def build(root, **kwargs):
    args = dict(data_root=str(root), img_dir='img', label_dir='label', img_suffix='.png',
                unlabelled_list='no_labels.txt', metainfo=CLASSES)
    return InpaintSegDataset(**{**args, **kwargs})


def test_items_carry_paths_label_state_and_dataset_settings(tiny_root):
    dataset = build(tiny_root, unlabelled_img_dirs=['extra'], img_size=(32, 48),
                    label_map={0: 1})
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    assert [info['img_key'] for info in infos] == \
        ['img/x0.png', 'img/x1.png', 'img/x2.png', 'extra/e0.png']
    assert [info['labelled'] for info in infos] == [True, True, False, False]
    assert infos[0]['img_path'] == infos[0]['gt_path'] == str(tiny_root / 'img' / 'x0.png')
    assert infos[0]['seg_map_path'] == str(tiny_root / 'label' / 'x0.png')
    assert infos[2]['seg_map_path'] is None and infos[3]['seg_map_path'] is None
    assert all(info['mask_path'] is None and info['mask_bucket'] is None for info in infos)
    info = infos[0]
    assert info['img_size'] == (32, 48) and info['label_map'] == {0: 1}
    assert info['num_classes'] == 3 and info['ignore_index'] == 255
    assert build(tiny_root, img_size=64).get_data_info(0)['img_size'] == (64, 64)


def test_true_labels_survive_the_split_and_come_from_the_audit_folder(tiny_root, tmp_path):
    write_gray(tiny_root / 'kept_apart' / 'x2.png', np.ones((8, 8), np.uint8))
    split_file = str(tmp_path / 'split.txt')
    dataset = build(tiny_root, unlabelled_img_dirs=['extra'], audit_label_dir='kept_apart',
                    split_file=split_file, split_ratio=0.25)
    infos = {info['img_key']: info for info in map(dataset.get_data_info, range(len(dataset)))}
    hidden = [k for k in ('img/x0.png', 'img/x1.png') if not infos[k]['labelled']]
    assert len(hidden) == 1  # a quarter of the four images keeps its label
    for key in ('img/x0.png', 'img/x1.png'):
        assert infos[key]['true_seg_map_path'] == str(tiny_root / 'label' / key[4:])
    assert infos[hidden[0]]['seg_map_path'] is None
    assert infos['img/x2.png']['seg_map_path'] is None
    assert infos['img/x2.png']['true_seg_map_path'] == str(tiny_root / 'kept_apart' / 'x2.png')
    assert infos['extra/e0.png']['true_seg_map_path'] is None  # no label anywhere


def test_label_filter(tiny_root):
    assert len(build(tiny_root, label_filter='labelled')) == 2
    unlabelled = build(tiny_root, label_filter='unlabelled', unlabelled_img_dirs=['extra'])
    assert len(unlabelled) == 2
    with pytest.raises(ValueError, match='label_filter'):
        build(tiny_root, label_filter='some')


def test_missing_label_of_a_labelled_image_fails_when_built(tiny_root):
    os.remove(tiny_root / 'label' / 'x1.png')
    with pytest.raises(FileNotFoundError) as error:
        build(tiny_root)
    message = str(error.value)
    assert str(tiny_root / 'img' / 'x1.png') in message
    assert str(tiny_root / 'label' / 'x1.png') in message and 'unlabelled' in message


def test_unlabelled_list_naming_unknown_images_fails(tiny_root):
    (tiny_root / 'no_labels.txt').write_text('x2\nnot_there\n')
    with pytest.raises(ValueError, match='no_labels.txt.*not_there'):
        build(tiny_root)


def test_missing_or_empty_image_folder_fails(tiny_root):
    with pytest.raises(FileNotFoundError, match='nope'):
        build(tiny_root, img_dir='nope')
    with pytest.raises(FileNotFoundError, match='no images ending in'):
        build(tiny_root, img_suffix='.jpg')


def test_labels_need_classes(tiny_root):
    with pytest.raises(ValueError, match='no classes'):
        build(tiny_root, metainfo=None)


def test_split_ratio_needs_a_split_file(tiny_root):
    with pytest.raises(ValueError, match='split_file'):
        build(tiny_root, split_ratio=0.5)


def test_missing_image_fails_when_loaded(camvid_root, tmp_path):
    root = shutil.copytree(camvid_root, tmp_path / 'camvid')
    dataset = CamVidInpaintDataset(data_root=str(root),
                                   pipeline=[dict(type='LoadCheckedImage')])
    image_path = dataset.get_data_info(0)['gt_path']
    os.remove(image_path)
    with pytest.raises(FileNotFoundError, match=image_path):
        dataset[0]


def test_pseudo_label_dirs_reach_every_item(tiny_root):
    assert build(tiny_root).get_data_info(0)['pseudo_label_dirs'] == ()
    assert build(tiny_root, pseudo_label_dirs='r1').get_data_info(2)['pseudo_label_dirs'] \
        == ('r1', )
    dataset = build(tiny_root, pseudo_label_dirs=['r2', 'r1'])
    assert all(dataset.get_data_info(i)['pseudo_label_dirs'] == ('r2', 'r1')
               for i in range(len(dataset)))


def test_pipeline_loads_pseudo_labels_of_the_dataset_rounds(tiny_root):
    late, early = tiny_root / 'round2', tiny_root / 'round1'
    write_gray(early / 'img' / 'x2.png', np.full((8, 8), 1, np.uint8))
    write_gray(early / 'img' / 'x0.png', np.full((8, 8), 2, np.uint8))  # x0 is labelled
    pipeline = [dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
                dict(type='LoadSemanticLabel'), dict(type='LoadPseudoLabel')]
    dataset = build(tiny_root, pipeline=pipeline, pseudo_label_dirs=[str(late), str(early)])
    labelled, unlabelled = dataset[0], dataset[2]
    assert (labelled['gt_seg_map'] == 0).all() and labelled['pseudo_label_path'] is None
    assert (unlabelled['gt_seg_map'] == 1).all()
    write_gray(late / 'img' / 'x2.png', np.full((8, 8), 2, np.uint8))
    assert (dataset[2]['gt_seg_map'] == 2).all()  # the later round comes first
    no_rounds = build(tiny_root, pipeline=pipeline)
    assert (no_rounds[2]['gt_seg_map'] == 255).all()


def test_pseudo_labelled_filter_keeps_labelled_and_pseudo_labelled_items(tiny_root):
    # Labelled: x0, x1; unlabelled: x2, extra/e0; only e0 has a pseudo-label (in round 2).
    write_gray(tiny_root / 'round2' / 'extra' / 'e0.png', np.ones((8, 8), np.uint8))
    rounds = [str(tiny_root / 'round2'), str(tiny_root / 'round1')]
    dataset = build(tiny_root, unlabelled_img_dirs=['extra'], label_filter='pseudo_labelled',
                    pseudo_label_dirs=rounds)
    keys = [dataset.get_data_info(i)['img_key'] for i in range(len(dataset))]
    assert keys == ['img/x0.png', 'img/x1.png', 'extra/e0.png']
    with pytest.raises(FileNotFoundError, match='none of the 2 unlabelled images'):
        build(tiny_root, unlabelled_img_dirs=['extra'], label_filter='pseudo_labelled',
              pseudo_label_dirs=[str(tiny_root / 'round1')])
    with pytest.raises(ValueError, match='needs pseudo_label_dirs'):
        build(tiny_root, label_filter='pseudo_labelled')


def test_balance_labelled_repeats_the_labelled_items_ceil_u_over_l_times(tiny_root):
    for stem in ('u0', 'u1', 'u2'):
        write_image(tiny_root / 'extra' / f'{stem}.png', np.zeros((8, 8, 3), np.uint8))
    # 2 labelled (x0, x1), 5 unlabelled (x2, e0, u0-u2): the labelled list thrice, then the rest.
    dataset = build(tiny_root, unlabelled_img_dirs=['extra'], balance_labelled=True)
    keys = [dataset.get_data_info(i)['img_key'] for i in range(len(dataset))]
    assert keys[:6] == ['img/x0.png', 'img/x1.png'] * 3
    assert sorted(keys[6:]) == ['extra/e0.png', 'extra/u0.png', 'extra/u1.png', 'extra/u2.png',
                                'img/x2.png']
    assert len(build(tiny_root, label_filter='labelled', balance_labelled=True)) == 2
    with pytest.raises(ValueError, match='balance_labelled'):
        build(tiny_root, balance_labelled=True, mask_list='list.txt')
