import os
import os.path as osp
import runpy
import shutil
import sys
from collections import Counter

import numpy as np
import pytest

from fr_inpaint_plugin.datasets import CamVidInpaintDataset, DemoScenesDataset
from fr_inpaint_plugin.datasets.hole_masks import HOLE_RATIO_BUCKETS, bucket_of
from fr_inpaint_plugin.datasets.mask_list import (
    build_mask_list,
    measure_hole_ratio,
    read_mask_list,
    write_mask_list,
)
from tests.conftest import REPO_ROOT

from .conftest import MASK_RATIOS
from .tiny_data import make_masks, row_mask, write_gray

IMAGES = ['val/img/b.jpg', 'val/img/a.jpg', 'val/img/c.jpg']


def test_hole_ratio_is_measured_after_the_resize_to_the_working_size(tmp_path):
    # Eight one-pixel rows, every 4th row of the top half: 12.5% hole at 64x64, but the
    # nearest resize to 16x16 keeps exactly those rows: 50% hole there.
    mask = np.zeros((64, 64), np.uint8)
    mask[0:32:4] = 255
    path = write_gray(tmp_path / 'stripes.png', mask)
    assert measure_hole_ratio(path, (64, 64)) == 0.125
    assert measure_hole_ratio(path, (16, 16)) == 0.5


def test_every_image_gets_one_mask_per_bucket_by_measured_ratio(mask_dir):
    mask_list = build_mask_list(IMAGES, mask_dir, (64, 64), seed=0)
    assert mask_list.buckets == HOLE_RATIO_BUCKETS
    assert len(mask_list.entries) == 9
    for image in IMAGES:
        buckets = [e.bucket for e in mask_list.entries if e.image == image]
        assert sorted(buckets) == sorted(HOLE_RATIO_BUCKETS)
    for entry in mask_list.entries:
        measured = measure_hole_ratio(osp.join(mask_dir, entry.mask), (64, 64))
        assert measured == pytest.approx(entry.hole_ratio, abs=1e-6)
        assert HOLE_RATIO_BUCKETS[bucket_of(measured)] == entry.bucket
    # both masks of each bucket are used (2 per bucket, 3 images: reused in turn); the
    # 75% mask is in no bucket and never listed
    assert len({e.mask for e in mask_list.entries}) == 6
    assert max(e.hole_ratio for e in mask_list.entries) == 0.5625


def test_pairing_is_deterministic_and_round_trips(mask_dir, tmp_path):
    first = build_mask_list(IMAGES, mask_dir, (32, 32), seed=0)
    assert build_mask_list(IMAGES[::-1], mask_dir, (32, 32), seed=0) == first
    path = str(tmp_path / 'list.txt')
    assert write_mask_list(path, first)
    assert read_mask_list(path) == first
    assert not write_mask_list(path, first)  # identical: nothing written
    text = open(path).read()
    assert text.startswith('# fr_inpaint_plugin mask list v1\n# size: 32x32\n# seed: 0\n')
    assert '\t(0,0.2]\n' in text
    # a many-mask set gives another pairing for another seed
    many = tmp_path / 'many'
    make_masks(many, np.linspace(0.05, 0.55, 30))
    pairings = {build_mask_list(IMAGES, str(many), (32, 32), seed=s).entries for s in range(3)}
    assert len(pairings) == 3


def test_different_list_is_not_replaced_silently(mask_dir, tmp_path):
    path = str(tmp_path / 'list.txt')
    write_mask_list(path, build_mask_list(IMAGES, mask_dir, (32, 32)))
    other = build_mask_list(IMAGES[:2], mask_dir, (32, 32))
    with pytest.raises(FileExistsError, match=path):
        write_mask_list(path, other)
    assert write_mask_list(path, other, overwrite=True)
    assert read_mask_list(path) == other


def test_empty_bucket_is_an_error(tmp_path):
    make_masks(tmp_path, [0.1, 0.3])
    with pytest.raises(ValueError, match=f'no mask in {tmp_path}.*\\(0.4,0.6\\]'):
        build_mask_list(IMAGES, str(tmp_path), (32, 32))


def test_demo_masks_land_in_the_buckets_they_were_drawn_for(demo_root):
    dataset = DemoScenesDataset(data_root=demo_root, split='val')
    keys = [dataset.get_data_info(i)['img_key'] for i in range(len(dataset))]
    mask_list = build_mask_list(keys, osp.join(demo_root, 'masks'), (64, 64))
    for entry in mask_list.entries:
        drawn_for = HOLE_RATIO_BUCKETS[int(entry.mask[:-4]) // 2]  # 2 masks per bucket
        assert entry.bucket == drawn_for


def test_make_mask_list_tool(camvid_root, mask_dir, tmp_path, monkeypatch):
    out = tmp_path / 'camvid_val.txt'
    monkeypatch.setattr(sys, 'argv', [
        'make_mask_list.py', '--mask-dir', mask_dir, '--data-root', camvid_root, '--img-dir',
        'val/img', '--img-suffix', '.jpg', '--size', '32', '--out', str(out)
    ])
    runpy.run_path(osp.join(REPO_ROOT, 'tools/make_mask_list.py'), run_name='__main__')
    mask_list = read_mask_list(str(out))
    assert mask_list.size == (32, 32)
    assert Counter(e.image for e in mask_list.entries) == {'val/img/val_000.jpg': 3,
                                                           'val/img/val_001.jpg': 3}
    # the same list from the dataset's config
    from_config = tmp_path / 'from_config.txt'
    monkeypatch.setattr(sys, 'argv', [
        'make_mask_list.py', '--mask-dir', mask_dir, '--config',
        osp.join(REPO_ROOT, 'configs/_base_/datasets/camvid.py'), '--size', '32', '--out',
        str(from_config), '--cfg-options', f'test_dataloader.dataset.data_root={camvid_root}'
    ])
    runpy.run_path(osp.join(REPO_ROOT, 'tools/make_mask_list.py'), run_name='__main__')
    assert from_config.read_text() == out.read_text()


def test_dataset_pairs_each_image_with_its_listed_masks(camvid_root, mask_dir, tmp_path):
    mask_list = str(tmp_path / 'list.txt')
    dataset = CamVidInpaintDataset(data_root=camvid_root, split='val', img_size=32,
                                   mask_list=mask_list, mask_dir=mask_dir)  # built on first use
    assert len(dataset) == 6
    infos = [dataset.get_data_info(i) for i in range(6)]
    assert {info['mask_bucket'] for info in infos} == set(HOLE_RATIO_BUCKETS)
    assert all(info['mask_path'].startswith(mask_dir) for info in infos)
    assert infos[0]['mask_list'] == mask_list and infos[0]['mask_list_size'] == (32, 32)

    # The list records where the masks were; mask_dir finds them after a move.
    moved = shutil.copytree(mask_dir, tmp_path / 'moved')
    dataset = CamVidInpaintDataset(data_root=camvid_root, split='val', mask_list=mask_list,
                                   mask_dir=str(moved))
    assert dataset.get_data_info(0)['mask_path'].startswith(str(moved))
    removed = dataset.get_data_info(0)['mask_path']
    os.remove(removed)
    with pytest.raises(FileNotFoundError, match=f'mask {removed} listed in {mask_list}'):
        CamVidInpaintDataset(data_root=camvid_root, split='val', mask_list=mask_list,
                             mask_dir=str(moved))


def test_list_built_for_other_images_is_refused(camvid_root, mask_dir, tmp_path):
    mask_list = str(tmp_path / 'list.txt')
    write_mask_list(mask_list, build_mask_list(['val/img/other.jpg'], mask_dir, (32, 32)))
    with pytest.raises(ValueError, match=f'{mask_list} was built for other images'):
        CamVidInpaintDataset(data_root=camvid_root, split='val', mask_list=mask_list)
    with pytest.raises(FileNotFoundError, match='make_mask_list'):
        CamVidInpaintDataset(data_root=camvid_root, split='val',
                             mask_list=str(tmp_path / 'absent.txt'))


def test_mask_changed_after_listing_is_an_error_when_loaded(camvid_root, mask_dir, tmp_path):
    masks = shutil.copytree(mask_dir, tmp_path / 'masks')
    dataset = CamVidInpaintDataset(
        data_root=camvid_root, split='val', img_size=32, mask_list=str(tmp_path / 'list.txt'),
        mask_dir=str(masks), pipeline=[dict(type='LoadCheckedImage'),
                                       dict(type='AlignedResize'),
                                       dict(type='LoadMaskFromList')])
    info = dataset.get_data_info(0)
    assert info['mask_bucket'] == (0.0, 0.2)
    assert dataset[0]['hole_ratio'] == pytest.approx(measure_hole_ratio(info['mask_path'],
                                                                        (32, 32)))
    write_gray(info['mask_path'], row_mask((32, 32), 0.5))
    with pytest.raises(ValueError, match=f'{info["mask_path"]} has a hole ratio of 0.5000.*'
                       'outside its bucket \\(0,0.2\\]'):
        dataset[0]


def test_ratios_of_the_fixture_cover_every_bucket():
    assert {bucket_of(r) for r in MASK_RATIOS} == {0, 1, 2, None}
