import pytest
import torch
from mmagic.registry import MODELS


def build_unet(channels=(8, 8, 16, 16, 16, 16)):
    unet = MODELS.build(dict(type='CoarseUNet', channels=channels))
    unet.init_weights()
    return unet


@pytest.mark.parametrize('size', [(64, 64), (128, 64), (64, 192)])
def test_output_shape_and_range(size):
    unet = build_unet()
    out = unet(torch.randn(2, 4, *size))
    assert out.shape == (2, 3, *size)
    assert out.abs().max() <= 1


def test_depth_follows_channels():
    unet = build_unet(channels=(8, 8, 8))
    assert len(unet.encoder) == 3 and unet.size_divisor == 8
    assert unet(torch.randn(1, 4, 24, 16)).shape == (1, 3, 24, 16)


def test_refuses_sizes_not_divisible_by_64():
    with pytest.raises(ValueError, match='divisible by 64'):
        build_unet()(torch.randn(1, 4, 96, 64))


def test_every_scale_has_a_skip_connection():
    # Each decoder conv sees its own upsampled features plus the encoder features of that scale.
    unet = build_unet(channels=(8, 16, 32, 32, 32, 32))
    in_channels = [layer[0].in_channels for layer in unet.decoder] + [unet.to_rgb.in_channels]
    assert in_channels == [32 + 32, 32 + 32, 32 + 32, 32 + 16, 16 + 8, 8 + 4]


def test_an_untrained_residual_unet_returns_its_input_image_exactly():
    unet = MODELS.build(dict(type='CoarseUNet', channels=(8, 8, 16, 16, 16, 16), residual=True))
    unet.init_weights()
    x = torch.rand(2, 4, 64, 64) * 2 - 1
    assert torch.equal(unet(x), x[:, :3])
    with torch.no_grad():
        unet.to_rgb.bias.fill_(0.5)  # once trained, the correction is added and clipped
    assert torch.equal(unet(x), (x[:, :3] + 0.5).clamp(-1, 1))
