"""The U-Net trunk shared by G_c (coarse, §3.2) and G_s (refine, §3.4) of Ye et al. 2025."""
from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .init_weights import GANInitModule


def conv_bn_relu(in_channels: int, out_channels: int, stride: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))


class UNetTrunk(GANInitModule):
    """``len(channels)`` stride-2 3x3 conv + BN + ReLU encoder layers and as many bilinear-x2 +
    3x3 conv + BN + ReLU decoder layers, with a skip connection at every scale; the last
    up-sampling layer sees the input itself and emits RGB through tanh (no BN).

    Input sizes must be divisible by ``2 ** len(channels)``; others are refused rather than
    silently padded, so outputs always align pixel-exactly with inputs.
    """

    def __init__(self, in_channels: int, out_channels: int, channels: Sequence[int],
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        channels = list(channels)
        self.size_divisor = 2**len(channels)
        # The skips are the encoder inputs: the network input and every encoder output but the
        # deepest, which feeds the decoder directly.
        self.skip_channels = [in_channels] + channels[:-1]
        self.encoder = nn.ModuleList(
            conv_bn_relu(cin, cout, stride=2) for cin, cout in zip(self.skip_channels, channels))
        # Decoder layer i upsamples to the resolution of skip -(i+1) and concatenates it.
        self.decoder_channels = self.skip_channels[1:][::-1]
        decoder_in = [channels[-1]] + self.decoder_channels
        self.decoder = nn.ModuleList(
            conv_bn_relu(cin + skip, cout, stride=1) for cin, skip, cout in zip(
                decoder_in, self.skip_channels[::-1][:-1], self.decoder_channels))
        self.to_rgb = nn.Conv2d(decoder_in[-1] + in_channels, out_channels, 3, padding=1)

    def check_size(self, x: torch.Tensor) -> None:
        height, width = x.shape[-2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'{type(self).__name__} needs height and width divisible by '
                f'{self.size_divisor}, got {height}x{width}; resize or crop inputs to a multiple '
                f'of {self.size_divisor} (e.g. 256x256) in the data pipeline.')

    def encode(self, x: torch.Tensor) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """``(bottleneck, skips)``; skips run from the input to the deepest but one."""
        self.check_size(x)
        skips = [x]
        for layer in self.encoder:
            skips.append(layer(skips[-1]))
        return skips.pop(), skips

    def decode(self, bottleneck: torch.Tensor,
               skips: List[torch.Tensor]) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """``(RGB output, decoder features coarse to fine)``."""
        head, features = self.decode_to_head(bottleneck, skips)
        return torch.tanh(head), features

    def decode_to_head(self, bottleneck: torch.Tensor,
                       skips: List[torch.Tensor]) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """``(to_rgb's output before any activation, decoder features coarse to fine)``."""
        skips = list(skips)
        out, features = bottleneck, []
        for layer in self.decoder:
            out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=False)
            out = layer(torch.cat([out, skips.pop()], dim=1))
            features.append(out)
        out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=False)
        return self.to_rgb(torch.cat([out, skips.pop()], dim=1)), features
