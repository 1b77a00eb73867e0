"""Bad inputs, as users feed them: every case ends in an error that names the file and the fix
(a non-zero exit from the CLI, no output file), or in a documented tolerance that is checked.

The CLI runs in-process on the stand-in pipeline checkpoint of tests/apis (milliseconds per
case); the model-loading cases build the real tiny stages.
"""
import io
import os
import os.path as osp
import shutil
import tempfile
import traceback
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mmengine.config import Config
from mmseg.registry import MODELS as SEG_MODELS
from PIL import Image, ImageOps

from fr_inpaint_plugin.datasets import InpaintSegDataset
from fr_inpaint_plugin.datasets.hole_masks import INVERTED_HOLE_RATIO
from fr_inpaint_plugin.models.frozen_stage import build_frozen_stage
from tests.apis.test_feedback_inpainting_inferencer import (
    StandInFeedbackInpaintor,
    random_pair,
    save,
    stand_in_cfg,
)
from tests.conftest import REPO_ROOT
from tests.datasets.tiny_data import write_gray, write_image
from tests.tools.test_inpaint import run

SEG_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/seg_tiny.py')
COARSE_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse_tiny.py')
H, W = 48, 72  # an odd aspect ratio; the stand-in works at 64x64


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    model = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    return save(tmp_path_factory.mktemp('ckpt') / 'pipeline.pth', model.state_dict(),
                stand_in_cfg())


def files_under(folder) -> list:
    return [osp.join(root, name) for root, _, names in os.walk(folder) for name in names]


def png(path, array):
    Image.fromarray(array).save(path)
    return str(path)


def encoded(array, fmt, **kwargs) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, fmt, **kwargs)
    return buffer.getvalue()


# ------------------------------------------------------------------ the inpainting CLI
IMAGE, HOLE = random_pair(H, W, seed=1)
KNOWN = HOLE == 0


def refused_image(kind, folder):
    path = folder / f'{kind}.png'
    if kind == 'zero_bytes':
        path.write_bytes(b'')
    elif kind == 'truncated_png':
        path.write_bytes(encoded(IMAGE, 'PNG')[:200])
    elif kind == 'truncated_jpeg':
        path = folder / 'truncated.jpg'
        path.write_bytes(encoded(IMAGE, 'JPEG')[:300])
    elif kind == 'text_as_png':
        path.write_text('not an image')
    elif kind == 'missing':
        pass
    return str(path)


def refused_mask(kind, folder):
    path = folder / f'{kind}.png'
    if kind == 'empty':
        png(path, np.zeros((H, W), np.uint8))
    elif kind == 'full':
        png(path, np.full((H, W), 255, np.uint8))
    elif kind == 'inverted':  # a small hole, inverted: most of the image is "hole"
        png(path, 255 - random_pair(H, W, hole_fraction=0.05)[1])
    elif kind == 'non_binary':
        png(path, (np.arange(H * W).reshape(H, W) % 256).astype(np.uint8))
    elif kind == 'other_size':
        png(path, np.pad(HOLE, ((0, 1), (0, 0))))
    elif kind == 'zero_bytes':
        path.write_bytes(b'')
    elif kind == 'missing':
        pass
    return str(path)


def refused_checkpoint(kind, folder, good):
    path = folder / f'{kind}.pth'
    data = open(good, 'rb').read()
    if kind == 'truncated':
        path.write_bytes(data[:len(data) // 2])
    elif kind == 'zero_bytes':
        path.write_bytes(b'')
    elif kind == 'text':
        path.write_text('not a checkpoint')
    elif kind == 'another_model':
        save(path, {'generator.weight': torch.zeros(1)}, stand_in_cfg())
    elif kind == 'runs_code':
        class OpensAFile:
            def __reduce__(self):
                return open, (str(folder / 'code_ran'), 'w')
        torch.save(dict(state_dict={}, payload=OpensAFile()), path)
    return str(path)


CLI_REFUSALS = (
    [('image', kind) for kind in ('zero_bytes', 'truncated_png', 'truncated_jpeg',
                                  'text_as_png', 'missing')]
    + [('mask', kind) for kind in ('empty', 'full', 'inverted', 'non_binary', 'other_size',
                                   'zero_bytes', 'missing')]
    + [('checkpoint', kind) for kind in ('truncated', 'zero_bytes', 'text', 'another_model',
                                         'runs_code')]
    + [('out', 'is_a_file'), ('out', 'inside_a_file')])


@pytest.mark.parametrize('what, kind', CLI_REFUSALS)
def test_cli_refuses_naming_the_file_and_leaves_no_output(what, kind, checkpoint, tmp_path,
                                                          record_outcome):
    inputs = tmp_path / 'in'
    inputs.mkdir()
    image, mask = png(inputs / 'pic.png', IMAGE), png(inputs / 'hole.png', HOLE)
    ckpt, out = checkpoint, tmp_path / 'out'
    if what == 'image':
        image = named = refused_image(kind, inputs)
    elif what == 'mask':
        mask = named = refused_mask(kind, inputs)
    elif what == 'checkpoint':
        ckpt = named = refused_checkpoint(kind, inputs, checkpoint)
    else:
        (tmp_path / 'a_file').write_text('')
        out = tmp_path / 'a_file' / ('sub' if kind == 'inside_a_file' else '')
        named = str(out).rstrip('/')
    with pytest.raises(SystemExit) as exit_info:
        run(ckpt, '--img', image, '--mask', mask, '--out', out, '--grid', '--save-semantic')
    message = str(exit_info.value.code)
    assert message.startswith('error: ') and named in message, message  # non-zero exit
    assert not (inputs / 'code_ran').exists()
    left = [f for f in files_under(tmp_path) if not f.startswith(str(inputs))
            and f != str(tmp_path / 'a_file')]
    record_outcome(f'cli {what} {kind}', 'refused', len(left))
    assert not left


NOBODY = 65534


def as_unprivileged_user(function):
    """``function()``'s string result, computed in a forked child that runs as ``nobody``: root
    writes into read-only folders, users do not."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, report through the pipe, never return
        code = 1
        try:
            os.close(read)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, function().encode())
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, 'rb') as pipe:
        result = pipe.read().decode()
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0, 'the child failed'
    return result


def test_cli_refuses_a_read_only_output_folder(checkpoint, record_outcome):
    """As the user running the tests, or as ``nobody`` when that is root."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        folder.chmod(0o755)  # readable by nobody, as is the checkpoint copy
        image, mask = png(folder / 'pic.png', IMAGE), png(folder / 'hole.png', HOLE)
        ckpt = shutil.copy(checkpoint, folder / 'pipeline.pth')
        out = folder / 'out'
        out.mkdir()
        out.chmod(0o555)

        def refusal() -> str:
            try:
                run(ckpt, '--img', image, '--mask', mask, '--out', out, '--grid',
                    '--save-semantic')
            except SystemExit as exit_info:
                return str(exit_info.code)
            return 'no error'

        message = as_unprivileged_user(refusal) if os.geteuid() == 0 else refusal()
        left = files_under(out)
    assert message.startswith('error: ') and str(out) in message, message
    record_outcome('cli out read_only', 'refused', len(left))
    assert not left


def tolerated_image(kind, folder):
    """``(path, the RGB image the tool must see)`` of an unusual but valid image file."""
    grey = IMAGE[..., 0]
    if kind == 'grey':
        return png(folder / 'grey.png', grey), np.repeat(grey[..., None], 3, 2)
    if kind == 'rgba':
        alpha = np.full((H, W, 1), 100, np.uint8)
        return png(folder / 'rgba.png', np.concatenate([IMAGE, alpha], 2)), IMAGE
    if kind == 'grey_16bit':
        return png(folder / 'g16.png', grey.astype(np.uint16) * 257), \
            np.repeat(grey[..., None], 3, 2)
    if kind == 'rgb_16bit':
        import cv2  # PIL cannot write 16-bit RGB
        path = str(folder / 'rgb16.png')
        cv2.imwrite(path, IMAGE[..., ::-1].astype(np.uint16) * 257)
        return path, IMAGE
    if kind == 'exif_rotated_jpeg':
        path = folder / 'exif.jpg'
        exif = Image.Exif()
        exif[0x0112] = 6  # stored sideways: viewers rotate it upright
        Image.fromarray(IMAGE).transpose(Image.Transpose.ROTATE_90).save(
            path, exif=exif.tobytes(), quality=95)
        return str(path), np.asarray(ImageOps.exif_transpose(Image.open(path)).convert('RGB'))
    raise KeyError(kind)


@pytest.mark.parametrize('kind', ['grey', 'rgba', 'grey_16bit', 'rgb_16bit',
                                  'exif_rotated_jpeg'])
def test_cli_tolerates_image_encodings_as_documented(kind, checkpoint, tmp_path,
                                                     record_outcome):
    """Grey images become 3 equal channels, alpha is dropped, 16-bit is scaled to 8 bits, EXIF
    orientation is applied (as image viewers do): the known pixels come out unchanged."""
    (tmp_path / 'in').mkdir()
    image, seen = tolerated_image(kind, tmp_path / 'in')
    mask = png(tmp_path / 'in' / 'hole.png', HOLE)
    run(checkpoint, '--img', image, '--mask', mask, '--out', tmp_path / 'out')
    result = np.asarray(Image.open(tmp_path / 'out' / (osp.splitext(osp.basename(image))[0]
                                                       + '.png')))
    assert result.shape == (H, W, 3)
    assert np.array_equal(result[KNOWN], seen[KNOWN])
    record_outcome(f'cli image {kind}', 'tolerated')


@pytest.mark.parametrize('kind', ['rgb', 'rgba', '16bit', 'holes_as_1', 'jpeg'])
def test_cli_tolerates_mask_encodings_as_documented(kind, checkpoint, tmp_path,
                                                    record_outcome):
    """A mask may be RGB(A) with equal channels, 16-bit, 0/1 valued, or a JPEG (binarised with
    a warning): the same holes as the 8-bit 0/255 PNG."""
    (tmp_path / 'in').mkdir()
    image = png(tmp_path / 'in' / 'pic.png', IMAGE)
    path = tmp_path / 'in' / ('hole.jpg' if kind == 'jpeg' else 'hole.png')
    array = {'rgb': np.repeat(HOLE[..., None], 3, 2),
             'rgba': np.concatenate([np.repeat(HOLE[..., None], 3, 2),
                                     np.full((H, W, 1), 255, np.uint8)], 2),
             '16bit': HOLE.astype(np.uint16) * 257, 'holes_as_1': HOLE // 255,
             'jpeg': HOLE}[kind]
    Image.fromarray(array).save(path, **({'quality': 95} if kind == 'jpeg' else {}))
    run(checkpoint, '--img', image, '--mask', path, '--out', tmp_path / 'out')
    result = np.asarray(Image.open(tmp_path / 'out' / 'pic.png'))
    assert np.array_equal(result[KNOWN], IMAGE[KNOWN])
    record_outcome(f'cli mask {kind}', 'tolerated')


def test_cli_makes_a_missing_output_folder(checkpoint, tmp_path, record_outcome):
    (tmp_path / 'in').mkdir()
    image, mask = png(tmp_path / 'in' / 'pic.png', IMAGE), png(tmp_path / 'in' / 'h.png', HOLE)
    run(checkpoint, '--img', image, '--mask', mask, '--out', tmp_path / 'new' / 'deeper')
    assert osp.isfile(tmp_path / 'new' / 'deeper' / 'pic.png')
    record_outcome('cli out missing', 'tolerated')


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(height=st.integers(2, 160), width=st.integers(2, 160), data=st.data())
def test_any_size_and_aspect_ratio_keeps_the_known_pixels(height, width, data, checkpoint,
                                                         tmp_path_factory):
    """Property: for every image size (2x2 to 160x160, any aspect ratio) and every
    rectangular hole up to the inverted-mask limit, the output has the input's size and its
    known pixels unchanged."""
    folder = tmp_path_factory.mktemp('any_size')
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    top, left = data.draw(st.integers(0, height - 1)), data.draw(st.integers(0, width - 1))
    bottom = data.draw(st.integers(top + 1, height))
    right = data.draw(st.integers(left + 1, width))
    hole = np.zeros((height, width), np.uint8)
    hole[top:bottom, left:right] = 255
    assume((hole > 0).mean() <= INVERTED_HOLE_RATIO)  # larger holes are refused as inverted
    run(checkpoint, '--img', png(folder / 'x.png', image), '--mask', png(folder / 'm.png', hole),
        '--out', folder / 'out')
    result = np.asarray(Image.open(folder / 'out' / 'x.png'))
    assert result.shape == image.shape
    assert np.array_equal(result[hole == 0], image[hole == 0])


# ------------------------------------------------------------------ models and data
def tiny_segmentor_checkpoint(path, num_classes):
    cfg = Config.fromfile(SEG_TINY).model
    cfg.decode_head.num_classes = cfg.auxiliary_head.num_classes = num_classes
    model = SEG_MODELS.build(cfg)
    torch.save(dict(state_dict=model.state_dict()), path)
    return str(path)


def test_a_checkpoint_with_another_class_count_is_refused_naming_both(tmp_path,
                                                                      record_outcome):
    path = tiny_segmentor_checkpoint(tmp_path / 'seg_11_classes.pth', 11)
    with pytest.raises(ValueError, match=r'seg_11_classes\.pth does not fit the model of its '
                       r'config .*seg_tiny\.py: .*size mismatch.*class count'):
        build_frozen_stage(dict(config=SEG_TINY, checkpoint=path), SEG_MODELS, 'segmentor')
    record_outcome('stage checkpoint with another class count', 'refused')


def test_a_checkpoint_of_another_stage_is_refused_naming_it(tmp_path, record_outcome):
    from mmagic.registry import MODELS
    coarse = MODELS.build(Config.fromfile(COARSE_TINY).model)
    path = save(tmp_path / 'coarse.pth', coarse.state_dict())
    with pytest.raises(ValueError, match=r'segmentor checkpoint .*coarse\.pth does not fit'):
        build_frozen_stage(dict(config=SEG_TINY, checkpoint=path), SEG_MODELS, 'segmentor')
    record_outcome('coarse checkpoint given as the segmentor', 'refused')


@pytest.mark.parametrize('kind', ['out_of_range', 'rgb_label', 'truncated'])
def test_bad_label_maps_are_refused_naming_the_file(kind, tmp_path, record_outcome):
    rng = np.random.default_rng(0)
    write_image(tmp_path / 'img' / 'a.png', rng.integers(0, 256, (8, 8, 3), dtype=np.uint8))
    label = tmp_path / 'label' / 'a.png'
    if kind == 'out_of_range':
        write_gray(label, np.full((8, 8), 7, np.uint8))  # 3 classes
    elif kind == 'rgb_label':
        write_image(label, np.zeros((8, 8, 3), np.uint8))
    else:
        label.parent.mkdir(parents=True, exist_ok=True)
        label.write_bytes(encoded(np.zeros((8, 8), np.uint8), 'PNG')[:30])
    dataset = InpaintSegDataset(
        data_root=str(tmp_path), img_dir='img', label_dir='label', img_suffix='.png',
        metainfo=dict(classes=('a', 'b', 'c'), palette=((0, 0, 0),) * 3),
        pipeline=[dict(type='LoadCheckedImage', key='gt'), dict(type='LoadSemanticLabel')])
    with pytest.raises(ValueError, match=str(label)):
        dataset[0]
    record_outcome(f'dataset label {kind}', 'refused')
