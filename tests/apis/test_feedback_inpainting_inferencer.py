"""FeedbackInpaintingInferencer: any input size, known pixels untouched, clear errors, both
loading modes.

Most tests use a stand-in with FeedbackInpaintor's ``inpaint`` contract and its frozen-stage
layout (``coarse``/``segmentor`` built from ``dict(config, checkpoint)``), so the size and
mask handling is tested in milliseconds; tests/apis/test_feedback_inpainting_inferencer_e2e.py
runs the real pipeline.
"""
import os.path as osp
from typing import NamedTuple

import cv2
import mmcv
import numpy as np
import pytest
import torch
from mmagic.registry import MODELS
from mmengine.config import Config
from torch import nn

from fr_inpaint_plugin.apis import FeedbackInpaintingInferencer
from fr_inpaint_plugin.apis.feedback_inpainting_inferencer import read_hole, to_working_size

SIZE = 64


class Output(NamedTuple):
    refined: torch.Tensor
    coarse: torch.Tensor
    semantic: torch.Tensor


def _stage(checkpoint):
    """A 1x1 conv standing in for a frozen stage; loads its checkpoint as the real stages do."""
    conv = nn.Conv2d(4, 3, 1)
    if checkpoint is not None:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'stage checkpoint {checkpoint} does not exist')
        conv.load_state_dict(torch.load(checkpoint)['state_dict'])
    return conv


@MODELS.register_module(name='StandInFeedbackInpaintor', force=True)
class StandInFeedbackInpaintor(nn.Module):
    """FeedbackInpaintor's contract: composites whose known pixels equal ``img``; holes of
    ``img`` never read; semantic (N,1,H,W) int64 (class 1 where the coarse result is bright)."""

    def __init__(self, coarse, segmentor, guide='segmentor'):
        super().__init__()
        self.coarse = _stage(coarse['checkpoint'])
        self.segmentor = _stage(segmentor['checkpoint'])
        self.generator = nn.Conv2d(4, 3, 1)
        self.palette = torch.tensor([[10., 20., 30.], [200., 100., 0.]])

    def inpaint(self, img, mask):
        inputs = torch.cat([img * (1 - mask), mask], dim=1)
        coarse = torch.tanh(self.coarse(inputs)) * mask + img * (1 - mask)
        refined = torch.tanh(self.generator(torch.cat([coarse, mask], 1))) * mask + img * (1 - mask)
        return Output(refined, coarse, (coarse.mean(1, keepdim=True) > 0).long())


def stand_in_cfg(coarse_checkpoint=None, segmentor_checkpoint=None):
    return Config(dict(
        model=dict(type='StandInFeedbackInpaintor',
                   coarse=dict(checkpoint=coarse_checkpoint),
                   segmentor=dict(checkpoint=segmentor_checkpoint)),
        test_dataloader=dict(dataset=dict(type='DemoScenesDataset', img_size=SIZE))))


def save(path, state_dict, cfg=None):
    content = dict(state_dict=state_dict)
    if cfg is not None:
        content['meta'] = dict(cfg=cfg.pretty_text)
    torch.save(content, path)
    return str(path)


@pytest.fixture(scope='module')
def inpainter():
    torch.manual_seed(0)
    model = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    return FeedbackInpaintingInferencer.from_model(model, SIZE)


def random_pair(height, width, seed=0, hole_fraction=0.3):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    hole = np.zeros((height, width), np.uint8)
    top, left = int(height * 0.2), int(width * 0.3)
    hole[top:top + int(height * hole_fraction * 2), left:left + int(width * 0.5)] = 255
    return image, hole


@pytest.mark.parametrize('height, width', [(333, 517), (64, 64), (40, 23), (100, 50)])
def test_any_size_keeps_known_pixels_byte_identical(inpainter, height, width):
    image, mask = random_pair(height, width)
    result = inpainter.inpaint(image, mask)
    hole = mask > 0
    assert result.image.shape == result.coarse.shape == image.shape
    assert result.image.dtype == np.uint8
    assert result.semantic.shape == result.semantic_color.shape[:2] == (height, width)
    assert result.semantic.dtype == np.uint8
    assert np.array_equal(result.image[~hole], image[~hole])
    assert np.array_equal(result.coarse[~hole], image[~hole])
    assert np.array_equal(result.hole, hole)
    # The holes were inpainted, not copied from the input.
    assert not np.array_equal(result.image[hole], image[hole])


def test_semantic_is_drawn_with_the_models_palette(inpainter):
    image, mask = random_pair(70, 90)
    result = inpainter.inpaint(image, mask)
    assert set(np.unique(result.semantic)) <= {0, 1}
    palette = np.array([[10, 20, 30], [200, 100, 0]], np.uint8)
    assert np.array_equal(result.semantic_color, palette[result.semantic])


def test_inputs_from_files_jpeg_of_odd_size(inpainter, tmp_path):
    image, mask = random_pair(333, 517)
    mmcv.imwrite(mmcv.rgb2bgr(image), str(tmp_path / 'photo.jpg'))
    mmcv.imwrite(mask, str(tmp_path / 'photo.png'))
    result = inpainter.inpaint(tmp_path / 'photo.jpg', str(tmp_path / 'photo.png'))
    decoded = mmcv.imread(str(tmp_path / 'photo.jpg'), channel_order='rgb')
    hole = mask > 0
    assert result.image.shape == (333, 517, 3)
    assert np.array_equal(result.image[~hole], decoded[~hole])


@pytest.mark.parametrize('shape', [(333, 517), (40, 23), (64, 200)])
def test_working_mask_covers_every_pixel_touched_by_a_hole(shape):
    """Known working pixels carry no colour from inside an input hole, whatever the scale."""
    rng = np.random.default_rng(1)
    hole = rng.random(shape) > 0.97
    image = np.where(hole[..., None], 255, 0).astype(np.uint8).repeat(3, axis=2)
    work_image, work_hole = to_working_size(image, hole, (SIZE, SIZE))
    assert work_image.shape == (SIZE, SIZE, 3) and work_hole.shape == (SIZE, SIZE)
    assert np.all(work_image[~work_hole] == 0)
    assert work_hole.any() and not work_hole.all()


def test_binary_masks_in_every_encoding_agree():
    _, mask = random_pair(50, 60)
    expected = mask > 0
    for variant in (mask, mask > 0, (mask > 0).astype(np.uint8), mask[..., None]):
        assert np.array_equal(read_hole(variant), expected)
    assert np.array_equal(read_hole(255 - mask, invert=True), expected)


def test_jpeg_mask_is_binarised_with_a_warning(tmp_path):
    mask = cv2.circle(np.zeros((120, 160), np.uint8), (70, 55), 37, 255, -1)
    mmcv.imwrite(mask, str(tmp_path / 'mask.jpg'), params=[cv2.IMWRITE_JPEG_QUALITY, 70])
    with pytest.warns(UserWarning, match='binarised'):
        hole = read_hole(str(tmp_path / 'mask.jpg'))
    assert abs(hole.mean() - (mask > 0).mean()) < 0.02


# ------------------------------------------------------------------------------ errors
def test_size_mismatch_names_both(inpainter):
    image, _ = random_pair(60, 80)
    _, mask = random_pair(60, 81)
    with pytest.raises(ValueError, match='mask array is 60x81 but the image array is 60x80'):
        inpainter.inpaint(image, mask)


def test_grey_mask_is_refused(inpainter, tmp_path):
    image, _ = random_pair(64, 64)
    grey = np.tile(np.linspace(0, 255, 64).astype(np.uint8), (64, 1))
    mmcv.imwrite(grey, str(tmp_path / 'soft.png'))
    with pytest.raises(ValueError, match=r'soft\.png is not a binary mask.*holes are 255 \(or 1\)'):
        inpainter.inpaint(image, str(tmp_path / 'soft.png'))


@pytest.mark.parametrize('fill, match', [(0, 'has no hole'), (255, 'is all hole')])
def test_empty_or_full_mask_is_refused(inpainter, fill, match):
    image, _ = random_pair(64, 64)
    with pytest.raises(ValueError, match=match):
        inpainter.inpaint(image, np.full((64, 64), fill, np.uint8))


def test_inverted_mask_suggests_invert_mask(inpainter):
    image, mask = random_pair(64, 64, hole_fraction=0.05)
    with pytest.raises(ValueError, match=r'looks inverted.*pass --invert-mask'):
        inpainter.inpaint(image, 255 - mask)
    result = inpainter.inpaint(image, 255 - mask, invert_mask=True)
    assert np.array_equal(result.image[mask == 0], image[mask == 0])
    with pytest.raises(ValueError, match='drop --invert-mask'):
        inpainter.inpaint(image, mask, invert_mask=True)


def test_missing_and_corrupt_image_files(inpainter, tmp_path):
    _, mask = random_pair(64, 64)
    with pytest.raises(FileNotFoundError, match='image .*nowhere.png does not exist'):
        inpainter.inpaint(str(tmp_path / 'nowhere.png'), mask)
    (tmp_path / 'broken.jpg').write_bytes(b'\xff\xd8 not really a jpeg')
    with pytest.raises(ValueError, match=r'cannot decode image .*broken\.jpg'):
        inpainter.inpaint(str(tmp_path / 'broken.jpg'), mask)
    image, _ = random_pair(64, 64)
    with pytest.raises(FileNotFoundError, match='mask .*nomask.png does not exist'):
        inpainter.inpaint(image, str(tmp_path / 'nomask.png'))


def test_working_size_must_be_a_multiple_of_64():
    model = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    with pytest.raises(ValueError, match='not a positive multiple of 64'):
        FeedbackInpaintingInferencer.from_model(model, (64, 100))


# ------------------------------------------------------------------------------ loading
def test_pipeline_checkpoint_loads_strictly_from_its_own_config(tmp_path):
    """The stage checkpoints named in the training config need not exist: their weights are in
    the pipeline checkpoint."""
    cfg = stand_in_cfg(coarse_checkpoint='gone/coarse.pth', segmentor_checkpoint='gone/seg.pth')
    trained = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    path = save(tmp_path / 'pipeline.pth', trained.state_dict(), cfg)
    inpainter = FeedbackInpaintingInferencer(path)
    assert inpainter.img_size == (SIZE, SIZE)
    for key, value in trained.state_dict().items():
        assert torch.equal(inpainter.model.state_dict()[key], value)
    assert not inpainter.model.training
    assert FeedbackInpaintingInferencer(path, img_size=128).img_size == (128, 128)


def test_pipeline_checkpoint_of_another_model_fails_loudly(tmp_path):
    path = save(tmp_path / 'other.pth', {'generator.weight': torch.zeros(1)}, stand_in_cfg())
    with pytest.raises(ValueError,
                       match=r'other\.pth does not fit the model of its config: .*mismatch'):
        FeedbackInpaintingInferencer(path)


def test_checkpoint_without_config_needs_one(tmp_path):
    trained = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    path = save(tmp_path / 'bare.pth', trained.state_dict())
    with pytest.raises(ValueError, match=r"carries no config \(meta\['cfg'\].*--config"):
        FeedbackInpaintingInferencer(path)
    config = tmp_path / 'cfg.py'
    stand_in_cfg().dump(str(config))
    assert FeedbackInpaintingInferencer(path, str(config)).img_size == (SIZE, SIZE)


def test_missing_checkpoint_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='pipeline checkpoint .*nope.pth does not exist'):
        FeedbackInpaintingInferencer(str(tmp_path / 'nope.pth'))
    with pytest.raises(ValueError, match='nothing to load'):
        FeedbackInpaintingInferencer()
    with pytest.raises(FileNotFoundError, match='refiner checkpoint .*r.pth does not exist'):
        FeedbackInpaintingInferencer(config=stand_in_cfg(),
                                     refiner_checkpoint=str(tmp_path / 'r.pth'))
    with pytest.raises(FileNotFoundError, match='coarse checkpoint .*c.pth does not exist'):
        FeedbackInpaintingInferencer(config=stand_in_cfg(),
                                     coarse_checkpoint=str(tmp_path / 'c.pth'),
                                     refiner_checkpoint=str(tmp_path / 'r.pth'))
    with pytest.raises(ValueError, match='not both'):
        FeedbackInpaintingInferencer('a.pth', refiner_checkpoint='b.pth')


def test_stage_checkpoints_take_the_refiner_only_from_the_refine_checkpoint(tmp_path):
    """The frozen stages come from their own checkpoints even though the refine-phase
    checkpoint carries (other) copies of them."""
    torch.manual_seed(1)
    coarse, segmentor = _stage(None), _stage(None)
    refine_run = StandInFeedbackInpaintor(dict(checkpoint=None), dict(checkpoint=None))
    coarse_path = save(tmp_path / 'coarse.pth', coarse.state_dict())
    seg_path = save(tmp_path / 'seg.pth', segmentor.state_dict())
    refine_path = save(tmp_path / 'refine.pth', refine_run.state_dict(), stand_in_cfg())
    inpainter = FeedbackInpaintingInferencer(config=stand_in_cfg(), coarse_checkpoint=coarse_path,
                                             segmentor_checkpoint=seg_path,
                                             refiner_checkpoint=refine_path)
    model = inpainter.model
    assert torch.equal(model.coarse.weight, coarse.weight)
    assert torch.equal(model.segmentor.weight, segmentor.weight)
    assert torch.equal(model.generator.weight, refine_run.generator.weight)

    no_refiner = save(tmp_path / 'coarse_only.pth', {'coarse.weight': coarse.weight})
    with pytest.raises(ValueError, match="no weights for 'generator'"):
        FeedbackInpaintingInferencer(config=stand_in_cfg(), refiner_checkpoint=no_refiner)
