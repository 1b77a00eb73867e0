"""FeedbackInpaintingInferencer on a real (tiny, untrained) FeedbackInpaintor checkpoint of
refine_tiny.py."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmagic.registry import MODELS
from mmengine.config import Config
from mmengine.registry import DefaultScope

from fr_inpaint_plugin.apis import FeedbackInpaintingInferencer
from tests.conftest import REPO_ROOT, TINY_SIZE, set_img_size

DEMO = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo')
NUM_DEMO_CLASSES = 6


def save_tiny_pipeline(path, seed=0):
    """What a refine run's final checkpoint holds (Runner.save_checkpoint: ``meta['cfg']`` +
    ``state_dict``), for refine_tiny.py at 64x64 with untrained stages. Returns the model."""
    cfg = Config.fromfile(osp.join(DEMO, 'refine_tiny.py'))
    set_img_size(cfg, (TINY_SIZE, TINY_SIZE))
    cfg.model.coarse = dict(config=osp.join(DEMO, 'coarse_tiny.py'), checkpoint=None)
    cfg.model.segmentor = dict(config=osp.join(DEMO, 'seg_ia_tiny.py'), checkpoint=None)
    torch.manual_seed(seed)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    model.init_weights()
    torch.save(dict(meta=dict(cfg=cfg.pretty_text), state_dict=model.state_dict()), path)
    return model


@pytest.fixture(scope='module')
def pipeline(tmp_path_factory):
    path = tmp_path_factory.mktemp('pipeline') / 'refine_iter_4.pth'
    return str(path), save_tiny_pipeline(path).eval()


def test_pipeline_checkpoint_end_to_end_at_any_size(pipeline):
    path, trained = pipeline
    inpainter = FeedbackInpaintingInferencer(path)
    assert inpainter.img_size == (TINY_SIZE, TINY_SIZE)
    state = inpainter.model.state_dict()
    assert all(torch.equal(state[k], v) for k, v in trained.state_dict().items())

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (333, 517, 3), dtype=np.uint8)
    mask = np.zeros((333, 517), np.uint8)
    mask[100:220, 150:400] = 255
    result = inpainter.inpaint(image, mask)
    known = mask == 0
    assert result.image.shape == result.coarse.shape == image.shape
    assert np.array_equal(result.image[known], image[known])
    assert np.array_equal(result.coarse[known], image[known])
    assert result.semantic.shape == (333, 517) and result.semantic.max() < NUM_DEMO_CLASSES
    palette = trained.palette.numpy().astype(np.uint8)
    assert np.array_equal(result.semantic_color, palette[result.semantic])


def test_working_size_input_matches_the_model(pipeline):
    """At the working size nothing is resized: the result is the model's own composite."""
    path, trained = pipeline
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (TINY_SIZE, TINY_SIZE, 3), dtype=np.uint8)
    mask = np.zeros((TINY_SIZE, TINY_SIZE), np.uint8)
    mask[10:40, 20:50] = 1
    result = FeedbackInpaintingInferencer(path).inpaint(image, mask)
    img_t = torch.from_numpy(image).permute(2, 0, 1)[None].float() / 127.5 - 1
    with torch.no_grad():
        expected = trained.inpaint(img_t, torch.from_numpy(mask).float()[None, None])
    refined = ((expected.refined[0].permute(1, 2, 0).numpy() + 1) * 127.5).round()
    assert np.abs(result.image.astype(int) - refined.clip(0, 255)).max() <= 1
    assert np.array_equal(result.semantic, expected.semantic[0, 0].numpy().astype(np.uint8))


def test_stage_checkpoints_end_to_end(pipeline, tmp_path):
    """Stages from their own checkpoints, the refiner from another refine run's checkpoint."""
    path, trained = pipeline
    torch.save(dict(state_dict=trained.coarse.state_dict()), tmp_path / 'coarse.pth')
    torch.save(dict(state_dict=trained.segmentor.state_dict()), tmp_path / 'seg.pth')
    other_run = save_tiny_pipeline(tmp_path / 'other_refine.pth', seed=1)
    config = tmp_path / 'refine.py'
    Config.fromstring(torch.load(path)['meta']['cfg'], '.py').dump(str(config))
    inpainter = FeedbackInpaintingInferencer(config=str(config),
                                             coarse_checkpoint=str(tmp_path / 'coarse.pth'),
                                             segmentor_checkpoint=str(tmp_path / 'seg.pth'),
                                             refiner_checkpoint=str(tmp_path / 'other_refine.pth'))
    model = inpainter.model
    for part, source in (('coarse', trained), ('segmentor', trained), ('generator', other_run),
                         ('disc', other_run)):
        for key, value in getattr(source, part).state_dict().items():
            assert torch.equal(getattr(model, part).state_dict()[key], value), f'{part}.{key}'


def test_missing_stage_config_is_named(pipeline, tmp_path, monkeypatch):
    path, _ = pipeline
    cfg = Config.fromstring(torch.load(path)['meta']['cfg'], '.py')
    cfg.model.coarse.config = 'configs/fr_inpaint/demo/coarse_tiny.py'  # as a real run writes it
    config = tmp_path / 'refine.py'
    cfg.dump(str(config))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r'coarse stage config configs/fr_inpaint/demo/'
                       r'coarse_tiny\.py does not exist.*run from the directory it was trained'):
        FeedbackInpaintingInferencer(path, str(config))


def test_channels_last_layout_keeps_the_results(pipeline):
    """The default channels-last layout (faster on CPU) against the plain layout: the 8-bit
    outputs differ by at most one level (float rounding), the semantic maps agree."""
    path, _ = pipeline
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (70, 90, 3), dtype=np.uint8)
    mask = np.zeros((70, 90), np.uint8)
    mask[20:50, 30:70] = 255
    fast = FeedbackInpaintingInferencer(path).inpaint(image, mask)
    plain = FeedbackInpaintingInferencer(path, channels_last=False).inpaint(image, mask)
    assert np.abs(fast.image.astype(int) - plain.image.astype(int)).max() <= 1
    assert (fast.semantic == plain.semantic).mean() > 0.999
