from .baselines import OpenCVInpaintNet
from .coarse import CoarseInpaintor, CoarseUNet, PatchGANDiscriminator
from .losses import PyramidL1Loss, VGGPerceptualStyleLoss
from .refine import SPADE, SPADEUNetGenerator

__all__ = [
    'CoarseInpaintor', 'CoarseUNet', 'OpenCVInpaintNet', 'PatchGANDiscriminator', 'PyramidL1Loss',
    'SPADE', 'SPADEUNetGenerator', 'VGGPerceptualStyleLoss'
]
