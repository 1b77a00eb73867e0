"""G_s: the semantic-guided refinement U-Net of Ye et al. 2025 (§3.4)."""
from typing import List, NamedTuple, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from mmagic.registry import MODELS

from ..coarse.coarse_unet import conv_bn_relu
from ..init_weights import GANInitModule
from .spade import SPADE, label_to_onehot


class SPADEUNetOutput(NamedTuple):
    """``output``: the full-resolution RGB image (N,3,H,W) in [-1, 1]; ``pyramid``: RGB images
    in [-1, 1] at the last ``num_pyramid`` decoder scales below full resolution, coarse to fine
    (e.g. H/8, H/4, H/2)."""
    output: torch.Tensor
    pyramid: List[torch.Tensor]


@MODELS.register_module()
class SPADEUNetGenerator(GANInitModule):
    """The topology of ``CoarseUNet`` (stride-2 3x3 conv + BN + ReLU encoder, bilinear-x2 +
    3x3 conv + BN + ReLU decoder, a skip connection at every scale, the last one being the input
    itself) with every skip connection passing through a ``SPADE`` block conditioned on the
    semantic map, and a 1x1 conv + tanh RGB head on each of the last ``num_pyramid`` decoder
    layers for the pyramid loss.

    Args:
        num_classes: K, the classes of the semantic map.
        in_channels: coarse composite I_inc + hole mask, 4 by default.
        out_channels: 3 (RGB in [-1, 1]).
        channels: encoder widths, deepest last. The paper gives no widths; the default is
            G_c's (6 levels); narrower ones (e.g. 32-64-128-256-256-256) train faster.
        num_pyramid: how many decoder scales below full resolution emit a pyramid image
            (at most ``len(channels) - 1``); 3 gives H/8, H/4 and H/2.
        spade_hidden_channels: width of each SPADE's shared label embedding (128 in SPADE).
        spade_norm: the parameter-free norm inside SPADE, 'batch' or 'instance'.
        ignore_index: value of unlabelled pixels in integer label maps.

    ``forward(x, label)`` takes ``x = cat([I_inc, M])`` (N,in_channels,H,W) and either an integer
    label map (N,1,h,w) (``ignore_index`` pixels get an all-zero one-hot vector) or a float
    one-hot map (N,K,h,w); the label map is resized to every skip's size, so h,w need not equal
    H,W. H and W must be divisible by ``2 ** len(channels)`` (64 by default); other sizes are
    refused rather than silently padded, so outputs always align pixel-exactly with inputs.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int = 4,
                 out_channels: int = 3,
                 channels: Sequence[int] = (64, 128, 256, 512, 512, 512),
                 num_pyramid: int = 3,
                 spade_hidden_channels: int = 128,
                 spade_norm: str = 'batch',
                 ignore_index: int = 255,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        channels = list(channels)
        if not 0 <= num_pyramid <= len(channels) - 1:
            raise ValueError(f'num_pyramid must be in [0, {len(channels) - 1}] for '
                             f'{len(channels)} levels, got {num_pyramid}')
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self.size_divisor = 2**len(channels)
        encoder_in = [in_channels] + channels[:-1]
        self.encoder = nn.ModuleList(
            conv_bn_relu(cin, cout, stride=2) for cin, cout in zip(encoder_in, channels))
        # One SPADE per skip connection: the encoder inputs, i.e. the network input and every
        # encoder output but the deepest, which feeds the decoder directly.
        self.skip_spades = nn.ModuleList(
            SPADE(skip, num_classes, spade_hidden_channels, spade_norm) for skip in encoder_in)
        # Decoder layer i upsamples to the resolution of encoder input i and concatenates it.
        decoder_out = encoder_in[1:][::-1]
        decoder_in = [channels[-1]] + decoder_out
        skip_in = encoder_in[::-1]
        self.decoder = nn.ModuleList(
            conv_bn_relu(cin + skip, cout, stride=1)
            for cin, skip, cout in zip(decoder_in, skip_in[:-1], decoder_out))
        pyramid_widths = decoder_out[len(decoder_out) - num_pyramid:]
        self.pyramid_heads = nn.ModuleList(
            nn.Conv2d(width, out_channels, 1) for width in pyramid_widths)
        self.to_rgb = nn.Conv2d(decoder_in[-1] + in_channels, out_channels, 3, padding=1)

    def onehot(self, label: torch.Tensor) -> torch.Tensor:
        """The float one-hot (N,K,h,w) form of an integer or already one-hot label map."""
        if label.is_floating_point():
            if label.dim() != 4 or label.shape[1] != self.num_classes:
                raise ValueError(f'a float label map must be one-hot (N,{self.num_classes},h,w), '
                                 f'got {tuple(label.shape)}')
            return label
        return label_to_onehot(label, self.num_classes, self.ignore_index)

    def forward(self, x: torch.Tensor, label: torch.Tensor) -> SPADEUNetOutput:
        height, width = x.shape[-2:]
        if height % self.size_divisor or width % self.size_divisor:
            raise ValueError(
                f'SPADEUNetGenerator needs height and width divisible by {self.size_divisor}, '
                f'got {height}x{width}; resize or crop inputs to a multiple of '
                f'{self.size_divisor} (e.g. 256x256) in the data pipeline.')
        label = self.onehot(label)
        skips = [x]
        for layer in self.encoder:
            skips.append(layer(skips[-1]))
        out = skips.pop()
        skips = [spade(skip, label) for spade, skip in zip(self.skip_spades, skips)]

        first_pyramid_layer = len(self.decoder) - len(self.pyramid_heads)
        pyramid = []
        for index, layer in enumerate(self.decoder):
            out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=False)
            out = layer(torch.cat([out, skips.pop()], dim=1))
            if index >= first_pyramid_layer:
                pyramid.append(torch.tanh(self.pyramid_heads[index - first_pyramid_layer](out)))
        out = F.interpolate(out, scale_factor=2, mode='bilinear', align_corners=False)
        # The last up-sampling layer sees the (modulated) input itself and emits RGB (no BN).
        output = torch.tanh(self.to_rgb(torch.cat([out, skips.pop()], dim=1)))
        return SPADEUNetOutput(output, pyramid)
