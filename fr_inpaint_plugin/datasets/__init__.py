from .camvid import CamVidInpaintDataset
from .celebamask_hq import CelebAMaskHQDataset
from .cityscapes import CityscapesInpaintDataset
from .demo_scenes import DEMO_CLASSES, DEMO_PALETTE, write_demo_dataset
from .demo_scenes_dataset import DemoScenesDataset
from .folder_dataset import FolderInpaintDataset
from .hole_masks import HOLE_RATIO_BUCKETS, make_irregular_mask, read_hole_mask
from .inpaint_seg_dataset import InpaintSegDataset
from .labelled_pseudo_batch_sampler import LabelledPseudoBatchSampler
from .transforms import (
                         AlignedCrop,
                         AlignedFlip,
                         AlignedResize,
                         GenerateIrregularMask,
                         LoadCheckedImage,
                         LoadMaskFromList,
                         LoadPseudoLabel,
                         LoadSemanticLabel,
                         PseudoLabelStrongAugment,
)

__all__ = [
    'AlignedCrop', 'AlignedFlip', 'AlignedResize', 'CamVidInpaintDataset',
    'CelebAMaskHQDataset', 'CityscapesInpaintDataset', 'DEMO_CLASSES', 'DEMO_PALETTE',
    'DemoScenesDataset', 'FolderInpaintDataset', 'GenerateIrregularMask', 'HOLE_RATIO_BUCKETS',
    'InpaintSegDataset', 'LabelledPseudoBatchSampler', 'LoadCheckedImage', 'LoadMaskFromList',
    'LoadPseudoLabel', 'LoadSemanticLabel', 'PseudoLabelStrongAugment', 'make_irregular_mask',
    'read_hole_mask', 'write_demo_dataset'
]
