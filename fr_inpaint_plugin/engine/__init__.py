from .hooks import CrossImagePseudoLabelHook, UnshardedSampler

__all__ = ['CrossImagePseudoLabelHook', 'UnshardedSampler']
