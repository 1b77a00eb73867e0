import numpy as np
import pytest

from fr_inpaint_plugin.datasets.transforms.load_pseudo_label import (
    LoadPseudoLabel,
    pseudo_label_relpath,
)

from ..tiny_data import write_gray, write_image

KEY = 'train/img/scene_0.png'


def sample(labelled=False, key=KEY, image_hw=(6, 8), num_classes=4):
    return dict(gt=np.zeros(image_hw + (3, ), np.uint8), gt_path=f'/data/{key}', img_key=key,
                labelled=labelled, gt_seg_map=np.full(image_hw, 255, np.uint8),
                num_classes=num_classes, ignore_index=255)


def write_pseudo(root, label, key=KEY):
    return write_gray(root / pseudo_label_relpath(key), label)


def test_relpath_mirrors_folders_and_refuses_escapes():
    assert pseudo_label_relpath('train/img/a.jpg') == 'train/img/a.png'
    assert pseudo_label_relpath('/abs/data/a_leftImg8bit.png') == 'abs/data/a_leftImg8bit.png'
    with pytest.raises(ValueError, match='cannot name a file'):
        pseudo_label_relpath('../outside/a.jpg')


def test_reads_the_pseudo_label_of_an_unlabelled_item(tmp_path):
    label = np.array([[0, 1, 2, 3, 255, 0, 0, 0]] * 6, np.uint8)
    path = write_pseudo(tmp_path, label)
    results = LoadPseudoLabel(str(tmp_path))(sample())
    np.testing.assert_array_equal(results['gt_seg_map'], label)
    assert results['gt_seg_map'].dtype == np.uint8 and results['pseudo_label_path'] == path


def test_missing_file_leaves_all_ignore(tmp_path):
    results = LoadPseudoLabel(str(tmp_path))(sample())
    assert (results['gt_seg_map'] == 255).all() and results['pseudo_label_path'] is None


def test_labelled_item_keeps_its_label(tmp_path):
    write_pseudo(tmp_path, np.zeros((6, 8), np.uint8))
    item = sample(labelled=True)
    item['gt_seg_map'] = np.full((6, 8), 2, np.uint8)
    assert (LoadPseudoLabel(str(tmp_path))(item)['gt_seg_map'] == 2).all()


@pytest.mark.parametrize('label, error', [
    (np.zeros((6, 9), np.uint8), r'is 6x9 but its image .* is 6x8'),
    (np.full((6, 8), 4, np.uint8), r'holds ids \[4\] outside the 4 classes'),
])
def test_bad_pseudo_label_names_the_file(tmp_path, label, error):
    path = write_pseudo(tmp_path, label)
    with pytest.raises(ValueError, match=error) as info:
        LoadPseudoLabel(str(tmp_path))(sample())
    assert str(path) in str(info.value)


def test_colour_or_corrupt_file_is_refused(tmp_path):
    path = tmp_path / pseudo_label_relpath(KEY)
    write_image(path, np.zeros((6, 8, 3), np.uint8))
    with pytest.raises(ValueError, match='3 channels'):
        LoadPseudoLabel(str(tmp_path))(sample())
    path.write_bytes(b'garbage')
    with pytest.raises(ValueError, match=f'cannot decode pseudo-label {path}'):
        LoadPseudoLabel(str(tmp_path))(sample())


# ----------------------------------------------------------- several folders (rounds)
def test_folders_are_searched_in_order(tmp_path):
    late, early = tmp_path / 'round2', tmp_path / 'round1'
    write_pseudo(early, np.ones((6, 8), np.uint8))
    other = 'train/img/scene_1.png'
    write_pseudo(early, np.full((6, 8), 2, np.uint8), key=other)
    first = write_pseudo(late, np.zeros((6, 8), np.uint8))
    transform = LoadPseudoLabel([str(late), str(early)])
    results = transform(sample())
    assert results['pseudo_label_path'] == first and (results['gt_seg_map'] == 0).all()
    results = transform(sample(key=other))  # only the earlier round has it
    assert (results['gt_seg_map'] == 2).all()
    assert results['pseudo_label_path'] == str(early / pseudo_label_relpath(other))
    assert (transform(sample(key='train/img/none.png'))['gt_seg_map'] == 255).all()


def test_folders_from_the_item_when_the_transform_names_none(tmp_path):
    late, early = tmp_path / 'round2', tmp_path / 'round1'
    write_pseudo(early, np.ones((6, 8), np.uint8))
    item = sample()
    item['pseudo_label_dirs'] = (str(late), str(early))
    results = LoadPseudoLabel()(item)
    assert (results['gt_seg_map'] == 1).all()
    write_pseudo(late, np.full((6, 8), 3, np.uint8))
    assert (LoadPseudoLabel()(dict(item))['gt_seg_map'] == 3).all()
    # the transform's own folder wins over the item's
    own = tmp_path / 'own'
    write_pseudo(own, np.full((6, 8), 2, np.uint8))
    assert (LoadPseudoLabel(str(own))(dict(item))['gt_seg_map'] == 2).all()
    # one folder as a string, on the item too
    item['pseudo_label_dirs'] = str(early)
    assert (LoadPseudoLabel()(item)['gt_seg_map'] == 1).all()


@pytest.mark.parametrize('dirs', [None, (), []])
def test_no_folder_is_a_no_op(tmp_path, dirs):
    item = sample()
    if dirs is not None:
        item['pseudo_label_dirs'] = dirs
    results = LoadPseudoLabel()(item)
    assert (results['gt_seg_map'] == 255).all() and results['pseudo_label_path'] is None


def test_labelled_item_untouched_whatever_the_folders(tmp_path):
    write_pseudo(tmp_path, np.zeros((6, 8), np.uint8))
    item = sample(labelled=True)
    item['gt_seg_map'] = np.full((6, 8), 2, np.uint8)
    item['pseudo_label_dirs'] = [str(tmp_path)]
    results = LoadPseudoLabel()(item)
    assert (results['gt_seg_map'] == 2).all() and results['pseudo_label_path'] is None
