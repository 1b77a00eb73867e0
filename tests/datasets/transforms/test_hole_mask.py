import numpy as np
import pytest

from fr_inpaint_plugin.datasets import GenerateIrregularMask, LoadMaskFromList

from ..tiny_data import row_mask, write_gray


def listed(mask_path, image_hw=(32, 32), bucket=(0.2, 0.4), list_size=(16, 16)):
    return dict(gt=np.zeros(image_hw + (3, ), np.uint8), gt_path='/data/img/x.jpg',
                mask_path=mask_path, mask_bucket=bucket, mask_list='/lists/val.txt',
                mask_list_size=list_size, sample_idx=0)


def test_listed_mask_is_resized_to_the_image(tmp_path):
    path = write_gray(tmp_path / 'm.png', row_mask((8, 8), 0.25))
    results = LoadMaskFromList()(listed(path))
    mask = results['mask']
    assert mask.shape == (32, 32, 1) and mask.dtype == np.float32
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert mask[:8].all() and not mask[8:].any() and results['hole_ratio'] == 0.25


def test_mask_with_another_aspect_ratio_names_mask_and_image(tmp_path):
    path = write_gray(tmp_path / 'wide.png', row_mask((8, 16), 0.25))
    with pytest.raises(ValueError, match=f'mask {path} is 8x16 but image /data/img/x.jpg is '
                       '32x32'):
        LoadMaskFromList()(listed(path))


def test_mask_outside_its_bucket_names_mask_and_list(tmp_path):
    path = write_gray(tmp_path / 'm.png', row_mask((8, 8), 0.5))
    with pytest.raises(ValueError, match=f'{path} has a hole ratio of 0.5000 at 16x16, outside '
                       'its bucket \\(0.2,0.4\\] in /lists/val.txt'):
        LoadMaskFromList()(listed(path))


def test_inverted_mask_is_an_error(tmp_path):
    path = write_gray(tmp_path / 'inv.png', 255 - row_mask((8, 8), 0.0))
    with pytest.raises(ValueError, match=f'{path}.*inverted'):
        LoadMaskFromList()(listed(path))


def test_item_without_a_listed_mask_is_an_error():
    with pytest.raises(ValueError, match='/data/img/x.jpg has no fixed mask'):
        LoadMaskFromList()(listed(None))


def test_generated_masks_meet_the_hole_ratio_range():
    for index in range(5):
        results = GenerateIrregularMask(hole_ratio_range=(0.2, 0.4))(
            dict(gt=np.zeros((64, 48, 3), np.uint8), sample_idx=index))
        assert results['mask'].shape == (64, 48, 1) and results['mask'].dtype == np.float32
        assert 0.2 < results['hole_ratio'] <= 0.4
        assert results['hole_ratio'] == results['mask'].mean()


def test_seeded_masks_depend_on_the_sample_index_only():
    transform = GenerateIrregularMask(seed=7)

    def mask_of(index):
        np.random.seed(index + 100)  # the global state must not matter
        return transform(dict(gt=np.zeros((32, 32, 3), np.uint8), sample_idx=index))['mask']

    np.testing.assert_array_equal(mask_of(3), mask_of(3))
    assert not np.array_equal(mask_of(3), mask_of(4))


def test_unseeded_masks_follow_numpy_global_seed():
    transform = GenerateIrregularMask()

    def mask_after(seed):
        np.random.seed(seed)
        return transform(dict(gt=np.zeros((32, 32, 3), np.uint8), sample_idx=0))['mask']

    np.testing.assert_array_equal(mask_after(1), mask_after(1))
    assert not np.array_equal(mask_after(1), mask_after(2))
