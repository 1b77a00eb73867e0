import pytest
import torch
from mmagic.registry import DATASETS, MODELS
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper

from fr_inpaint_plugin.models.coarse.pyramid_fill import pyramid_fill


def build_model(cfg):
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def one_batch(cfg, batch_size=2):
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    return pseudo_collate([dataset[i] for i in range(batch_size)])


def inpaint_twice(model):
    """A random batch inpainted as it is and with other values in its holes."""
    img = torch.rand(2, 3, 64, 64) * 2 - 1
    mask = (torch.rand(2, 1, 64, 64) > 0.6).float()
    other_holes = img * (1 - mask) + mask * torch.randn_like(img)
    with torch.no_grad():
        raw, composite = model.inpaint(img, mask)
        _, composite_other = model.inpaint(other_holes, mask)
    return img, mask, raw, composite, composite_other


@pytest.mark.parametrize('prefill', ['constant', 'pyramid'])
def test_composite_keeps_known_pixels_and_never_reads_holes(tiny_coarse_cfg, prefill):
    tiny_coarse_cfg.model.prefill = prefill
    model = build_model(tiny_coarse_cfg).eval()
    img, mask, raw, composite, composite_other = inpaint_twice(model)
    known = (mask == 0).expand_as(img)
    assert torch.equal(composite[known], img[known])
    assert torch.equal(composite, composite_other)
    assert torch.equal(composite[~known], raw[~known])


def test_predict_returns_mmagic_datasamples(tiny_coarse_cfg):
    model = build_model(tiny_coarse_cfg).eval()
    outputs = model.val_step(one_batch(tiny_coarse_cfg))
    assert len(outputs) == 2
    assert outputs[0].output.pred_img.shape == (3, 64, 64)


def parameters_of(module):
    # Parameters only: BatchNorm running statistics move on every forward pass in train mode.
    return {name: p.detach().clone() for name, p in module.named_parameters()}


def changed(before, module):
    return any(not torch.equal(before[k], p) for k, p in module.named_parameters())


@pytest.mark.parametrize('disc_step', [1, 2])
def test_train_step_updates_discriminator_every_step_generator_every_disc_step(
        tiny_coarse_cfg, disc_step):
    tiny_coarse_cfg.model.train_cfg = dict(disc_step=disc_step)
    model = build_model(tiny_coarse_cfg).train()
    optim_wrapper = build_optim_wrapper(model, tiny_coarse_cfg.optim_wrapper)
    batch = one_batch(tiny_coarse_cfg)
    message_hub = MessageHub.get_current_instance()
    for it in range(disc_step):
        message_hub.update_info('iter', it)
        gen_before = parameters_of(model.generator)
        disc_before = parameters_of(model.disc)
        log_vars = model.train_step(batch, optim_wrapper)
        generator_turn = (it + 1) % disc_step == 0
        assert changed(disc_before, model.disc)
        assert changed(gen_before, model.generator) == generator_turn
        assert ('loss_l1' in log_vars) == generator_turn
        assert {'loss_disc_real', 'loss_disc_fake'} <= set(log_vars)
    # The discriminator is trainable again after the generator step froze it.
    assert all(p.requires_grad for p in model.disc.parameters())


def test_amp_path_runs_through_the_optimizer_wrappers(tiny_coarse_cfg, monkeypatch):
    # mmengine builds AmpOptimWrapper only when it sees an accelerator; on this CPU-only test
    # machine we let it build and autocast to bfloat16 on the CPU instead.
    import mmengine.optim.optimizer.amp_optimizer_wrapper as amp_module
    monkeypatch.setattr(amp_module, 'is_cuda_available', lambda: True)
    for name in ('generator', 'disc'):
        tiny_coarse_cfg.optim_wrapper[name].update(type='AmpOptimWrapper', dtype='bfloat16')
    model = build_model(tiny_coarse_cfg).train()
    optim_wrapper = build_optim_wrapper(model, tiny_coarse_cfg.optim_wrapper)
    autocast_dtypes = []
    model.generator.register_forward_hook(
        lambda module, args, out: autocast_dtypes.append(out.dtype))
    MessageHub.get_current_instance().update_info('iter', 0)
    gen_before, disc_before = parameters_of(model.generator), parameters_of(model.disc)
    log_vars = model.train_step(one_batch(tiny_coarse_cfg), optim_wrapper)
    assert autocast_dtypes == [torch.bfloat16]
    assert all(torch.isfinite(v).all() for v in log_vars.values())
    assert changed(gen_before, model.generator) and changed(disc_before, model.disc)


def test_pyramid_prefill_with_a_residual_generator_starts_from_the_smooth_fill(tiny_coarse_cfg):
    tiny_coarse_cfg.model.prefill = 'pyramid'
    tiny_coarse_cfg.model.encdec.residual = True
    model = build_model(tiny_coarse_cfg).eval()
    img, mask, raw, composite, _ = inpaint_twice(model)
    assert torch.equal(raw, pyramid_fill(img, mask))
    assert torch.equal(composite, raw)


def test_unknown_prefill_is_refused(tiny_coarse_cfg):
    tiny_coarse_cfg.model.prefill = 'telea'
    with pytest.raises(ValueError, match='pyramid'):
        build_model(tiny_coarse_cfg)


@pytest.mark.parametrize('loss_vgg, vgg_terms', [
    (None, set()),
    (dict(type='VGGPerceptualStyleLoss', perceptual_weight=0.1, style_weight=0.),
     {'loss_perceptual'}),
    (dict(type='VGGPerceptualStyleLoss', perceptual_weight=0.1, style_weight=25.),
     {'loss_perceptual', 'loss_style'}),
])
def test_optional_vgg_terms_join_the_generator_losses(tiny_coarse_cfg, loss_vgg, vgg_terms):
    tiny_coarse_cfg.model.loss_vgg = loss_vgg
    model = build_model(tiny_coarse_cfg).train()
    optim_wrapper = build_optim_wrapper(model, tiny_coarse_cfg.optim_wrapper)
    MessageHub.get_current_instance().update_info('iter', 0)
    log_vars = model.train_step(one_batch(tiny_coarse_cfg), optim_wrapper)
    generator_terms = {name for name in log_vars if name.startswith('loss_')
                       and not name.startswith('loss_disc')}
    assert generator_terms == {'loss_g_adv', 'loss_l1'} | vgg_terms
    assert all(torch.isfinite(log_vars[name]) for name in generator_terms)
