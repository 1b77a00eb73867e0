"""A second parameter-free floor: push-pull interpolation, the coarse stage's prefill."""
import torch
from mmagic.registry import MODELS
from torch import nn

from ..coarse.pyramid_fill import pyramid_fill


@MODELS.register_module()
class PyramidFillNet(nn.Module):
    """:func:`pyramid_fill` as a generator for MMagic's ``OneStageInpaintor`` (input: masked
    image in [-1, 1] + mask, 1 = hole; output: the filled image), evaluated exactly like a
    learned inpaintor, with no checkpoint."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return pyramid_fill(x[:, :3], x[:, 3:])
