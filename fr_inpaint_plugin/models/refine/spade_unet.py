"""G_s: the semantic-guided refinement U-Net of Ye et al. 2025 (§3.4)."""
from typing import List, NamedTuple, Optional, Sequence

import torch
from mmagic.registry import MODELS
from torch import nn

from ...utils import IGNORE_INDEX
from ..unet import UNetTrunk
from .spade import SPADE, label_to_onehot

INPUT_SKIPS = ('spade', 'identity')


class SPADEUNetOutput(NamedTuple):
    """``output``: the full-resolution RGB image (N,3,H,W) in [-1, 1]; ``pyramid``: RGB images
    in [-1, 1] at the last ``num_pyramid`` decoder scales below full resolution, coarse to fine
    (e.g. H/8, H/4, H/2)."""
    output: torch.Tensor
    pyramid: List[torch.Tensor]


@MODELS.register_module()
class SPADEUNetGenerator(UNetTrunk):
    """The topology of ``CoarseUNet`` (stride-2 3x3 conv + BN + ReLU encoder, bilinear-x2 +
    3x3 conv + BN + ReLU decoder, a skip connection at every scale, the last one being the input
    itself) with every skip connection passing through a ``SPADE`` block conditioned on the
    semantic map, and a 1x1 conv RGB head on each of the last ``num_pyramid`` decoder layers
    for the pyramid loss.

    Two output forms (``residual``):

    * residual (METHOD.md's choice, the default): the network predicts a correction of its
      input image ``I_inc`` (the first 3 channels of ``x``): ``output = clip(I_inc + to_rgb(.))``
      and ``pyramid_l = clip(down_l(I_inc) + head_l(.))`` (``down_l``: area down-sampling, as the
      pyramid loss does), with ``to_rgb`` and the pyramid heads initialised to zero. An untrained
      refiner returns ``I_inc`` exactly, so training is judged only on what it adds.
    * from scratch (the paper's form, ``residual=False``): ``output = tanh(to_rgb(.))`` and
      ``pyramid_l = tanh(head_l(.))``: the whole image is predicted.

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
        residual: predict a correction of ``I_inc`` (True) or the whole image (False).
        input_skip: how the last skip, the input ``x`` itself, reaches ``to_rgb``: through a
            SPADE block like every skip (``'spade'``) or unchanged (``'identity'``, the raw
            pixels beside the decoder's features).

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
                 ignore_index: int = IGNORE_INDEX,
                 residual: bool = True,
                 input_skip: str = 'spade',
                 init_cfg: Optional[dict] = None):
        if not 0 <= num_pyramid <= len(channels) - 1:
            raise ValueError(f'num_pyramid must be in [0, {len(channels) - 1}] for '
                             f'{len(channels)} levels, got {num_pyramid}')
        if input_skip not in INPUT_SKIPS:
            raise ValueError(f'input_skip must be one of {INPUT_SKIPS}, got {input_skip!r}')
        super().__init__(in_channels, out_channels, channels, residual, init_cfg=init_cfg)
        self.num_classes = num_classes
        self.ignore_index = ignore_index
        self.input_skip = input_skip
        spaded = self.skip_channels if input_skip == 'spade' else self.skip_channels[1:]
        self.skip_spades = nn.ModuleList(
            SPADE(skip, num_classes, spade_hidden_channels, spade_norm) for skip in spaded)
        pyramid_widths = self.decoder_channels[len(self.decoder_channels) - num_pyramid:]
        self.pyramid_heads = nn.ModuleList(
            nn.Conv2d(width, out_channels, 1) for width in pyramid_widths)

    def onehot(self, label: torch.Tensor) -> torch.Tensor:
        """The float one-hot (N,K,h,w) form of an integer or already one-hot label map."""
        if label.is_floating_point():
            if label.dim() != 4 or label.shape[1] != self.num_classes:
                raise ValueError(f'a float label map must be one-hot (N,{self.num_classes},h,w), '
                                 f'got {tuple(label.shape)}')
            return label
        return label_to_onehot(label, self.num_classes, self.ignore_index)

    def zero_heads(self) -> list:
        return [self.to_rgb, *self.pyramid_heads]

    def forward(self, x: torch.Tensor, label: torch.Tensor) -> SPADEUNetOutput:
        label = self.onehot(label)  # validate the label map before any compute
        bottleneck, skips = self.encode(x)
        spaded = skips if self.input_skip == 'spade' else skips[1:]
        spaded = [spade(skip, label) for spade, skip in zip(self.skip_spades, spaded)]
        skips = spaded if self.input_skip == 'spade' else [skips[0], *spaded]
        rgb, features = self.decode_to_head(bottleneck, skips)
        pyramid_features = features[len(features) - len(self.pyramid_heads):]
        pyramid = [self.to_image(level_head(feature), x)
                   for level_head, feature in zip(self.pyramid_heads, pyramid_features)]
        return SPADEUNetOutput(self.to_image(rgb, x), pyramid)
