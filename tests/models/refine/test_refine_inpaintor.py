"""RefineInpaintor standalone: G_s guided by the batch's labels on hole-filled inputs."""
import copy
import os.path as osp

import pytest
import torch
from mmagic.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper

from fr_inpaint_plugin.models.losses import PyramidL1Loss

from ...conftest import REPO_ROOT

GEN_LOSSES = {'loss_g_adv', 'loss_pyramid', 'loss_perceptual', 'loss_style', 'loss_l1'}


def refine_cfg(tiny_refine_cfg):
    """The tiny config as a standalone RefineInpaintor (no frozen stages, no guide switch)."""
    cfg = copy.deepcopy(tiny_refine_cfg)
    for key in ('coarse', 'segmentor', 'guide'):
        cfg.model.pop(key)
    cfg.model.type = 'RefineInpaintor'
    return cfg


def build(cfg):
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def batch(cfg, indices=(0, 1), split='train'):
    dataset = DATASETS.build(cfg[f'{split}_dataloader'].dataset)
    return pseudo_collate([dataset[i] for i in indices])


def test_base_config_has_the_papers_weights():
    model = Config.fromfile(osp.join(REPO_ROOT, 'configs/_base_/models/spade_refiner.py')).model
    assert model.loss_gan == dict(type='GANLoss', gan_type='hinge', loss_weight=0.1)
    assert model.loss_pyramid.loss_weight == 1.0 and model.loss_l1.loss_weight == 1.0
    assert (model.loss_vgg.perceptual_weight, model.loss_vgg.style_weight) == (0.1, 250.)


def test_losses_are_built_with_the_config_weights(tiny_refine_cfg):
    model = build(refine_cfg(tiny_refine_cfg))
    assert model.loss_gan.gan_type == 'hinge' and model.loss_gan.loss_weight == 0.1
    assert isinstance(model.loss_pyramid, PyramidL1Loss) and model.loss_pyramid.loss_weight == 1.
    # The demo recipes weigh style 25, as the CamVid CPU recipe (refine_cpu.py says why).
    assert (model.loss_vgg.perceptual_weight, model.loss_vgg.style_weight) == (0.1, 25.)
    assert model.loss_l1.loss_weight == 1.0
    assert model.num_classes == 6


def test_refine_keeps_known_pixels_and_emits_a_pyramid(tiny_refine_cfg):
    model = build(refine_cfg(tiny_refine_cfg)).eval()
    coarse = torch.rand(2, 3, 64, 64) * 2 - 1
    mask = (torch.rand(2, 1, 64, 64) > 0.6).float()
    guide = torch.randint(0, 6, (2, 1, 64, 64))
    guide[:, :, :8] = 255  # ignored rows
    with torch.no_grad():
        raw, pyramid, composite = model.refine(coarse, guide, mask)
    known = (mask == 0).expand_as(coarse)
    assert torch.equal(composite[known], coarse[known])
    assert torch.equal(composite[~known], raw[~known])
    assert [tuple(level.shape[-2:]) for level in pyramid] == [(8, 8), (16, 16), (32, 32)]


def test_standalone_inputs_are_the_hole_filled_image_and_the_labels(tiny_refine_cfg):
    cfg = refine_cfg(tiny_refine_cfg)
    model = build(cfg)
    data = model.data_preprocessor(batch(cfg), True)
    samples = data['data_samples']
    coarse, guide = model.refine_inputs(data['inputs'], samples)
    mask = samples.mask.float()
    torch.testing.assert_close(coarse, data['inputs'] * (1 - mask) + mask)
    assert torch.equal(guide, samples.gt_seg_map.long())


def test_unlabelled_samples_are_refused_as_ground_truth_guide(tiny_refine_cfg):
    cfg = refine_cfg(tiny_refine_cfg)
    model = build(cfg)
    data = model.data_preprocessor(batch(cfg, indices=(0, 5)), True)  # the demo's 5 is unlabelled
    with pytest.raises(ValueError, match='unlabelled'):
        model.refine_inputs(**data)


def parameters_of(module):
    return {name: p.detach().clone() for name, p in module.named_parameters()}


def changed(before, module):
    return {name for name, p in module.named_parameters() if not torch.equal(before[name], p)}


def test_train_step_updates_both_networks_with_every_loss(tiny_refine_cfg):
    cfg = refine_cfg(tiny_refine_cfg)
    model = build(cfg).train()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    MessageHub.get_current_instance().update_info('iter', 0)
    gen_before, disc_before = parameters_of(model.generator), parameters_of(model.disc)
    log_vars = model.train_step(batch(cfg), optim_wrapper)
    assert GEN_LOSSES | {'loss_disc_real', 'loss_disc_fake'} <= set(log_vars)
    assert all(torch.isfinite(torch.as_tensor(v)).all() for v in log_vars.values())
    assert changed(disc_before, model.disc)
    # The pyramid heads get their gradient from the pyramid loss alone.
    assert {f'pyramid_heads.{i}.weight' for i in range(3)} <= changed(gen_before, model.generator)
    assert all(p.requires_grad for p in model.disc.parameters())


def test_predict_carries_the_visualisation_keys(tiny_refine_cfg):
    cfg = refine_cfg(tiny_refine_cfg)
    model = build(cfg).eval()
    outputs = model.val_step(batch(cfg, indices=(0, ), split='val'))
    output = outputs[0].output
    for key in ('pred_img', 'coarse_img', 'seg_vis'):
        image = getattr(output, key)
        assert image.shape == (3, 64, 64) and 0 <= image.min() and image.max() <= 255
    assert torch.equal(output.pred_seg_map, outputs[0].gt_seg_map.long())
    # Known pixels of the prediction are the input's (compared in the 0-255 output space).
    known = (outputs[0].mask == 0).expand(3, -1, -1)
    torch.testing.assert_close(output.pred_img[known], output.coarse_img[known])


def test_palette_named_by_a_dataset_type_draws_its_colours(tiny_refine_cfg):
    cfg = refine_cfg(tiny_refine_cfg)
    cfg.model.palette = 'DemoScenesDataset'
    model = build(cfg).eval()
    output = model.val_step(batch(cfg, indices=(0, ), split='val'))[0].output
    palette = DATASETS.get('DemoScenesDataset').METAINFO['palette']
    # Every pixel of the guide is drawn in its class's RGB colour (outputs come in MMagic's BGR).
    expected = torch.tensor(palette, dtype=torch.float32)[output.pred_seg_map[0]].permute(2, 0, 1)
    torch.testing.assert_close(output.seg_vis, expected.flip(0))


@pytest.mark.parametrize('palette, message', [
    ('NoSuchDataset', "names no registered dataset type"),
    ([(0, 0, 0)], 'the palette has 1 colours for 6 classes'),
])
def test_unusable_palettes_are_refused(tiny_refine_cfg, palette, message):
    cfg = refine_cfg(tiny_refine_cfg)
    cfg.model.palette = palette
    with pytest.raises(ValueError, match=message):
        build(cfg)
