"""G_c: the coarse U-Net inpainter of Ye et al. 2025 (§3.2)."""
from typing import Sequence

import torch
from mmagic.registry import MODELS

from ..unet import UNetTrunk


@MODELS.register_module()
class CoarseUNet(UNetTrunk):
    """U-Net with ``len(channels)`` stride-2 3x3 conv + BN + ReLU encoder layers and as many
    bilinear-x2 + 3x3 conv + BN + ReLU decoder layers, with a skip connection at every scale
    (the last decoder layer sees the input itself and emits RGB).

    Args:
        in_channels: masked image + mask, 4 by default.
        out_channels: 3 (RGB in [-1, 1]).
        channels: encoder widths, deepest last (the paper gives 6 layers, widths are ours).
        residual: predict the whole image through tanh (False, the paper's form) or a
            zero-initialised correction of the input image (True: meant for a smooth prefill of
            the holes, ``CoarseInpaintor(prefill='pyramid')``; an untrained G_c returns it).

    Input sizes must be divisible by ``2 ** len(channels)`` (64 by default); others are
    refused rather than silently padded, so outputs always align pixel-exactly with inputs.
    """

    def __init__(self,
                 in_channels: int = 4,
                 out_channels: int = 3,
                 channels: Sequence[int] = (64, 128, 256, 512, 512, 512),
                 residual: bool = False,
                 init_cfg=None):
        super().__init__(in_channels, out_channels, channels, residual, init_cfg=init_cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        head, _ = self.decode_to_head(*self.encode(x))
        return self.to_image(head, x)
