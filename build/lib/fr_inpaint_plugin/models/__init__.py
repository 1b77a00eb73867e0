from .backbones import PretrainedVGG
from .baselines import OpenCVInpaintNet
from .coarse import CoarseInpaintor, CoarseUNet, PatchGANDiscriminator
from .feedback_inpaintor import FeedbackInpaintor, FeedbackOutput
from .frozen_stage import build_frozen_stage, freeze
from .losses import PyramidL1Loss, VGGPerceptualStyleLoss
from .refine import SPADE, RefineInpaintor, SPADEUNetGenerator
from .segmentors import ConsistencySegmentor, InpaintSegDataPreprocessor

__all__ = [
    'CoarseInpaintor', 'CoarseUNet', 'ConsistencySegmentor', 'FeedbackInpaintor',
    'FeedbackOutput', 'InpaintSegDataPreprocessor', 'OpenCVInpaintNet', 'PatchGANDiscriminator',
    'PretrainedVGG', 'PyramidL1Loss', 'RefineInpaintor', 'SPADE', 'SPADEUNetGenerator',
    'VGGPerceptualStyleLoss',
    'build_frozen_stage', 'freeze'
]
