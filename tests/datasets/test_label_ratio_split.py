import os.path as osp
import runpy
import sys

import numpy as np
import pytest

from fr_inpaint_plugin.datasets import CamVidInpaintDataset
from fr_inpaint_plugin.datasets.label_ratio_split import (
    ensure_label_ratio_split,
    make_label_ratio_split,
    read_label_ratio_split,
)
from tests.conftest import REPO_ROOT

WITH_LABELS = [f'img/{i:03d}.png' for i in range(16)]
WITHOUT_LABELS = [f'unlabeled/{i:03d}.png' for i in range(8)]
LOAD = [dict(type='LoadCheckedImage'), dict(type='LoadSemanticLabel')]


@pytest.mark.parametrize('ratio, num_labelled', [(1 / 8, 3), (1 / 4, 6), (1 / 2, 12)])
def test_ratio_is_the_labelled_fraction_of_all_training_images(ratio, num_labelled):
    split = make_label_ratio_split(WITH_LABELS, WITHOUT_LABELS, ratio, seed=0)
    assert len(split.labelled) == 24
    assert sum(split.labelled.values()) == num_labelled
    assert not any(split.labelled[image] for image in WITHOUT_LABELS)


def test_same_ratio_and_seed_give_the_same_file(tmp_path):
    first, second, other = tmp_path / 'a.txt', tmp_path / 'b.txt', tmp_path / 'c.txt'
    ensure_label_ratio_split(str(first), WITH_LABELS, WITHOUT_LABELS, 0.25, 3)
    # input order does not matter
    ensure_label_ratio_split(str(second), WITH_LABELS[::-1], WITHOUT_LABELS, 0.25, 3)
    ensure_label_ratio_split(str(other), WITH_LABELS, WITHOUT_LABELS, 0.25, 4)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    text = first.read_text()
    assert '# ratio: 0.25\n# seed: 3\n' in text and 'img/000.png\t' in text
    split = read_label_ratio_split(str(first))
    assert (split.ratio, split.seed, sum(split.labelled.values())) == (0.25, 3, 6)


def test_existing_split_is_never_silently_changed(tmp_path):
    path = tmp_path / 'split.txt'
    ensure_label_ratio_split(str(path), WITH_LABELS, WITHOUT_LABELS, 0.5, 0)
    content, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with pytest.raises(ValueError, match=f'{path}.*ratio 0.5, seed 0.*0.25'):
        ensure_label_ratio_split(str(path), WITH_LABELS, WITHOUT_LABELS, 0.25, 0)
    with pytest.raises(ValueError, match='seed 1'):
        ensure_label_ratio_split(str(path), WITH_LABELS, WITHOUT_LABELS, 0.5, 1)
    with pytest.raises(ValueError, match='does not match the dataset'):
        ensure_label_ratio_split(str(path), WITH_LABELS[:-1], WITHOUT_LABELS, 0.5, 0)
    ensure_label_ratio_split(str(path), WITH_LABELS, WITHOUT_LABELS, 0.5, 0)
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime


def test_nested_draw_puts_each_ratio_inside_the_next():
    def labelled(ratio, draw):
        split = make_label_ratio_split(WITH_LABELS, WITHOUT_LABELS, ratio, seed=1, draw=draw)
        return {image for image, kept in split.labelled.items() if kept}

    eighth, quarter, half = (labelled(r, 'nested') for r in (1 / 8, 1 / 4, 1 / 2))
    assert (len(eighth), len(quarter), len(half)) == (3, 6, 12)
    assert eighth < quarter < half
    # The seeded order the nested draw takes its first images from.
    order = np.random.default_rng(1).permutation(len(WITH_LABELS))
    assert quarter == {sorted(WITH_LABELS)[i] for i in order[:6]}
    # The independent draw (the default) is the one earlier splits were made with.
    independent = np.random.default_rng(1).choice(len(WITH_LABELS), 6, replace=False)
    assert labelled(1 / 4, 'independent') == {sorted(WITH_LABELS)[i] for i in independent}


def test_nested_split_says_so_and_is_kept_apart(tmp_path):
    nested, independent = tmp_path / 'nested.txt', tmp_path / 'independent.txt'
    ensure_label_ratio_split(str(nested), WITH_LABELS, WITHOUT_LABELS, 0.25, 0, 'nested')
    ensure_label_ratio_split(str(independent), WITH_LABELS, WITHOUT_LABELS, 0.25, 0)
    assert '# seed: 0\n# draw: nested\n# num_images' in nested.read_text()
    assert 'draw' not in independent.read_text()
    assert read_label_ratio_split(str(nested)).draw == 'nested'
    assert read_label_ratio_split(str(independent)).draw == 'independent'
    with pytest.raises(ValueError, match='draw nested, not the requested .* draw independent'):
        ensure_label_ratio_split(str(nested), WITH_LABELS, WITHOUT_LABELS, 0.25, 0)
    with pytest.raises(ValueError, match='draw must be one of'):
        make_label_ratio_split(WITH_LABELS, WITHOUT_LABELS, 0.25, 0, draw='stratified')


def test_ratio_needing_more_labels_than_exist_is_an_error():
    with pytest.raises(ValueError, match='at most 0.667'):
        make_label_ratio_split(WITH_LABELS, WITHOUT_LABELS, 1.0, seed=0)
    with pytest.raises(ValueError, match='\\(0, 1\\]'):
        make_label_ratio_split(WITH_LABELS, WITHOUT_LABELS, 0, seed=0)


def test_dataset_hides_the_labels_of_unchosen_images(camvid_root, tmp_path):
    split_file = str(tmp_path / 'split.txt')
    dataset = CamVidInpaintDataset(data_root=camvid_root, split_file=split_file,
                                   split_ratio=0.5, pipeline=LOAD)
    labelled = [dataset.get_data_info(i)['labelled'] for i in range(len(dataset))]
    assert sum(labelled) == 2 and len(labelled) == 4
    hidden = labelled.index(False)
    assert dataset.get_data_info(hidden)['seg_map_path'] is None
    assert (dataset[hidden]['gt_seg_map'] == 255).all()

    # Later phases read the saved split (with or without repeating ratio and seed).
    for kwargs in (dict(), dict(split_ratio=0.5, split_seed=0)):
        again = CamVidInpaintDataset(data_root=camvid_root, split_file=split_file, **kwargs)
        assert [again.get_data_info(i)['labelled'] for i in range(4)] == labelled
    with pytest.raises(ValueError, match=split_file):
        CamVidInpaintDataset(data_root=camvid_root, split_file=split_file, split_ratio=0.25)
    assert len(CamVidInpaintDataset(data_root=camvid_root, split_file=split_file,
                                    label_filter='unlabelled')) == 2


def test_split_made_for_other_images_is_refused(camvid_root, tmp_path):
    split_file = tmp_path / 'split.txt'
    ensure_label_ratio_split(str(split_file), WITH_LABELS, WITHOUT_LABELS, 0.5, 0)
    with pytest.raises(ValueError, match=f'{split_file} does not match the dataset'):
        CamVidInpaintDataset(data_root=camvid_root, split_file=str(split_file))


def test_make_split_tool_writes_what_the_dataset_would(camvid_root, tmp_path, monkeypatch):
    out = tmp_path / 'tool.txt'
    monkeypatch.setattr(sys, 'argv', [
        'make_split.py', osp.join(REPO_ROOT, 'configs/_base_/datasets/camvid.py'), '--ratio',
        '0.25', '--seed', '2', '--draw', 'nested', '--out', str(out), '--cfg-options',
        f'train_dataloader.dataset.data_root={camvid_root}'
    ])
    runpy.run_path(osp.join(REPO_ROOT, 'tools/make_split.py'), run_name='__main__')
    by_dataset = tmp_path / 'dataset.txt'
    CamVidInpaintDataset(data_root=camvid_root, split_file=str(by_dataset), split_ratio=0.25,
                         split_seed=2, split_draw='nested')
    assert out.read_bytes() == by_dataset.read_bytes()
