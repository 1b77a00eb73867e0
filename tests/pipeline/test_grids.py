"""The inpainting tests side by side: grids cut into their images and laid out per item."""
import io

import numpy as np
import pytest
from PIL import Image

from fr_inpaint_plugin.pipeline.grids import (
    comparison_png,
    comparison_rows,
    cut_grid,
    latest_grids,
    pick_items,
)

REFINER_KEYS = ['input', 'coarse_img', 'seg_vis', 'pred_img', 'gt_img']
COARSE_KEYS = ['gt_img', 'input', 'pred_img']


def write_grid(work_dir, run, item, keys, values):
    """A grid of 4x4 images side by side, image k filled with values[key k]."""
    folder = work_dir / run / 'vis_data' / 'vis_image'
    folder.mkdir(parents=True, exist_ok=True)
    tiles = [np.full((4, 4, 3), values[key], np.uint8) for key in keys]
    Image.fromarray(np.concatenate(tiles, axis=1)).save(folder / f'{item}_0.png')


def test_latest_grids_reads_the_last_run_only(tmp_path):
    for run, item in (('20260101_000000', 'a_holes0-20'), ('20260102_000000', 'b_holes0-20')):
        write_grid(tmp_path, run, item, COARSE_KEYS, dict.fromkeys(COARSE_KEYS, 1))
    grids = latest_grids(str(tmp_path))
    assert list(grids) == ['b_holes0-20']
    assert '20260102_000000' in grids['b_holes0-20']
    assert latest_grids(str(tmp_path / 'missing')) == {}


def test_pick_items_takes_other_images_in_each_bucket():
    items = [f'{image}_holes{bucket}' for image in 'abc' for bucket in ('0-20', '20-40', '40-60')]
    assert pick_items(items, 1) == ['a_holes0-20', 'b_holes20-40', 'c_holes40-60']
    # Once every image is shown, a bucket repeats the earliest names.
    assert pick_items(items, 2) == ['a_holes0-20', 'b_holes0-20', 'c_holes20-40', 'a_holes20-40',
                                    'a_holes40-60', 'b_holes40-60']


def test_cut_grid_returns_each_image_by_key(tmp_path):
    values = {key: 10 * k for k, key in enumerate(REFINER_KEYS)}
    write_grid(tmp_path, 'run', 'a_holes0-20', REFINER_KEYS, values)
    images = cut_grid(str(tmp_path / 'run/vis_data/vis_image/a_holes0-20_0.png'), REFINER_KEYS)
    assert {key: int(image.mean()) for key, image in images.items()} == values
    assert all(image.shape == (4, 4, 3) for image in images.values())


def test_cut_grid_refuses_a_grid_of_other_keys(tmp_path):
    write_grid(tmp_path, 'run', 'a_holes0-20', COARSE_KEYS, dict.fromkeys(COARSE_KEYS, 0))
    with pytest.raises(ValueError, match='a_holes0-20_0.png.*not 5 equal images'):
        cut_grid(str(tmp_path / 'run/vis_data/vis_image/a_holes0-20_0.png'), REFINER_KEYS)


def test_comparison_rows_masked_outputs_maps_truth(tmp_path):
    coarse, guided, unguided, untested = (tmp_path / name for name in
                                          ('coarse', 'guided', 'unguided', 'untested'))
    for item in ('a_holes0-20', 'b_holes40-60'):
        write_grid(coarse, 'run', item, COARSE_KEYS, dict(gt_img=9, input=1, pred_img=2))
        write_grid(guided, 'run', item, REFINER_KEYS,
                   dict(input=1, coarse_img=2, seg_vis=5, pred_img=3, gt_img=9))
        write_grid(unguided, 'run', item, REFINER_KEYS,  # no guide: a blank map
                   dict(input=1, coarse_img=2, seg_vis=0, pred_img=4, gt_img=9))
    write_grid(guided, 'run', 'c_holes20-40', REFINER_KEYS, dict.fromkeys(REFINER_KEYS, 7))
    items, rows = comparison_rows(
        [('coarse', str(coarse), COARSE_KEYS), ('guided', str(guided), REFINER_KEYS),
         ('unguided', str(unguided), REFINER_KEYS), ('untested', str(untested), REFINER_KEYS)])
    assert items == ['a_holes0-20', 'b_holes40-60']  # the items every test with grids has
    assert [(name, [int(image.mean()) for image in images]) for name, images in rows] == [
        ('masked input', [1, 1]), ('coarse', [2, 2]), ('guided: its semantic map', [5, 5]),
        ('guided', [3, 3]), ('unguided', [4, 4]), ('ground truth', [9, 9])]
    assert comparison_rows([('untested', str(untested), REFINER_KEYS)]) == ([], [])


def test_comparison_png_is_an_image_with_a_column_per_item():
    rows = [(name, [np.full((32, 32, 3), 40 * r, np.uint8)] * 3)
            for r, name in enumerate(('masked input', 'coarse', 'ground truth'))]
    png = comparison_png(['a_holes0-20', 'b_holes20-40', 'c_holes40-60'], rows)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    # 2.6 inches of row names, then the images at their own size (100 dpi).
    assert width == 260 + 3 * 32 and height == 30 + 3 * 32
