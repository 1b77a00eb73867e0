from .refine_inpaintor import RefineInpaintor, RefineOutput, default_palette, ground_truth_guide
from .spade import SPADE, label_to_onehot
from .spade_unet import SPADEUNetGenerator, SPADEUNetOutput

__all__ = [
    'RefineInpaintor', 'RefineOutput', 'SPADE', 'SPADEUNetGenerator', 'SPADEUNetOutput',
    'default_palette', 'ground_truth_guide', 'label_to_onehot'
]
