import torch
from mmagic.registry import MODELS


def test_patch_map_and_realism():
    disc = MODELS.build(dict(type='PatchGANDiscriminator', base_channels=8))
    disc.init_weights()
    logits = disc(torch.randn(2, 3, 64, 64))
    assert logits.shape[:2] == (2, 1) and logits.shape[-1] > 1  # a map of patches, not a scalar
    realism = disc.realism_map(torch.randn(2, 3, 64, 64))
    assert ((realism > 0) & (realism < 1)).all()


def test_paper_relu_and_plain_convs_are_configurable():
    disc = MODELS.build(dict(type='PatchGANDiscriminator', base_channels=8, negative_slope=0.0,
                             with_spectral_norm=False))
    convs = [m for m in disc.modules() if isinstance(m, torch.nn.Conv2d)]
    assert len(convs) == 5  # 4 conv layers + the output layer
    assert not any(hasattr(c, 'weight_orig') for c in convs)
    assert all(m.negative_slope == 0.0 for m in disc.modules() if isinstance(m, torch.nn.LeakyReLU))
