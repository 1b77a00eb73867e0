"""Speed of the method's stages next to MMagic's inpaintors, OpenCV and the machine's own
convolution throughput (``tools/benchmark.py``)."""
from .subjects import build_subjects
from .timing import Timing, conv_throughput, count_flops, time_call

__all__ = ['Timing', 'build_subjects', 'conv_throughput', 'count_flops', 'time_call']
