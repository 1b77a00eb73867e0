from .aligned_geometry import AlignedCrop, AlignedFlip, AlignedResize
from .hole_mask import GenerateIrregularMask, LoadMaskFromList
from .load_image import LoadCheckedImage
from .load_pseudo_label import LoadPseudoLabel, pseudo_label_relpath
from .load_semantic_label import LoadSemanticLabel
from .strong_augment import PseudoLabelStrongAugment

__all__ = [
    'AlignedCrop', 'AlignedFlip', 'AlignedResize', 'GenerateIrregularMask', 'LoadCheckedImage',
    'LoadMaskFromList', 'LoadPseudoLabel', 'LoadSemanticLabel', 'PseudoLabelStrongAugment',
    'pseudo_label_relpath'
]
