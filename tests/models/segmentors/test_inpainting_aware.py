"""The inpainting-aware mode (S_ia): a frozen coarse inpainter masks + inpaints the inputs on the
fly during training; the segmentor learns on the composites against the original labels."""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper
from mmseg.structures import SegDataSample

from fr_inpaint_plugin.models.frozen_stage import build_frozen_inpainter
from fr_inpaint_plugin.models.segmentors import ConsistencySegmentor

from .conftest import COARSE_TINY, build_in_mmagic_scope, demo_batch
from .tiny_segmentors import fcn_cfg


class Spy:
    """Wraps ``inpainter.inpaint`` and records every call (inputs and returned composite)."""

    def __init__(self, inpainter):
        self.calls = []
        self.inpaint = inpainter.inpaint
        inpainter.inpaint = self

    def __call__(self, img, mask):
        raw, composite = self.inpaint(img, mask)
        self.calls.append(dict(img=img.clone(), mask=mask.clone(), composite=composite.clone()))
        return raw, composite


def aware_segmentor(inpainter, **kwargs):
    model = build_in_mmagic_scope(fcn_cfg(inpainter=inpainter, **kwargs))
    model.init_weights()
    return model


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def test_inpainter_is_frozen_and_stays_in_eval_mode(tiny_inpainter):
    before = snapshot(tiny_inpainter)
    model = aware_segmentor(tiny_inpainter)  # init_weights ran: the inpainter kept its weights
    assert model.inpainting_aware
    assert all(not p.requires_grad for p in model.inpainter.parameters())
    model.train()
    assert model.training and model.backbone.training
    assert not any(m.training for m in model.inpainter.modules())
    for key, value in snapshot(model.inpainter).items():
        torch.testing.assert_close(value, before[key])


def test_init_cfg_does_not_reach_the_inpainter(tiny_inpainter):
    # A Constant init of every Conv2d of the segmentor would also hit the inpainter's convs.
    before = snapshot(tiny_inpainter)
    model = aware_segmentor(tiny_inpainter,
                            init_cfg=dict(type='Constant', layer='Conv2d', val=0.5))
    for key, value in snapshot(model.inpainter).items():
        torch.testing.assert_close(value, before[key])


def test_train_step_trains_on_composites(tiny_inpainter, demo_train_set):
    model = aware_segmentor(tiny_inpainter)
    spy = Spy(model.inpainter)
    seen_inputs = []
    model.backbone.register_forward_pre_hook(lambda m, a: seen_inputs.append(a[0].detach()))
    optim = OptimWrapper(torch.optim.SGD(
        [p for p in model.parameters() if p.requires_grad], lr=0.1))
    inpainter_before, segmentor_before = snapshot(model.inpainter), snapshot(model.backbone)
    batch = demo_batch(demo_train_set, [0, 1])
    masks = torch.stack([s.mask for s in batch['data_samples']]).float()
    clean = torch.stack([s.gt_img for s in batch['data_samples']]).float() / 127.5 - 1

    log_vars = model.train_step(copy.deepcopy(batch), optim)

    assert torch.isfinite(log_vars['loss'])
    assert len(spy.calls) == 1
    call = spy.calls[0]
    torch.testing.assert_close(call['mask'], masks)  # the batch's own hole masks
    torch.testing.assert_close(call['img'], clean, atol=1e-4, rtol=0)  # the clean image
    # The segmentor saw the composite I_inc, normalised: holes inpainted, known pixels kept.
    assert len(seen_inputs) == 1
    composite = call['composite'].clamp(-1, 1)
    torch.testing.assert_close(seen_inputs[0], model.to_seg_input(composite))
    assert not torch.allclose(seen_inputs[0], model.to_seg_input(clean), atol=1e-3)
    known = (1 - masks).bool().expand_as(clean)
    torch.testing.assert_close(composite[known], clean[known], atol=1e-4, rtol=0)
    # Only the segmentor learnt.
    for key, value in snapshot(model.inpainter).items():
        torch.testing.assert_close(value, inpainter_before[key])
    assert any(not torch.equal(value, segmentor_before[key])
               for key, value in snapshot(model.backbone).items())
    assert not model.inpainter.training


def test_random_masks_when_the_batch_has_none(tiny_inpainter):
    model = aware_segmentor(tiny_inpainter, hole_ratio_range=(0.2, 0.4))
    spy = Spy(model.inpainter)
    samples = [SegDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64)))
               for _ in range(2)]
    from mmengine.structures import PixelData
    for sample in samples:
        sample.gt_sem_seg = PixelData(data=torch.zeros(1, 64, 64, dtype=torch.long))
    model.loss(torch.randn(2, 3, 64, 64), samples)
    ratios = spy.calls[0]['mask'].mean(dim=(1, 2, 3))
    assert ((ratios > 0.2) & (ratios <= 0.4)).all()


def test_random_mask_mode_ignores_batch_masks(tiny_inpainter, demo_train_set):
    model = aware_segmentor(tiny_inpainter, train_masks='random')
    spy = Spy(model.inpainter)
    data = model.data_preprocessor(demo_batch(demo_train_set, [0]), True)
    model.loss(**data)
    assert not torch.equal(spy.calls[0]['mask'], data['data_samples'][0].hole_mask.data[None])


def test_predict_segments_the_input_as_given_unless_asked(tiny_inpainter, demo_train_set):
    batch = demo_batch(demo_train_set, [0])
    plain = aware_segmentor(tiny_inpainter).eval()
    spy = Spy(plain.inpainter)
    plain.test_step(copy.deepcopy(batch))
    assert not spy.calls
    inpainting = aware_segmentor(tiny_inpainter, inpaint_on_test=True).eval()
    spy = Spy(inpainting.inpainter)
    result = inpainting.test_step(copy.deepcopy(batch))
    assert len(spy.calls) == 1 and result[0].pred_sem_seg.data.shape == (1, 64, 64)
    torch.testing.assert_close(spy.calls[0]['mask'], batch['data_samples'][0].mask[None].float())


def test_inpainter_from_config_and_checkpoint(tiny_inpainter, tmp_path):
    checkpoint = tmp_path / 'coarse.pth'
    torch.save(dict(state_dict=tiny_inpainter.state_dict()), checkpoint)
    model = aware_segmentor(dict(config=COARSE_TINY, checkpoint=str(checkpoint)))
    assert type(model.inpainter).__name__ == 'CoarseInpaintor'
    for key, value in snapshot(model.inpainter).items():
        torch.testing.assert_close(value, tiny_inpainter.state_dict()[key])
    assert isinstance(model, ConsistencySegmentor) and not model.inpainter.training


def test_bad_inpainters_are_refused():
    with pytest.raises(TypeError, match='inpaint'):
        build_frozen_inpainter(torch.nn.Conv2d(3, 3, 1), 'inpainter')
    with pytest.raises(ValueError, match='config'):
        build_frozen_inpainter(dict(checkpoint='x.pth'), 'inpainter')
    with pytest.raises(FileNotFoundError, match='train that stage first'):
        build_frozen_inpainter(dict(config=COARSE_TINY, checkpoint='missing/iter_4.pth'),
                               'inpainter')
    # a stage config whose checkpoint nobody set is not silently left untrained
    with pytest.raises(ValueError, match=r'model.inpainter.checkpoint is not set.*--cfg-options'):
        build_frozen_inpainter(dict(config=COARSE_TINY), 'inpainter')
    with pytest.raises(ValueError, match='inpainter'):
        build_in_mmagic_scope(fcn_cfg(inpaint_on_test=True))


def test_checkpoints_hold_the_segmentor_only(tiny_inpainter, tmp_path):
    from mmengine.runner import load_checkpoint, save_checkpoint
    model = aware_segmentor(tiny_inpainter)
    state = model.state_dict()
    assert state and not any(key.startswith('inpainter.') for key in state)
    assert set(state) == set(build_in_mmagic_scope(fcn_cfg()).state_dict())
    path = str(tmp_path / 'seg_ia.pth')
    save_checkpoint(state, path)
    # Loads strictly into a plain segmentor (e.g. a feedback model that holds G_c itself) ...
    plain = build_in_mmagic_scope(fcn_cfg())
    load_checkpoint(plain, path, strict=True)
    # ... and into an inpainting-aware one, whose inpainter stays as it is, even when an older
    # checkpoint carries other inpainter weights.
    other = aware_segmentor(copy.deepcopy(tiny_inpainter))
    inpainter_before = snapshot(other.inpainter)
    load_checkpoint(other, path, strict=True)
    stale = dict(state, **{f'inpainter.{k}': torch.zeros_like(v)
                           for k, v in tiny_inpainter.state_dict().items()})
    other.load_state_dict(stale, strict=True)
    for key, value in snapshot(other.inpainter).items():
        torch.testing.assert_close(value, inpainter_before[key])
    for key, value in other.state_dict().items():
        torch.testing.assert_close(value, state[key])
