"""Cityscapes with the method's 20 classes: the 19 train ids plus void as class 19.

Standard layout: ``leftImg8bit/{split}/<city>/<name>_leftImg8bit.png`` and
``gtFine/{split}/<city>/<name>_gtFine_labelIds.png`` (the official label ids 0..33, mapped
here to train ids, so no conversion script has to be run first).
"""
from mmagic.registry import DATASETS
from mmseg.datasets import CityscapesDataset

from ..utils import IGNORE_INDEX
from .inpaint_seg_dataset import InpaintSegDataset

VOID_TRAIN_ID = 19
# labelId -> trainId of cityscapesScripts' labels.py; None = not a train class (void).
LABEL_ID_TO_TRAIN_ID = {
    0: None, 1: None, 2: None, 3: None, 4: None, 5: None, 6: None, 7: 0, 8: 1, 9: None,
    10: None, 11: 2, 12: 3, 13: 4, 14: None, 15: None, 16: None, 17: 5, 18: None, 19: 6, 20: 7,
    21: 8, 22: 9, 23: 10, 24: 11, 25: 12, 26: 13, 27: 14, 28: 15, 29: None, 30: None, 31: 16,
    32: 17, 33: 18,
}


@DATASETS.register_module()
class CityscapesInpaintDataset(InpaintSegDataset):
    """Cityscapes ``split``. The method trains on ``'train'`` (2,975 labelled images) plus the
    1,525 images of the test split as unlabelled images, and tests on ``'val'`` (500).

    Args:
        split: ``'train'``, ``'val'`` or ``'test'``.
        void_as_class: True (the method) maps every non-train label id to class 19 ("void");
            False maps them to ``ignore_index`` and keeps 19 classes.
        test_split_as_unlabelled: with ``split='train'``, add ``leftImg8bit/test`` as
            unlabelled images (the method's training set).
        **kwargs: :class:`InpaintSegDataset` arguments; they override the layout defaults.
    """

    METAINFO = dict(classes=CityscapesDataset.METAINFO['classes'] + ('void', ),
                    palette=[tuple(c) for c in CityscapesDataset.METAINFO['palette']] +
                    [(0, 0, 0)])

    def __init__(self, split: str = 'train', void_as_class: bool = True,
                 test_split_as_unlabelled: bool = True, **kwargs):
        void = VOID_TRAIN_ID if void_as_class else kwargs.get('ignore_index', IGNORE_INDEX)
        if not void_as_class:
            kwargs.setdefault('metainfo', dict(classes=self.METAINFO['classes'][:VOID_TRAIN_ID],
                                               palette=self.METAINFO['palette'][:VOID_TRAIN_ID]))
        label_map = {label_id: void if train_id is None else train_id
                     for label_id, train_id in LABEL_ID_TO_TRAIN_ID.items()}
        with_test_images = split == 'train' and test_split_as_unlabelled
        defaults = dict(img_dir=f'leftImg8bit/{split}', label_dir=f'gtFine/{split}',
                        img_suffix='_leftImg8bit.png', label_suffix='_gtFine_labelIds.png',
                        unlabelled_img_dirs=('leftImg8bit/test', ) if with_test_images else (),
                        label_map=label_map)
        super().__init__(**{**defaults, **kwargs})
