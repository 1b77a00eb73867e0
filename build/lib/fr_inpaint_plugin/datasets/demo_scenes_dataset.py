"""The procedural demo scenes written by :func:`demo_scenes.write_demo_dataset`."""
import os.path as osp

from mmagic.registry import DATASETS

from ..utils import as_hw
from .demo_scenes import AUDIT_LABEL_DIR_NAME, DEMO_CLASSES, DEMO_PALETTE, UNLABELLED_LIST_NAME
from .inpaint_seg_dataset import InpaintSegDataset


@DATASETS.register_module()
class DemoScenesDataset(InpaintSegDataset):
    """Demo ``split`` (``'train'`` or ``'val'``): ``{split}/img/*.png``, ``{split}/label/*.png``;
    ``train/unlabelled.txt`` names the training images without labels, whose labels
    ``train/audit_label/`` keeps for the pseudo-label audit only.

    Args:
        split: ``'train'`` or ``'val'``.
        fixed_masks: pair each image with one of the demo's own masks (``masks/``) per
            hole-ratio bucket. The mask list is kept beside the data it describes,
            ``mask_list_{split}_{H}x{W}.txt`` in ``data_root`` (the demo data is the project's
            own and writable), and is built on first use.
        **kwargs: :class:`InpaintSegDataset` arguments; they override the layout defaults.
    """

    METAINFO = dict(classes=DEMO_CLASSES, palette=DEMO_PALETTE)

    def __init__(self, split: str = 'train', fixed_masks: bool = False, **kwargs):
        defaults = dict(img_dir=f'{split}/img', label_dir=f'{split}/label', img_suffix='.png',
                        label_suffix='.png',
                        unlabelled_list=f'train/{UNLABELLED_LIST_NAME}' if split == 'train'
                        else None,
                        audit_label_dir=f'{split}/{AUDIT_LABEL_DIR_NAME}')
        if fixed_masks:
            root = kwargs.get('data_root', '')
            height, width = as_hw(kwargs.get('img_size', 256))
            defaults.update(mask_dir=osp.join(root, 'masks'),
                            mask_list=osp.join(root, f'mask_list_{split}_{height}x{width}.txt'))
        super().__init__(**{**defaults, **kwargs})
