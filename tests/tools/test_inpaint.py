"""tools/inpaint.py: file and folder modes, pairing by stem, outputs, errors.

The tool runs in-process on a stand-in pipeline checkpoint (tests/apis) so each case takes
milliseconds; tests/apis/test_feedback_inpainting_inferencer_e2e.py runs it as a user does, on a
real FeedbackInpaintor checkpoint.
"""
import importlib.util
import os.path as osp
import subprocess
import sys

import mmcv
import numpy as np
import pytest
from PIL import Image

from tests.apis.test_feedback_inpainting_inferencer import (
    StandInFeedbackInpaintor,
    random_pair,
    save,
    stand_in_cfg,
)
from tests.conftest import REPO_ROOT


def load_tool():
    spec = importlib.util.spec_from_file_location('inpaint_tool',
                                                  osp.join(REPO_ROOT, 'tools/inpaint.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


inpaint_tool = load_tool()


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    model = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    return save(tmp_path_factory.mktemp('ckpt') / 'pipeline.pth', model.state_dict(),
                stand_in_cfg())


def write_pair(folder_img, folder_mask, stem, size, seed=0, img_ext='.jpg'):
    image, mask = random_pair(*size, seed=seed)
    img_path = osp.join(folder_img, stem + img_ext)
    mmcv.imwrite(mmcv.rgb2bgr(image), img_path)
    mmcv.imwrite(mask, osp.join(folder_mask, stem + '.png'))
    return img_path, mask


def run(*args):
    inpaint_tool.main([str(a) for a in args])


def test_folders_paired_by_stem_with_odd_jpeg_sizes(checkpoint, tmp_path):
    imgs, masks, out = tmp_path / 'imgs', tmp_path / 'masks', tmp_path / 'out'
    imgs.mkdir(), masks.mkdir()
    pairs = {stem: write_pair(imgs, masks, stem, size, seed)
             for seed, (stem, size) in enumerate([('a', (333, 517)), ('b', (64, 80))])}
    run(checkpoint, '--img', imgs, '--mask', masks, '--out', out, '--save-semantic',
        '--save-coarse')
    assert sorted(p.name for p in out.iterdir()) == [
        'a.png', 'a_coarse.png', 'a_semantic.png', 'b.png', 'b_coarse.png', 'b_semantic.png']
    for stem, (img_path, mask) in pairs.items():
        source = mmcv.imread(img_path, channel_order='rgb')
        known = mask == 0
        for name in (f'{stem}.png', f'{stem}_coarse.png'):
            result = mmcv.imread(str(out / name), channel_order='rgb')
            assert result.shape == source.shape
            assert np.array_equal(result[known], source[known])
        semantic = Image.open(out / f'{stem}_semantic.png')
        assert semantic.mode == 'P' and semantic.size == (source.shape[1], source.shape[0])
        assert set(np.unique(np.asarray(semantic))) <= {0, 1}
    assert not list(out.glob('.*.tmp'))


def test_one_mask_for_every_image_and_invert_mask(checkpoint, tmp_path):
    imgs, out = tmp_path / 'imgs', tmp_path / 'out'
    imgs.mkdir()
    for seed, stem in enumerate(('x', 'y')):
        write_pair(imgs, tmp_path, stem, (70, 90), seed, img_ext='.png')
    _, mask = random_pair(70, 90, hole_fraction=0.05)
    mmcv.imwrite(255 - mask, str(tmp_path / 'inverted.png'))
    with pytest.raises(SystemExit, match=r'inverted\.png is .* hole: it looks inverted.*'
                       r'pass --invert-mask'):
        run(checkpoint, '--img', imgs, '--mask', tmp_path / 'inverted.png', '--out', out)
    run(checkpoint, '--img', imgs, '--mask', tmp_path / 'inverted.png', '--out', out,
        '--invert-mask', '--img-size', '128')
    assert sorted(p.name for p in out.iterdir()) == ['x.png', 'y.png']
    source = mmcv.imread(str(imgs / 'x.png'), channel_order='rgb')
    result = mmcv.imread(str(out / 'x.png'), channel_order='rgb')
    assert np.array_equal(result[mask == 0], source[mask == 0])


def test_unmatched_stems_are_listed(checkpoint, tmp_path):
    imgs, masks = tmp_path / 'imgs', tmp_path / 'masks'
    imgs.mkdir(), masks.mkdir()
    write_pair(imgs, masks, 'shared', (64, 64))
    mmcv.imwrite(random_pair(64, 64)[0], str(imgs / 'lonely_image.jpg'))
    mmcv.imwrite(random_pair(64, 64)[1], str(masks / 'lonely_mask.png'))
    with pytest.raises(SystemExit, match=r'images without a mask in .*masks: lonely_image; '
                       r'masks without an image in .*imgs: lonely_mask\. .*by file stem'):
        run(checkpoint, '--img', imgs, '--mask', masks, '--out', tmp_path / 'out')


def test_input_errors_name_the_file(checkpoint, tmp_path):
    (tmp_path / 'in').mkdir()
    image_path, _ = write_pair(tmp_path / 'in', tmp_path, 'pic', (64, 64), img_ext='.png')
    mmcv.imwrite(random_pair(64, 65)[1], str(tmp_path / 'wide.png'))
    with pytest.raises(SystemExit, match=r'wide\.png is 64x65 but image .*pic\.png is 64x64'):
        run(checkpoint, '--img', image_path, '--mask', tmp_path / 'wide.png', '--out',
            tmp_path / 'out')
    with pytest.raises(SystemExit, match='would overwrite the input image'):
        run(checkpoint, '--img', image_path, '--mask', tmp_path / 'pic.png', '--out',
            tmp_path / 'in')
    with pytest.raises(SystemExit, match='pipeline checkpoint .*missing.pth does not exist'):
        run(tmp_path / 'missing.pth', '--img', image_path, '--mask', tmp_path / 'pic.png',
            '--out', tmp_path / 'out')
    with pytest.raises(SystemExit, match='--mask .*nothing does not exist'):
        run(checkpoint, '--img', image_path, '--mask', tmp_path / 'nothing', '--out',
            tmp_path / 'out')


def test_grid_columns_with_and_without_ground_truth(checkpoint, tmp_path):
    imgs, masks, gts, out = (tmp_path / name for name in ('imgs', 'masks', 'gts', 'out'))
    imgs.mkdir(), masks.mkdir(), gts.mkdir()
    img_path, mask = write_pair(imgs, masks, 'a', (70, 90), img_ext='.png')
    gt = np.full((70, 90, 3), 7, np.uint8)  # unlike any column the model writes
    mmcv.imwrite(gt, str(gts / 'a.png'))
    mmcv.imwrite(gt, str(gts / 'unused.png'))  # a folder may hold more than the images
    run(checkpoint, '--img', imgs, '--mask', masks, '--out', out, '--grid', '--gt', gts,
        '--save-coarse')
    source = mmcv.imread(img_path, channel_order='rgb')
    grid = mmcv.imread(str(out / 'a_grid.png'), channel_order='rgb')
    masked, coarse, semantic, refined, truth = np.split(grid, 5, axis=1)
    hole = mask > 0
    assert (masked[hole] == 255).all() and np.array_equal(masked[~hole], source[~hole])
    assert np.array_equal(coarse, mmcv.imread(str(out / 'a_coarse.png'), channel_order='rgb'))
    assert np.array_equal(refined, mmcv.imread(str(out / 'a.png'), channel_order='rgb'))
    assert semantic.shape == source.shape and np.array_equal(truth, gt)

    run(checkpoint, '--img', img_path, '--mask', masks / 'a.png', '--out', out, '--grid')
    assert mmcv.imread(str(out / 'a_grid.png')).shape == (70, 4 * 90, 3)


def test_grid_input_errors(checkpoint, tmp_path):
    img_path, _ = write_pair(tmp_path, tmp_path, 'pic', (64, 64), img_ext='.jpg')
    mask_path = tmp_path / 'pic.png'
    with pytest.raises(SystemExit):  # argparse: --gt without --grid
        run(checkpoint, '--img', img_path, '--mask', mask_path, '--out', tmp_path / 'out',
            '--gt', img_path)
    (tmp_path / 'gts').mkdir()
    mmcv.imwrite(np.zeros((64, 64, 3), np.uint8), str(tmp_path / 'gts' / 'other.png'))
    with pytest.raises(SystemExit, match=r'images without a ground truth in .*gts: pic\.'):
        run(checkpoint, '--img', img_path, '--mask', mask_path, '--out', tmp_path / 'out',
            '--grid', '--gt', tmp_path / 'gts')
    mmcv.imwrite(np.zeros((32, 32, 3), np.uint8), str(tmp_path / 'gts' / 'pic.png'))
    with pytest.raises(SystemExit, match=r'ground truth .*pic\.png is 32x32 but image .* is '
                       r'64x64'):
        run(checkpoint, '--img', img_path, '--mask', mask_path, '--out', tmp_path / 'out',
            '--grid', '--gt', tmp_path / 'gts')


def test_cli_on_a_real_pipeline_checkpoint(tmp_path):
    """As a user runs it: a subprocess, a real FeedbackInpaintor checkpoint, a 333x517 JPEG."""
    from tests.apis.test_feedback_inpainting_inferencer_e2e import save_tiny_pipeline
    checkpoint = tmp_path / 'refine.pth'
    save_tiny_pipeline(checkpoint)
    image_path, mask = write_pair(tmp_path, tmp_path, 'street', (333, 517))
    out = tmp_path / 'out'
    result = subprocess.run(
        [sys.executable, 'tools/inpaint.py', str(checkpoint), '--img', image_path, '--mask',
         str(tmp_path / 'street.png'), '--out', str(out), '--save-semantic', '--save-coarse'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    source = mmcv.imread(image_path, channel_order='rgb')
    refined = mmcv.imread(str(out / 'street.png'), channel_order='rgb')
    assert refined.shape == (333, 517, 3)
    assert np.array_equal(refined[mask == 0], source[mask == 0])
    assert np.asarray(Image.open(out / 'street_semantic.png')).max() < 6
    assert (out / 'street_coarse.png').is_file()
