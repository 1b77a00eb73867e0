from .pseudo_label_hook import CrossImagePseudoLabelHook, UnshardedSampler

__all__ = ['CrossImagePseudoLabelHook', 'UnshardedSampler']
