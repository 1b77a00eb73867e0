from .pyramid_l1_loss import PyramidL1Loss
from .vgg_features import VGGFeatureExtractor, vgg_layer_names
from .vgg_perceptual_style_loss import VGGPerceptualStyleLoss, gram_matrix

__all__ = [
    'PyramidL1Loss', 'VGGFeatureExtractor', 'VGGPerceptualStyleLoss', 'gram_matrix',
    'vgg_layer_names'
]
