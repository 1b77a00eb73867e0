import numpy as np
import pytest

from fr_inpaint_plugin.datasets.hole_masks import (bucket_of, format_bucket, parse_bucket,
                                                   read_hole_mask, resize_hole_mask)
from .tiny_data import row_mask, write_gray


def test_zero_one_and_zero_255_masks_read_alike(tmp_path):
    mask = row_mask((16, 16), 0.25)
    a = read_hole_mask(write_gray(tmp_path / 'a.png', mask))
    b = read_hole_mask(write_gray(tmp_path / 'b.png', mask // 255))
    assert a.dtype == bool and a.mean() == 0.25
    np.testing.assert_array_equal(a, b)


def test_non_binary_mask_is_binarised_with_a_warning(tmp_path):
    mask = row_mask((16, 16), 0.25)
    mask[4, :] = 100  # below half of 255: known
    mask[5, :] = 200  # above: hole
    path = write_gray(tmp_path / 'soft.png', mask)
    with pytest.warns(UserWarning, match=f'{path} is not binary'):
        hole = read_hole_mask(path)
    assert hole[:4].all() and not hole[4].any() and hole[5].all()


def test_almost_all_hole_mask_is_reported_as_inverted(tmp_path):
    path = write_gray(tmp_path / 'inverted.png', 255 - row_mask((20, 20), 0.0))
    with pytest.raises(ValueError, match=f'{path} is 100.0% hole.*invert'):
        read_hole_mask(path)


def test_corrupt_or_missing_mask_names_the_file(tmp_path):
    path = tmp_path / 'broken.png'
    path.write_bytes(b'not a png at all')
    with pytest.raises(ValueError, match=f'cannot decode hole mask {path}'):
        read_hole_mask(str(path))
    with pytest.raises(FileNotFoundError, match='gone.png'):
        read_hole_mask(str(tmp_path / 'gone.png'))


def test_nearest_resize_keeps_masks_binary():
    hole = np.zeros((7, 9), bool)
    hole[2:5, 3:8] = True
    resized = resize_hole_mask(hole, (21, 18))
    assert resized.dtype == bool and resized.shape == (21, 18)
    assert abs(resized.mean() - hole.mean()) < 0.05


def test_buckets_are_left_open_right_closed():
    assert bucket_of(0.0) is None
    assert bucket_of(0.2) == 0 and bucket_of(0.2000001) == 1
    assert bucket_of(0.6) == 2 and bucket_of(0.61) is None
    assert parse_bucket(format_bucket((0.2, 0.4))) == (0.2, 0.4)
    with pytest.raises(ValueError):
        parse_bucket('[0.2,0.4]')
