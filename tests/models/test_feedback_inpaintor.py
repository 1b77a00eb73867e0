"""FeedbackInpaintor: frozen G_c and segmentor feeding the trainable refiner, the guide
ablations, the pipeline checkpoint and a Runner run of refine_tiny.py."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmagic.registry import DATASETS, MODELS
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner

from fr_inpaint_plugin.models import FeedbackInpaintor

from .conftest import COARSE_TINY, SEG_TINY


def build(cfg, **overrides):
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.update(overrides)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.init_weights()
    return model


def batch(cfg, indices=(0, 1), split='train'):
    dataset = DATASETS.build(cfg[f'{split}_dataloader'].dataset)
    return pseudo_collate([dataset[i] for i in indices])


def images(seed=0):
    generator = torch.Generator().manual_seed(seed)
    img = torch.rand(2, 3, 64, 64, generator=generator) * 2 - 1
    mask = (torch.rand(2, 1, 64, 64, generator=generator) > 0.6).float()
    return img, mask


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def assert_same(state, module):
    for key, value in module.state_dict().items():
        assert torch.equal(value, state[key]), key


def test_frozen_stages_load_their_checkpoints_and_stay_frozen(tiny_refine_cfg, stage_checkpoints):
    model = build(tiny_refine_cfg)  # init_weights ran
    coarse_ckpt, seg_ckpt = stage_checkpoints
    assert_same(torch.load(coarse_ckpt)['state_dict'], model.coarse)
    assert_same(torch.load(seg_ckpt)['state_dict'], model.segmentor)
    # The S_ia config's own inpainter (and inpaint_on_test) were dropped.
    assert type(model.segmentor).__name__ == 'ConsistencySegmentor'
    assert model.segmentor.inpainter is None and not model.segmentor.inpaint_on_test
    model.train()
    assert model.generator.training and model.disc.training
    for stage in (model.coarse, model.segmentor):
        assert not any(m.training for m in stage.modules())
        assert not any(p.requires_grad for p in stage.parameters())

    before = {'coarse': snapshot(model.coarse), 'segmentor': snapshot(model.segmentor)}
    gen_before = snapshot(model.generator)
    optim_wrapper = build_optim_wrapper(model, tiny_refine_cfg.optim_wrapper)
    assert set(optim_wrapper.keys()) == {'generator', 'disc'}
    MessageHub.get_current_instance().update_info('iter', 0)
    log_vars = model.train_step(batch(tiny_refine_cfg), optim_wrapper)
    assert {'loss_pyramid', 'loss_style', 'loss_disc_real'} <= set(log_vars)
    assert_same(before['coarse'], model.coarse)  # parameters and BatchNorm statistics
    assert_same(before['segmentor'], model.segmentor)
    assert any(not torch.equal(v, gen_before[k]) for k, v in model.generator.state_dict().items())


def test_init_cfg_does_not_reach_the_frozen_stages(tiny_refine_cfg):
    reference = build(tiny_refine_cfg)
    model = build(tiny_refine_cfg, init_cfg=dict(type='Constant', layer='Conv2d', val=0.5))
    assert_same(snapshot(reference.coarse), model.coarse)
    assert_same(snapshot(reference.segmentor), model.segmentor)


def test_inpaint_keeps_known_pixels_and_never_reads_holes(tiny_refine_cfg):
    model = build(tiny_refine_cfg).eval()
    img, mask = images()
    other_holes = img * (1 - mask) + mask * torch.randn_like(img)
    with torch.no_grad():
        out = model.inpaint(img, mask)
        other = model.inpaint(other_holes, mask)
    known = (mask == 0).expand_as(img)
    assert torch.equal(out.refined[known], img[known])
    assert torch.equal(out.coarse[known], img[known])
    assert torch.equal(out.refined, other.refined)
    assert out.semantic.shape == (2, 1, 64, 64) and out.semantic.dtype == torch.int64


def test_untrained_residual_refiner_returns_the_coarse_composite_exactly(tiny_refine_cfg):
    img, mask = images()
    with torch.no_grad():
        residual = build(tiny_refine_cfg).eval().inpaint(img, mask)
        from_scratch = build(tiny_refine_cfg, encdec=dict(
            tiny_refine_cfg.model.encdec, residual=False)).eval().inpaint(img, mask)
    assert torch.equal(residual.refined, residual.coarse)
    # the paper's form paints the holes anew (known pixels stay the input's either way)
    assert torch.equal(from_scratch.coarse, residual.coarse)
    assert not torch.equal(from_scratch.refined, from_scratch.coarse)


def test_warm_start_copies_the_coarse_trunk_and_disc_and_still_returns_the_coarse_composite(
        tiny_refine_cfg):
    model = build(tiny_refine_cfg, warm_start=('trunk', 'disc'))
    refiner = model.generator.state_dict()
    trunk = {key: value for key, value in model.coarse.generator.state_dict().items()
             if key.startswith(('encoder.', 'decoder.'))}
    assert trunk  # weights, biases and BatchNorm statistics
    for key, value in trunk.items():
        assert torch.equal(refiner[key], value), key
    fresh = build(tiny_refine_cfg)
    assert not torch.equal(fresh.generator.encoder[0][0].weight,
                           model.generator.encoder[0][0].weight)
    # SPADE blocks are G_s's own; the heads stay zero, so I_inc comes back untouched.
    assert_same(snapshot(fresh.generator.skip_spades), model.generator.skip_spades)
    assert not model.generator.to_rgb.weight.any()
    assert_same(snapshot(model.coarse.disc), model.disc)
    assert not torch.equal(fresh.disc.state_dict()['model.0.weight_orig'],
                           model.disc.state_dict()['model.0.weight_orig'])
    img, mask = images()
    with torch.no_grad():
        out = model.eval().inpaint(img, mask)
    assert torch.equal(out.refined, out.coarse)


def test_warm_start_refuses_other_architectures_and_unknown_parts(tiny_refine_cfg):
    wider = dict(tiny_refine_cfg.model.encdec, channels=(8, 8, 16, 16, 16, 32))
    with pytest.raises(ValueError, match='same in_channels and channels'):
        build(tiny_refine_cfg, warm_start=('trunk', ), encdec=wider)
    build(tiny_refine_cfg, warm_start=('disc', ), encdec=wider)  # the disc alone is fine
    with pytest.raises(ValueError, match='same disc config'):
        build(tiny_refine_cfg, warm_start=('disc', ),
              disc=dict(tiny_refine_cfg.model.disc, base_channels=16))
    trunkless = build(tiny_refine_cfg).coarse
    trunkless.generator = torch.nn.Identity()
    with pytest.raises(ValueError, match="warm_start 'trunk' needs a coarse stage with a U-Net"):
        build(tiny_refine_cfg, warm_start=('trunk', ), coarse=trunkless)
    with pytest.raises(ValueError, match='warm_start takes parts of'):
        build(tiny_refine_cfg, warm_start=('encoder', ))


def test_each_guide_feeds_the_refiner_its_own_map(tiny_refine_cfg):
    # The paper's form: an untrained residual refiner would return I_inc whatever its guide.
    model = build(tiny_refine_cfg, encdec=dict(tiny_refine_cfg.model.encdec,
                                               residual=False)).eval()
    img, mask = images()
    gt = torch.randint(0, 6, (2, 1, 64, 64))
    seen = []
    model.generator.register_forward_pre_hook(lambda m, args: seen.append(args[1]))
    refined = {}
    for guide in ('segmentor', 'none', 'gt'):
        model.guide = guide
        with torch.no_grad():
            refined[guide] = model.inpaint(img, mask, gt_seg_map=gt)
        assert torch.equal(seen[-1], refined[guide].semantic)

    # 'segmentor': the argmax of the segmentor's logits on I_inc, upsampled to the image size.
    segmentor = model.segmentor
    with torch.no_grad():
        _, logits = segmentor.extract_seg_features(
            segmentor.to_seg_input(refined['segmentor'].coarse))
    expected = F.interpolate(logits, size=(64, 64), mode='bilinear',
                             align_corners=segmentor.align_corners).argmax(1, keepdim=True)
    assert torch.equal(refined['segmentor'].semantic, expected)
    assert (refined['none'].semantic == 255).all()
    assert torch.equal(refined['gt'].semantic, gt)
    # The coarse stage does not depend on the guide; the refined result does.
    assert torch.equal(refined['none'].coarse, refined['gt'].coarse)
    for a, b in (('segmentor', 'none'), ('none', 'gt'), ('segmentor', 'gt')):
        assert not torch.equal(refined[a].refined, refined[b].refined), (a, b)


def test_gt_guide_reads_the_batch_labels_and_refuses_unlabelled_items(tiny_refine_cfg):
    model = build(tiny_refine_cfg, guide='gt', segmentor=None)
    data = model.data_preprocessor(batch(tiny_refine_cfg), True)
    _, guide = model.refine_inputs(**data)
    assert torch.equal(guide, data['data_samples'].gt_seg_map.long())
    data = model.data_preprocessor(batch(tiny_refine_cfg, indices=(0, 5)), True)
    with pytest.raises(ValueError, match='unlabelled'):
        model.refine_inputs(**data)
    with pytest.raises(ValueError, match='gt_seg_map'):
        model.inpaint(*images())


def test_none_guide_needs_no_segmentor(tiny_refine_cfg):
    model = build(tiny_refine_cfg, guide='none', segmentor=None)
    assert model.segmentor is None
    data = model.data_preprocessor(batch(tiny_refine_cfg), True)
    _, guide = model.refine_inputs(**data)
    assert (guide == 255).all()


def test_bad_configurations_are_refused(tiny_refine_cfg, stage_checkpoints):
    with pytest.raises(ValueError, match='guide must be one of'):
        build(tiny_refine_cfg, guide='labels')
    with pytest.raises(ValueError, match='needs a segmentor'):
        build(tiny_refine_cfg, segmentor=None)
    with pytest.raises(FileNotFoundError, match='model.coarse.checkpoint'):
        build(tiny_refine_cfg, coarse=dict(config=COARSE_TINY, checkpoint='missing/iter_4.pth'))
    encdec = dict(tiny_refine_cfg.model.encdec, num_classes=5)
    with pytest.raises(ValueError, match='predicts 6 classes but the generator is conditioned'):
        build(tiny_refine_cfg, encdec=encdec)


def test_state_dict_is_a_self_contained_pipeline_checkpoint(tiny_refine_cfg):
    trained = build(tiny_refine_cfg).eval()
    state = trained.state_dict()
    assert any(k.startswith('coarse.') for k in state)
    assert any(k.startswith('segmentor.') for k in state)
    # Built without earlier checkpoints (S0's config for the same architecture), then loaded.
    empty = build(tiny_refine_cfg,
                  coarse=dict(config=COARSE_TINY, checkpoint=None),
                  segmentor=dict(config=SEG_TINY, checkpoint=None))
    empty.load_state_dict(state, strict=True)
    empty.eval()
    img, mask = images(seed=1)
    with torch.no_grad():
        expected, got = trained.inpaint(img, mask), empty.inpaint(img, mask)
    for name in expected._fields:
        assert torch.equal(getattr(expected, name), getattr(got, name)), name


def test_runner_trains_validates_and_saves_a_pipeline_checkpoint(tiny_refine_cfg):
    cfg = tiny_refine_cfg
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    cfg.default_hooks.checkpoint.interval = 2
    runner = Runner.from_cfg(cfg)
    runner.train()
    checkpoint = osp.join(cfg.work_dir, 'iter_2.pth')
    assert osp.isfile(checkpoint)
    metrics = runner.message_hub.log_scalars
    assert any('PSNR' in key for key in metrics), sorted(metrics)
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)['state_dict']
    model = build(cfg, coarse=dict(config=COARSE_TINY, checkpoint=None),
                  segmentor=dict(config=SEG_TINY, checkpoint=None))
    model.load_state_dict(state, strict=True)
    assert isinstance(model, FeedbackInpaintor)


def test_amp_path_runs_through_the_optimizer_wrappers(tiny_refine_cfg, monkeypatch):
    # As for the coarse stage: let mmengine build AmpOptimWrapper on this CPU-only machine and
    # autocast to bfloat16 there; the frozen stages run outside the wrappers' autocast.
    import mmengine.optim.optimizer.amp_optimizer_wrapper as amp_module
    monkeypatch.setattr(amp_module, 'is_cuda_available', lambda: True)
    for name in ('generator', 'disc'):
        tiny_refine_cfg.optim_wrapper[name].update(type='AmpOptimWrapper', dtype='bfloat16')
    # bfloat16 convolutions are slow on CPUs: a shallow VGG keeps the test short.
    tiny_refine_cfg.model.loss_vgg.update(perceptual_layers=['relu1_1'], style_layers=['relu1_1'])
    model = build(tiny_refine_cfg).train()
    optim_wrapper = build_optim_wrapper(model, tiny_refine_cfg.optim_wrapper)
    dtypes = []
    model.generator.to_rgb.register_forward_hook(lambda m, args, out: dtypes.append(out.dtype))
    model.coarse.generator.register_forward_hook(lambda m, args, out: dtypes.append(out.dtype))
    MessageHub.get_current_instance().update_info('iter', 0)
    gen_before, disc_before = snapshot(model.generator), snapshot(model.disc)
    log_vars = model.train_step(batch(tiny_refine_cfg), optim_wrapper)
    assert dtypes == [torch.float32, torch.bfloat16]
    assert all(torch.isfinite(v).all() for v in log_vars.values())
    assert any(not torch.equal(v, gen_before[k]) for k, v in model.generator.state_dict().items())
    assert any(not torch.equal(v, disc_before[k]) for k, v in model.disc.state_dict().items())
