from .opencv_inpaint_net import OpenCVInpaintNet
from .pyramid_fill_net import PyramidFillNet

__all__ = ['OpenCVInpaintNet', 'PyramidFillNet']
