from .baselines import OpenCVInpaintNet
from .coarse import CoarseInpaintor, CoarseUNet, PatchGANDiscriminator

__all__ = ['CoarseInpaintor', 'CoarseUNet', 'OpenCVInpaintNet', 'PatchGANDiscriminator']
