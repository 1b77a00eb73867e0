"""G_c: the coarse U-Net inpainter of Ye et al. 2025 (§3.2)."""
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from mmagic.registry import MODELS

from ..init_weights import GANInitModule


def conv_bn_relu(in_channels: int, out_channels: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


@MODELS.register_module()
class CoarseUNet(GANInitModule):
    """U-Net with ``len(channels)`` stride-2 3x3 conv + BN + ReLU encoder layers and as many
    bilinear-x2 + 3x3 conv + BN + ReLU decoder layers, with a skip connection at every scale
    (the last decoder layer sees the input itself and emits RGB through tanh).

    Args:
        in_channels: masked image + mask, 4 by default.
        out_channels: 3 (RGB in [-1, 1]).
        channels: encoder widths, deepest last (the paper gives 6 layers, widths are ours).

    Input sizes must be divisible by ``2 ** len(channels)`` (64 by default); others are
    refused rather than silently padded, so outputs always align pixel-exactly with inputs.
    """

    def __init__(self,
                 in_channels: int = 4,
                 out_channels: int = 3,
                 channels: Sequence[int] = (64, 128, 256, 512, 512, 512),
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        channels = list(channels)
        self.size_divisor = 2**len(channels)
        encoder_in = [in_channels] + channels[:-1]
        self.encoder = nn.ModuleList(
            conv_bn_relu(cin, cout, stride=2) for cin, cout in zip(encoder_in, channels))
        # Decoder layer i upsamples to the resolution of encoder input i and concatenates it.
        decoder_out = encoder_in[1:][::-1]
        decoder_in = [channels[-1]] + decoder_out
        skip_in = encoder_in[::-1]
        self.decoder = nn.ModuleList(
            conv_bn_relu(cin + skip, cout, stride=1)
            for cin, skip, cout in zip(decoder_in, skip_in[:-1], decoder_out))
        self.to_rgb = nn.Conv2d(decoder_in[-1] + in_channels, out_channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        height, width = x.shape[-2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'CoarseUNet needs height and width divisible by {self.size_divisor}, got '
                f'{height}x{width}; resize or crop inputs to a multiple of {self.size_divisor} '
                '(e.g. 256x256) in the data pipeline.')
        skips = [x]
        for layer in self.encoder:
            skips.append(layer(skips[-1]))
        out = skips.pop()
        for layer in self.decoder:
            out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=False)
            out = layer(torch.cat([out, skips.pop()], dim=1))
        out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=False)
        # The last up-sampling layer sees the input itself and emits RGB (no BN, tanh).
        return torch.tanh(self.to_rgb(torch.cat([out, skips.pop()], dim=1)))
