from .coarse import CoarseInpaintor, CoarseUNet, PatchGANDiscriminator

__all__ = ['CoarseInpaintor', 'CoarseUNet', 'PatchGANDiscriminator']
