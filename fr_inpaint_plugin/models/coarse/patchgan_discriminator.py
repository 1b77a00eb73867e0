"""PatchGAN (Markovian) discriminator used by both GAN stages (Ye et al. 2025, §3.2)."""
from typing import Optional

import torch
from mmagic.registry import MODELS
from torch import nn
from torch.nn.utils import spectral_norm

from ..init_weights import GANInitModule


@MODELS.register_module()
class PatchGANDiscriminator(GANInitModule):
    """``num_convs`` 4x4 conv layers, each followed by an activation, then a 4x4 conv to a
    one-channel patch map.

    ``forward`` returns raw logits (what the hinge loss needs); ``realism_map`` applies the
    paper's sigmoid for reporting. MMagic's pix2pix ``PatchDiscriminator`` has the same layout
    but a fixed LeakyReLU, no spectral-norm option, and an init that calls MMagic's broken
    generation init helper.

    Args:
        in_channels: 3 (RGB).
        base_channels: width of the first layer, doubled per layer up to ``max_channels``.
        num_convs: 4 in the paper.
        negative_slope: 0 gives the paper's ReLU; 0.2 the usual PatchGAN LeakyReLU.
        with_spectral_norm: wrap every conv in spectral normalisation (our choice for hinge-GAN
            stability; the paper does not say).
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 max_channels: int = 512,
                 num_convs: int = 4,
                 negative_slope: float = 0.2,
                 with_spectral_norm: bool = True,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        wrap = spectral_norm if with_spectral_norm else (lambda conv: conv)
        layers = []
        cin = in_channels
        for i in range(num_convs):
            cout = min(base_channels * 2**i, max_channels)
            # Down-sample in all but the last layer, as in pix2pix's 70x70 PatchGAN.
            stride = 2 if i < num_convs - 1 else 1
            layers += [wrap(nn.Conv2d(cin, cout, 4, stride=stride, padding=1)),
                       nn.LeakyReLU(negative_slope, inplace=True)]
            cin = cout
        layers.append(wrap(nn.Conv2d(cin, 1, 4, stride=1, padding=1)))
        self.model = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)

    def realism_map(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.forward(x))
