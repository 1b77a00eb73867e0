"""Weight init for our networks.

MMagic's ``generation_init_weights`` raises ``UnboundLocalError`` when called from a
top-level ``init_weights``, so our generators and discriminators use this instead.
"""
from mmengine.model import BaseModule
from torch import nn


def init_gan_weights(module: nn.Module, gain: float = 0.02) -> None:
    """DCGAN/pix2pix init: conv and linear ~ N(0, gain), norm scale ~ N(1, gain), biases 0."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            # Spectral norm keeps the raw weight in ``weight_orig``.
            weight = getattr(m, 'weight_orig', m.weight)
            nn.init.normal_(weight, 0.0, gain)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm2d, nn.InstanceNorm2d, nn.GroupNorm)) and m.affine:
            nn.init.normal_(m.weight, 1.0, gain)
            nn.init.zeros_(m.bias)


class GANInitModule(BaseModule):
    """A ``BaseModule`` whose default init is :func:`init_gan_weights`; an ``init_cfg``
    (e.g. ``Pretrained``) still takes precedence, as in MMEngine."""

    def init_weights(self):
        if self.init_cfg is not None:
            super().init_weights()
        else:
            init_gan_weights(self)
