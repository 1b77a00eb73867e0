from .progress_bar_hook import ProgressBarHook
from .pseudo_label_hook import CrossImagePseudoLabelHook, UnshardedSampler

__all__ = ['CrossImagePseudoLabelHook', 'ProgressBarHook', 'UnshardedSampler']
