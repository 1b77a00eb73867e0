from .camvid import CamVidInpaintDataset
from .celebamask_hq import CelebAMaskHQDataset
from .cityscapes import CityscapesInpaintDataset
from .demo_scenes import DEMO_CLASSES, DEMO_PALETTE, write_demo_dataset
from .demo_scenes_dataset import DemoScenesDataset
from .folder_dataset import FolderInpaintDataset
from .inpaint_seg_dataset import InpaintSegDataset
from .transforms import (AlignedCrop, AlignedFlip, AlignedResize, GenerateIrregularMask,
                         LoadCheckedImage, LoadMaskFromList, LoadPseudoLabel, LoadSemanticLabel)

__all__ = [
    'DEMO_CLASSES', 'DEMO_PALETTE', 'write_demo_dataset', 'InpaintSegDataset',
    'CamVidInpaintDataset', 'CelebAMaskHQDataset', 'CityscapesInpaintDataset',
    'DemoScenesDataset', 'FolderInpaintDataset', 'AlignedCrop', 'AlignedFlip', 'AlignedResize',
    'GenerateIrregularMask', 'LoadCheckedImage', 'LoadMaskFromList', 'LoadPseudoLabel',
    'LoadSemanticLabel'
]
