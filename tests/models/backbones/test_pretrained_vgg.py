"""PretrainedVGG: mmcv's VGG as an MMSeg backbone with offline ImageNet weights via init_cfg."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import CheckpointLoader
from mmseg.registry import MODELS

from fr_inpaint_plugin.weights import WEIGHTS_ENV_VAR, load_backbone_features

from ...conftest import REPO_ROOT

VGG16_SEGMENTOR = osp.join(REPO_ROOT,
                           'configs/_base_/models/consistency_segmentor_deeplabv3plus_vgg16.py')
PRETRAINED = dict(type='Pretrained', checkpoint='fr_inpaint://vgg16')


def build_backbone(**kwargs):
    return MODELS.build(dict(_scope_='mmseg', type='PretrainedVGG', **kwargs))


def test_scheme_gives_the_prepared_weights_in_torchvision_layout():
    state = CheckpointLoader.load_checkpoint('fr_inpaint://vgg16')
    prepared = load_backbone_features('vgg16')
    assert sorted(state) == sorted(f'features.{key}' for key in prepared)
    assert all(torch.equal(state[f'features.{key}'], value) for key, value in prepared.items())


def test_init_cfg_loads_every_conv():
    backbone = build_backbone(init_cfg=PRETRAINED)
    backbone.init_weights()
    prepared = load_backbone_features('vgg16')
    loaded = backbone.features.state_dict()
    assert sorted(loaded) == sorted(prepared)
    assert all(torch.equal(loaded[key], value) for key, value in prepared.items())


def test_without_init_cfg_it_is_mmcvs_from_scratch_vgg():
    torch.manual_seed(0)
    backbone = build_backbone()
    backbone.init_weights()
    conv = backbone.features[0].weight
    assert not torch.equal(conv, load_backbone_features('vgg16')['0.weight'])
    # Kaiming (fan_out, relu): std sqrt(2 / (64 * 9)) = 0.059.
    assert conv.std().item() == pytest.approx((2 / (64 * 9))**0.5, rel=0.15)


def test_output_strides_and_channels():
    backbone = build_backbone()
    outs = backbone(torch.zeros(1, 3, 64, 96))
    assert [tuple(out.shape) for out in outs] == [(1, 128, 16, 24), (1, 512, 4, 6),
                                                 (1, 512, 4, 6)]
    single = build_backbone(out_indices=(4, ))(torch.zeros(1, 3, 32, 32))
    assert isinstance(single, tuple) and single[0].shape == (1, 512, 2, 2)


def test_frozen_stages_stay_frozen_in_train_mode():
    backbone = build_backbone(frozen_stages=2)
    assert backbone.train() is backbone
    frozen = [p.requires_grad for p in backbone.features[:10].parameters()]  # stages 1-2
    trained = [p.requires_grad for p in backbone.features[10:].parameters()]
    assert frozen and not any(frozen) and trained and all(trained)


def test_missing_weights_name_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv(WEIGHTS_ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError, match='tools/prepare_weights.py'):
        build_backbone(init_cfg=PRETRAINED).init_weights()


def test_segmentor_config_builds_pretrained_deeplabv3plus():
    cfg = Config.fromfile(VGG16_SEGMENTOR)
    cfg.model.decode_head.num_classes = cfg.model.auxiliary_head.num_classes = 5
    model = MODELS.build(cfg.model)
    model.init_weights()
    assert torch.equal(model.backbone.features[28].weight,
                       load_backbone_features('vgg16')['28.weight'])
    logits = model.eval()(torch.zeros(1, 3, 64, 64), mode='tensor')
    assert logits.shape == (1, 5, 16, 16)
