from .coarse_inpaintor import CoarseInpaintor
from .coarse_unet import CoarseUNet
from .patchgan_discriminator import PatchGANDiscriminator

__all__ = ['CoarseInpaintor', 'CoarseUNet', 'PatchGANDiscriminator']
