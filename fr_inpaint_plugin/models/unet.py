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
    up-sampling layer sees the input itself and emits RGB (no BN) in one of two forms:

    * whole image (``residual=False``, the paper's form): ``tanh(to_rgb(.))``;
    * residual (``residual=True``): a correction of the input's first ``out_channels``
      channels, ``clip(x[:, :out_channels] + to_rgb(.), -1, 1)``, with ``to_rgb`` initialised to
      zero, so an untrained network returns that part of its input exactly and training is
      judged only on what it adds.

    Input sizes must be divisible by ``2 ** len(channels)``; others are refused rather than
    silently padded, so outputs always align pixel-exactly with inputs.
    """

    def __init__(self, in_channels: int, out_channels: int, channels: Sequence[int],
                 residual: bool = False, init_cfg=None):
        if residual and in_channels < out_channels:
            raise ValueError(f'a residual network corrects its first {out_channels} input '
                             f'channels, but in_channels is {in_channels}')
        super().__init__(init_cfg=init_cfg)
        self.residual = residual
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

    def zero_heads(self) -> list:
        """The layers zero-initialised in the residual form."""
        return [self.to_rgb]

    def init_weights(self):
        super().init_weights()
        if self.residual:  # an untrained residual network returns its input image
            for head in self.zero_heads():
                nn.init.zeros_(head.weight)
                nn.init.zeros_(head.bias)

    def load_trunk_of(self, source: 'UNetTrunk') -> None:
        """Start from another trunk's encoder and decoder (the trained G_c for G_s): their
        parameters and BatchNorm statistics, copied. The heads are not: in the residual form they
        stay zero, so the network still returns its input until it trains. Both trunks must
        have the same input channels and widths."""
        own = self.state_dict()
        trunk = {key: value for key, value in source.state_dict().items()
                 if key.startswith(('encoder.', 'decoder.'))}
        differing = [key for key, value in trunk.items()
                     if key not in own or own[key].shape != value.shape]
        if differing or not trunk:
            raise ValueError(
                f'cannot start {type(self).__name__} from the trunk of {type(source).__name__}: '
                f'their encoders and decoders differ (first: {differing[:1]}); give both the '
                'same in_channels and channels')
        self.load_state_dict(trunk, strict=False)

    def to_image(self, head: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """The RGB output for a head's pre-activation ``head`` of the input ``x`` (resized to
        the head by area averaging when smaller, as for pyramid outputs)."""
        if not self.residual:
            return torch.tanh(head)
        image = x[:, :head.shape[1]]
        if image.shape[-2:] != head.shape[-2:]:
            image = F.interpolate(image, size=head.shape[-2:], mode='area')
        return (image + head).clamp(-1, 1)

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
