"""tools/gpu_check.sh: what it stages for the GPU machine, what it restores there, its summary,
and its CPU dry run end to end on a tiny data set."""
import json
import os
import subprocess
import sys
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch

from fr_inpaint_plugin import weights
from fr_inpaint_plugin.cli import gpu_check
from fr_inpaint_plugin.datasets.mask_list import read_mask_list
from fr_inpaint_plugin.datasets.transforms.aligned_geometry import AlignedResize
from tests.datasets.tiny_data import make_camvid, make_masks, position_image, write_image

REPO = Path(__file__).resolve().parents[2]
needs_weights = pytest.mark.skipif(not weights.is_prepared(weights.weights_dir()),
                                   reason='offline weights not prepared: run '
                                   'python tools/prepare_weights.py')


def test_staged_camvid_is_what_aligned_resize_makes(tmp_path):
    root = make_camvid(tmp_path / 'camvid', num_train=3, num_val=2, hw=(24, 32))
    for image in Path(root).glob('*/img/*.jpg'):  # smooth content: JPEG's error stays small
        write_image(image, position_image(24, 32))
    count = gpu_check.stage_camvid(root, str(tmp_path / 'staged'), 16, limit=2)
    assert count == 4  # the first 2 of each split
    for split in gpu_check.CAMVID_SPLITS:
        for name in sorted(os.listdir(Path(root, split, 'img')))[:2]:
            label_name = name.replace('.jpg', '.png')
            expected = AlignedResize(scale=16).transform(dict(
                gt=mmcv.imread(f'{root}/{split}/img/{name}'),
                gt_seg_map=mmcv.imread(f'{root}/{split}/label/{label_name}', flag='unchanged')))
            label = mmcv.imread(tmp_path / 'staged' / split / 'label' / label_name,
                                flag='unchanged')
            np.testing.assert_array_equal(label, expected['gt_seg_map'])  # lossless
            image = mmcv.imread(tmp_path / 'staged' / split / 'img' / name)
            assert image.shape == (16, 16, 3)
            # JPEG quality 95: close, not equal.
            assert np.abs(image.astype(int) - expected['gt']).mean() < 3


def test_staged_test_masks_are_only_those_the_list_names(tmp_path):
    root = make_camvid(tmp_path / 'camvid', num_train=1, num_val=2, hw=(32, 32))
    mask_dir = tmp_path / 'masks'
    make_masks(mask_dir, [0.1, 0.3, 0.5, 0.1, 0.3, 0.5, 0.7, 0.9])
    out = str(tmp_path / 'staged_masks')
    list_path = str(tmp_path / 'list.txt')
    copied = gpu_check.stage_test_masks(f'{root}/val/img', str(mask_dir), out, list_path, 32)
    mask_list = read_mask_list(list_path)
    named = {entry.mask for entry in mask_list.entries}
    assert len(mask_list.entries) == 2 * 3 and copied == len(named)
    assert set(os.listdir(out)) == named
    assert mask_list.mask_dir == out  # as given: the same relative path on both machines


@needs_weights
def test_weights_survive_the_float16_trip(tmp_path):
    staged = tmp_path / 'staged'
    gpu_check.stage_weights(weights.weights_dir(), staged)
    manifest = gpu_check.restore_weights(staged, tmp_path / 'restored')
    assert weights.is_prepared(tmp_path / 'restored')
    original = weights.read_manifest(weights.weights_dir())
    for name in weights.OFFLINE_BACKBONES:
        assert (manifest['files'][name]['float16_copy_of_sha256']
                == original['files'][name]['sha256'])
        before = weights.load_backbone_features(name)
        after = torch.load(tmp_path / 'restored' / weights.features_file_name(name))
        assert after.keys() == before.keys()
        for key, value in before.items():
            assert after[key].dtype == torch.float32
            torch.testing.assert_close(after[key], value, rtol=2**-10, atol=6e-8)


def test_summary_reads_iteration_times_and_marks_failures(tmp_path):
    (tmp_path / 'timings.tsv').write_text('train_coarse\t50.0\t0\ntest_coarse\t20.0\t0\n'
                                          'benchmark\t5.0\t1\n')
    log = tmp_path / 'train_coarse' / '20261201_000000' / 'vis_data' / 'scalars.json'
    log.parent.mkdir(parents=True)
    # The first window (with the warm-up) is left out: median of 0.2, 0.3, 0.4.
    log.write_text(''.join(json.dumps(dict(time=t, iter=i)) + '\n'
                           for i, t in ((10, 5.0), (20, 0.2), (30, 0.4), (30, 0.3))))
    (tmp_path / 'test_coarse').mkdir()
    (tmp_path / 'test_coarse' / 'metrics.json').write_text(json.dumps(
        {'PSNR@all': 24.5, 'PSNR@0-20': 30.0}))
    summary = gpu_check.summarise(str(tmp_path), dict(
        device='cuda (NVIDIA H200)', iters=30, batch=24, img_size=256, train_options='--amp'))
    train, test, bench = summary['steps']
    assert train['seconds_per_iter'] == pytest.approx(0.3)
    assert train['images_per_s'] == pytest.approx(24 / 0.3)
    assert test['metrics']['PSNR@all'] == 24.5
    markdown = (tmp_path / 'summary.md').read_text()
    assert 'NVIDIA H200' in markdown and '| benchmark | FAILED |' in markdown
    assert 'train_options --amp' in markdown
    assert 'PSNR@all 24.5' in markdown and 'PSNR@0-20' not in markdown


@pytest.mark.slow
@needs_weights
def test_dry_run_runs_every_step_on_the_cpu(tmp_path, record_figure):
    root = make_camvid(tmp_path / 'camvid', num_train=4, num_val=4, hw=(96, 128))
    mask_dir = tmp_path / 'masks'
    make_masks(mask_dir, [0.1, 0.3, 0.5] * 4, hw=(128, 128))
    out = tmp_path / 'out'
    result = subprocess.run(
        ['bash', 'tools/gpu_check.sh', 'dry-run', str(out), '--data-root', root,
         '--mask-dir', str(mask_dir)], cwd=REPO, capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads((out / 'summary.json').read_text())
    steps = {step['step']: step for step in summary['steps']}
    assert list(steps) == ['restore_weights', 'train_coarse', 'train_seg', 'train_refine',
                           'test_coarse', 'test_seg', 'test_refine', 'benchmark']
    assert all(step['status'] == 0 for step in steps.values())
    assert {'PSNR@all', 'SSIM@all', 'LPIPS@all'} <= set(steps['test_refine']['metrics'])
    assert 'mIoU' in steps['test_seg']['metrics']
    assert json.loads((out / 'benchmark.json').read_text())['machine']['device'] == 'cpu'
    # What comes back from the GPU machine: at most 8 files, none in a sub-folder.
    returned = {'gpu_check.log', 'summary.md', 'summary.json', 'benchmark.json', 'benchmark.md',
                'benchmark.png', 'environment.txt'}
    assert returned <= {p.name for p in out.iterdir() if p.is_file()} and len(returned) <= 8
    record_figure(f"gpu_check.sh dry run: {sum(s['seconds'] for s in steps.values()):.0f} s "
                  f'of steps on {torch.get_num_threads()} threads ({sys.platform})')
