from .spade import SPADE, label_to_onehot
from .spade_unet import SPADEUNetGenerator, SPADEUNetOutput

__all__ = ['SPADE', 'SPADEUNetGenerator', 'SPADEUNetOutput', 'label_to_onehot']
