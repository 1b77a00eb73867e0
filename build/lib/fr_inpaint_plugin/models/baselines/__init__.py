from .opencv_inpaint_net import OpenCVInpaintNet

__all__ = ['OpenCVInpaintNet']
