"""Backbones (registered in MMSeg's ``MODELS``; build with ``_scope_='mmseg'``)."""
from .pretrained_vgg import CHECKPOINT_SCHEME, PretrainedVGG, load_offline_backbone

__all__ = ['CHECKPOINT_SCHEME', 'PretrainedVGG', 'load_offline_backbone']
