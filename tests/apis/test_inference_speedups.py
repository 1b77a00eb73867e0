"""BatchNorm folding, channels-last and torch.compile keep the pipeline's outputs within 1e-4."""
import pytest
import torch
from mmcv.cnn import ConvModule
from torch import nn

from fr_inpaint_plugin.apis.export import example_inputs
from fr_inpaint_plugin.apis.inference_speedups import (
    compiled_inpaint,
    fold_batchnorm,
    optimized_for_inference,
)

from .test_feedback_inpainting_inferencer_e2e import save_tiny_pipeline


def trained_statistics(model):
    """Non-trivial running statistics and affine parameters, as training leaves them."""
    generator = torch.Generator().manual_seed(0)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d) and module.running_mean is not None:
            shape = module.running_mean.shape
            module.running_mean.copy_(torch.randn(shape, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(shape, generator=generator) + 0.5)
            if module.affine:
                module.weight.data.copy_(torch.rand(shape, generator=generator) + 0.5)
                module.bias.data.copy_(torch.randn(shape, generator=generator) * 0.1)
    return model


def test_folding_a_conv_bn_pair_keeps_the_output_and_counts_it():
    block = trained_statistics(nn.Sequential(nn.Conv2d(3, 4, 3, bias=False),
                                             nn.BatchNorm2d(4), nn.ReLU())).eval()
    module = trained_statistics(ConvModule(4, 5, 3, norm_cfg=dict(type='BN'))).eval()
    inputs = torch.randn(2, 3, 9, 9)
    expected = module(block(inputs))
    assert fold_batchnorm(block) == 1 and fold_batchnorm(module) == 1
    assert isinstance(block[1], nn.Identity) and isinstance(module.norm, nn.Identity)
    torch.testing.assert_close(module(block(inputs)), expected, atol=1e-5, rtol=1e-5)
    with pytest.raises(ValueError, match='eval mode'):
        fold_batchnorm(nn.Sequential(nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1)))


@pytest.mark.parametrize('channels_last', [False, True])
def test_optimized_pipeline_matches_the_plain_one(tmp_path, channels_last):
    model = trained_statistics(save_tiny_pipeline(tmp_path / 'p.pth')).eval()
    optimized = optimized_for_inference(model, fold_bn=True, channels_last=channels_last)
    assert sum(isinstance(m, nn.BatchNorm2d) and m.affine for m in optimized.modules()) < \
        sum(isinstance(m, nn.BatchNorm2d) and m.affine for m in model.modules())
    image, mask = example_inputs((64, 64), 2)
    with torch.no_grad():
        plain, fast = model.inpaint(image, mask), optimized.inpaint(image, mask)
    torch.testing.assert_close(fast.refined, plain.refined, atol=1e-4, rtol=0)
    torch.testing.assert_close(fast.coarse, plain.coarse, atol=1e-4, rtol=0)
    assert (fast.semantic == plain.semantic).float().mean() > 0.999


@pytest.mark.slow  # Inductor compiles C++ for the CPU: about a minute
def test_compiled_pipeline_matches_the_plain_one(tmp_path):
    model = trained_statistics(save_tiny_pipeline(tmp_path / 'p.pth')).eval()
    image, mask = example_inputs((64, 64), 2)
    with torch.inference_mode():
        plain = model.inpaint(image, mask)
        fast = compiled_inpaint(model)(image, mask)
    torch.testing.assert_close(fast.refined, plain.refined, atol=1e-4, rtol=0)
    torch.testing.assert_close(fast.coarse, plain.coarse, atol=1e-4, rtol=0)
    assert (fast.semantic == plain.semantic).float().mean() > 0.999
