import json

import cv2
import numpy as np
import pytest

from fr_inpaint_plugin.datasets.demo_scenes import (
    DEMO_CLASSES,
    DEMO_PALETTE,
    MARKER_NAME,
    UNLABELLED_LIST_NAME,
    render_scene,
    write_demo_dataset,
)
from fr_inpaint_plugin.datasets.hole_masks import HOLE_RATIO_BUCKETS

SMALL = dict(num_labelled=4, num_unlabelled=2, num_val=2, num_masks=6, size=64, seed=0)


@pytest.fixture(scope='module')
def small_dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp('demo')
    write_demo_dataset(root, **SMALL)
    return root


def read(path):
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    assert image is not None, path
    return image


def all_files(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob('*')) if p.is_file()}


def stems(directory):
    return sorted(p.stem for p in directory.glob('*.png'))


def test_classes_and_palette_match():
    assert 5 <= len(DEMO_CLASSES) <= 7
    assert len(DEMO_PALETTE) == len(DEMO_CLASSES)
    assert len(set(DEMO_PALETTE)) == len(DEMO_PALETTE)


@pytest.mark.parametrize('size', [64, (48, 80)])
def test_render_scene_shapes_and_determinism(size):
    image, label = render_scene(np.random.default_rng(3), size)
    height, width = (size, size) if isinstance(size, int) else size
    assert image.shape == (height, width, 3) and image.dtype == np.uint8
    assert label.shape == (height, width) and label.dtype == np.uint8
    assert label.max() < len(DEMO_CLASSES)
    image_again, label_again = render_scene(np.random.default_rng(3), size)
    np.testing.assert_array_equal(image, image_again)
    np.testing.assert_array_equal(label, label_again)


def test_layout_sizes_and_unlabelled_list(small_dataset):
    train_stems = stems(small_dataset / 'train' / 'img')
    labelled = stems(small_dataset / 'train' / 'label')
    unlabelled = (small_dataset / 'train' / UNLABELLED_LIST_NAME).read_text().split()
    assert len(train_stems) == SMALL['num_labelled'] + SMALL['num_unlabelled']
    assert len(labelled) == SMALL['num_labelled']
    assert len(unlabelled) == SMALL['num_unlabelled']
    assert sorted(labelled + unlabelled) == train_stems
    assert not set(labelled) & set(unlabelled)
    # the unlabelled images' labels are kept apart, for the pseudo-label audit only
    assert stems(small_dataset / 'train' / 'audit_label') == sorted(unlabelled)
    assert not stems(small_dataset / 'val' / 'audit_label')
    assert stems(small_dataset / 'val' / 'img') == stems(small_dataset / 'val' / 'label')
    assert len(stems(small_dataset / 'val' / 'img')) == SMALL['num_val']

    for split, folder in (('train', 'label'), ('train', 'audit_label'), ('val', 'label')):
        for label_path in (small_dataset / split / folder).glob('*.png'):
            image = read(small_dataset / split / 'img' / label_path.name)
            label = read(label_path)
            assert image.shape == (64, 64, 3)
            assert label.shape == (64, 64) and label.dtype == np.uint8


def test_labels_cover_every_class(small_dataset):
    labels = [read(p) for p in sorted(small_dataset.glob('*/label/*.png'))]
    values = set(np.unique(np.stack(labels)))
    assert values == set(range(len(DEMO_CLASSES)))


def test_masks_fill_each_bucket_equally(small_dataset):
    masks = [read(p) for p in sorted((small_dataset / 'masks').glob('*.png'))]
    assert len(masks) == SMALL['num_masks']
    per_bucket = SMALL['num_masks'] // len(HOLE_RATIO_BUCKETS)
    for index, mask in enumerate(masks):
        low, high = HOLE_RATIO_BUCKETS[index // per_bucket]
        assert mask.shape == (64, 64)
        assert set(np.unique(mask)) <= {0, 255}
        assert low < np.count_nonzero(mask) / mask.size <= high


def test_marker_records_parameters(small_dataset):
    parameters = json.loads((small_dataset / MARKER_NAME).read_text())
    for key, value in SMALL.items():
        expected = [value, value] if key == 'size' else value
        assert parameters[key] == expected
    assert parameters['classes'] == list(DEMO_CLASSES)


def test_same_seed_gives_byte_identical_files(small_dataset, tmp_path):
    write_demo_dataset(tmp_path, **SMALL)
    assert all_files(tmp_path) == all_files(small_dataset)


def test_second_call_writes_nothing_and_force_rewrites(tmp_path):
    first = write_demo_dataset(tmp_path, **SMALL)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.rglob('*')}
    second = write_demo_dataset(tmp_path, **SMALL)
    assert first.created and not second.created
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in tmp_path.rglob('*')} == before

    # Each file is replaced by a new one (new inode) with the same content.
    contents = all_files(tmp_path)
    assert write_demo_dataset(tmp_path, force=True, **SMALL).created
    image = next(tmp_path.glob('train/img/*.png'))
    assert image.stat().st_ino != before[image][1]
    assert all_files(tmp_path) == contents


def test_new_parameters_rebuild_and_drop_stale_files(tmp_path):
    write_demo_dataset(tmp_path, **SMALL)
    smaller = dict(SMALL, num_labelled=2, num_unlabelled=1, num_val=1, num_masks=3)
    assert write_demo_dataset(tmp_path, **smaller).created
    assert len(stems(tmp_path / 'train' / 'img')) == 3
    assert len(stems(tmp_path / 'train' / 'label')) == 2
    assert (tmp_path / 'train' / UNLABELLED_LIST_NAME).read_text().split() == ['train_00002']
    assert stems(tmp_path / 'train' / 'audit_label') == ['train_00002']
    assert len(stems(tmp_path / 'val' / 'img')) == len(stems(tmp_path / 'val' / 'label')) == 1
    assert len(stems(tmp_path / 'masks')) == 3
    assert json.loads((tmp_path / MARKER_NAME).read_text())['num_masks'] == 3
    assert not list(tmp_path.rglob('*.tmp'))


def test_mask_count_must_split_over_buckets(tmp_path):
    with pytest.raises(ValueError):
        write_demo_dataset(tmp_path, **dict(SMALL, num_masks=4))
