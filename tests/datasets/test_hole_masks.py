import numpy as np
import pytest

from fr_inpaint_plugin.datasets.hole_masks import (
    HOLE_RATIO_BUCKETS,
    bucket_of,
    format_bucket,
    make_irregular_mask,
    parse_bucket,
    read_hole_mask,
    resize_hole_mask,
)

from .tiny_data import row_mask, write_gray


def test_zero_one_and_zero_255_masks_read_alike(tmp_path):
    mask = row_mask((16, 16), 0.25)
    a = read_hole_mask(write_gray(tmp_path / 'a.png', mask))
    b = read_hole_mask(write_gray(tmp_path / 'b.png', mask // 255))
    assert a.dtype == bool and a.mean() == 0.25
    np.testing.assert_array_equal(a, b)


def test_few_grey_pixels_are_binarised_with_a_warning(tmp_path):
    mask = row_mask((64, 16), 0.25)
    mask[16, :] = 100  # below half of 255: known
    mask[17, :] = 200  # above: hole (2 of 64 rows grey: 3.1%)
    path = write_gray(tmp_path / 'edges.png', mask)
    with pytest.warns(UserWarning, match=f'{path} has 3.12% grey pixels.*binarised'):
        hole = read_hole_mask(path)
    assert hole[:16].all() and not hole[16].any() and hole[17].all()


def test_soft_mask_is_refused(tmp_path):
    mask = row_mask((16, 16), 0.25)
    mask[4:6, :] = 100  # 2 of 16 rows grey: 12.5%, more than JPEG edges make
    path = write_gray(tmp_path / 'soft.png', mask)
    with pytest.raises(ValueError, match=f'{path} is not a binary mask: 12.5% .*grey'):
        read_hole_mask(path)


@pytest.mark.parametrize('fraction, match', [(1.0, 'is all hole'),
                                             (0.95, r'is 95.0% hole: it looks inverted')])
def test_almost_all_hole_mask_is_reported_as_inverted(tmp_path, fraction, match):
    path = write_gray(tmp_path / 'inverted.png', row_mask((20, 20), fraction))
    with pytest.raises(ValueError, match=f'{path} {match}.*invert it \\(255 - mask\\)'):
        read_hole_mask(path)
    assert not read_hole_mask(path, invert=True)[:int(20 * fraction)].any()


def test_arrays_read_by_the_same_rules():
    mask = row_mask((20, 20), 0.25)
    np.testing.assert_array_equal(read_hole_mask(mask), read_hole_mask(mask[..., None] // 255))
    with pytest.raises(ValueError, match='the mask array is all hole.*drop --invert-mask'):
        read_hole_mask(np.zeros((4, 4), np.uint8), invert=True)
    assert not read_hole_mask(np.zeros((4, 4), np.uint8)).any()  # the caller decides


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


@pytest.mark.parametrize('hole_ratio_range', HOLE_RATIO_BUCKETS + ((0.1, 0.12), ))
def test_irregular_mask_hole_ratio_in_range(hole_ratio_range):
    low, high = hole_ratio_range
    for seed in range(5):
        mask = make_irregular_mask(np.random.default_rng(seed), (64, 96), hole_ratio_range)
        assert mask.shape == (64, 96) and mask.dtype == np.uint8
        assert set(np.unique(mask)) <= {0, 255}
        assert low < np.count_nonzero(mask) / mask.size <= high


def test_irregular_mask_rejects_bad_range():
    with pytest.raises(ValueError):
        make_irregular_mask(np.random.default_rng(0), 64, (0.5, 0.4))
