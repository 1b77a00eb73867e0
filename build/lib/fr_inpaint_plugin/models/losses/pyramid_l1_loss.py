"""The pyramid loss of G_s (Ye et al. 2025, §3.5): L1 at every scale of the decoder's image
pyramid."""
from typing import Sequence

import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from torch import nn


@MODELS.register_module()
class PyramidL1Loss(nn.Module):
    """``loss_weight * sum_l mean|down_l(target) - pyramid_l|``.

    ``down_l`` is area (box-average) down-sampling of the full-resolution target to the size of
    pyramid level ``l``, so each level is compared with what a perfect image looks like at that
    scale rather than with an aliased subsample.

    Args:
        loss_weight: 1.0 in the paper.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, pyramid: Sequence[torch.Tensor], target: torch.Tensor) -> torch.Tensor:
        """``pyramid``: images (N,C,h_l,w_l) at any scales; ``target``: (N,C,H,W)."""
        if len(pyramid) == 0:
            raise ValueError('PyramidL1Loss got an empty pyramid; the generator emits none '
                             '(num_pyramid=0?)')
        loss = sum(F.l1_loss(level, F.interpolate(target, size=level.shape[-2:], mode='area'))
                   for level in pyramid)
        return self.loss_weight * loss
