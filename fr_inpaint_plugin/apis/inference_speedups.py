"""Inference-only rewrites of a trained pipeline that keep its outputs (within float rounding):
BatchNorm folded into the convolution before it, channels-last memory layout, and
``torch.compile``. Each is kept in ``tools/inpaint.py``/the benchmark only where
``tools/benchmark.py`` shows it helps (docs/results.md: channels-last is, torch.compile is not)."""
import copy

import torch
from mmcv.cnn import ConvModule
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval


def _foldable(conv: nn.Module, norm: nn.Module) -> bool:
    return (type(conv) is nn.Conv2d and type(norm) is nn.BatchNorm2d
            and norm.track_running_stats and norm.running_mean is not None)


def fold_batchnorm(model: nn.Module) -> int:
    """Fold every eval-mode BatchNorm2d that directly follows a Conv2d (inside an
    ``nn.Sequential``, or an MMCV ``ConvModule`` ordered conv -> norm) into that convolution,
    in place; the BatchNorm becomes an identity. Returns how many were folded. The model must
    be in eval mode (running statistics are what get folded)."""
    if model.training:
        raise ValueError('fold_batchnorm needs a model in eval mode (call model.eval())')
    folded = 0
    for module in list(model.modules()):
        if isinstance(module, nn.Sequential):
            for index in range(len(module) - 1):
                if _foldable(module[index], module[index + 1]):
                    module[index] = fuse_conv_bn_eval(module[index], module[index + 1])
                    module[index + 1] = nn.Identity()
                    folded += 1
        elif (isinstance(module, ConvModule) and module.with_norm
              and tuple(module.order[:2]) == ('conv', 'norm')
              and _foldable(module.conv, module.norm)):
            module.conv = fuse_conv_bn_eval(module.conv, module.norm)
            setattr(module, module.norm_name, nn.Identity())
            folded += 1
    return folded


def optimized_for_inference(model: nn.Module, fold_bn: bool = True,
                            channels_last: bool = False) -> nn.Module:
    """A copy of ``model`` (eval mode) with the chosen rewrites; ``model`` is unchanged."""
    optimized = copy.deepcopy(model).eval()
    if fold_bn:
        fold_batchnorm(optimized)
    if channels_last:
        optimized = optimized.to(memory_format=torch.channels_last)
    return optimized


def compiled_inpaint(model: nn.Module):
    """``model.inpaint`` compiled by TorchInductor for inference at fixed shapes (each new
    batch size or image size compiles again), with its weights frozen into the graph (freezing:
    Inductor's CPU inference setting). Call it under ``torch.inference_mode()``."""
    return torch.compile(model.eval().inpaint, dynamic=False, options={'freezing': True})
