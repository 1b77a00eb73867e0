from .hooks import CrossImagePseudoLabelHook, ProgressBarHook, UnshardedSampler

__all__ = ['CrossImagePseudoLabelHook', 'ProgressBarHook', 'UnshardedSampler']
