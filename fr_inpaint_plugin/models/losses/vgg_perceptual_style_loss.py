"""Perceptual and style losses of G_s (Ye et al. 2025, §3.5) on a VGG with offline weights.

MMagic's ``PerceptualLoss`` computes the same two terms but cannot be reused: its VGG is built
with ``torchvision.models.vgg19(pretrained=True)``, which downloads the ImageNet checkpoint at
construction and ignores its own ``pretrained`` argument, and torchvision then loads the whole
model (classifier included) strictly, so neither a user VGG19 path nor our features-only offline
VGG16 can be fed to it without patching torchvision.
"""
from pathlib import Path
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from torch import nn

from .vgg_features import VGGFeatureExtractor

DEFAULT_LAYERS = ('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1')


def gram_matrix(features: torch.Tensor) -> torch.Tensor:
    """``F F^T / (C*H*W)`` per image, for features (N,C,H,W): an (N,C,C) tensor."""
    n, c, h, w = features.shape
    # Under autocast the product would run in float16, where these sums over H*W overflow.
    with torch.autocast(device_type=features.device.type, enabled=False):
        flat = features.float().reshape(n, c, h * w)
        return flat @ flat.transpose(1, 2) / (c * h * w)


@MODELS.register_module()
class VGGPerceptualStyleLoss(nn.Module):
    """``perceptual = perceptual_weight * sum_i mean|Phi_i(pred) - Phi_i(target)|`` and
    ``style = style_weight * sum_j mean|Gram(Phi_j(pred)) - Gram(Phi_j(target))|``.

    The perceptual mean over the N_i elements of layer i is the paper's ``1/N_i`` factor. The
    style distance is averaged over the C_j x C_j Gram entries as well (ours; the paper writes a
    plain L1 norm): the paper's weights 0.1 and 250 are EdgeConnect's (Nazeri et al. 2019),
    whose style loss is this mean, and a sum would scale the term by C_j^2 (up to 262,144).

    Args:
        perceptual_weight: 0.1 in the paper; 0 disables the term (``None`` is returned).
        style_weight: 250 in the paper; 0 disables the term (``None`` is returned).
        perceptual_layers, style_layers: VGG layer names (see ``vgg_features`` for the index
            mapping); relu1_1..relu5_1 by default (EdgeConnect's style term reads VGG19's
            relu2_2, relu3_4, relu4_4 and relu5_2 instead).
        backbone: 'vgg16' (default; the paper's VGG19 has no offline weights here) or 'vgg19'.
        pretrained_path: torchvision checkpoint of ``backbone``; required for 'vgg19', ``None``
            reads the prepared offline VGG16 (``tools/prepare_weights.py``).

    ``forward(pred, target)`` takes images in [-1, 1] and returns ``(perceptual, style)``, the
    order of MMagic's ``PerceptualLoss``. No gradient reaches the target or the VGG weights.
    """

    def __init__(self,
                 perceptual_weight: float = 0.1,
                 style_weight: float = 250.,
                 perceptual_layers: Sequence[str] = DEFAULT_LAYERS,
                 style_layers: Sequence[str] = DEFAULT_LAYERS,
                 backbone: str = 'vgg16',
                 pretrained_path: Optional[Union[str, Path]] = None):
        super().__init__()
        self.perceptual_weight = perceptual_weight
        self.style_weight = style_weight
        self.perceptual_layers = tuple(perceptual_layers) if perceptual_weight else ()
        self.style_layers = tuple(style_layers) if style_weight else ()
        layers = dict.fromkeys(self.perceptual_layers + self.style_layers)
        if not layers:
            raise ValueError('both perceptual_weight and style_weight are 0: nothing to compute')
        self.vgg = VGGFeatureExtractor(list(layers), backbone, pretrained_path)

    def forward(self, pred: torch.Tensor,
                target: torch.Tensor) -> Tuple[Optional[torch.Tensor], Optional[torch.Tensor]]:
        pred_features = self.vgg(pred)
        with torch.no_grad():
            target_features = self.vgg(target)

        perceptual = style = None
        if self.perceptual_layers:
            perceptual = self.perceptual_weight * sum(
                F.l1_loss(pred_features[name], target_features[name])
                for name in self.perceptual_layers)
        if self.style_layers:
            style = self.style_weight * sum(
                F.l1_loss(gram_matrix(pred_features[name]), gram_matrix(target_features[name]))
                for name in self.style_layers)
        return perceptual, style
