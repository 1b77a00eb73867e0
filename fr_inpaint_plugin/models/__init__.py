from .baselines import OpenCVInpaintNet
from .coarse import CoarseInpaintor, CoarseUNet, PatchGANDiscriminator
from .losses import PyramidL1Loss, VGGPerceptualStyleLoss
from .refine import SPADE, SPADEUNetGenerator
from .segmentors import ConsistencySegmentor, InpaintSegDataPreprocessor

__all__ = [
    'CoarseInpaintor', 'CoarseUNet', 'ConsistencySegmentor', 'InpaintSegDataPreprocessor',
    'OpenCVInpaintNet', 'PatchGANDiscriminator', 'PyramidL1Loss', 'SPADE', 'SPADEUNetGenerator',
    'VGGPerceptualStyleLoss'
]
