"""CamVid, SegNet's 11-class version (as in ``../shared/data/camvid``).

Layout: ``{train,val,test}/img/*.jpg`` and ``{split}/label/*.png`` (uint8 class indices, 11 =
Unlabelled).
"""
from mmagic.registry import DATASETS

from ..utils import IGNORE_INDEX
from .inpaint_seg_dataset import InpaintSegDataset

CAMVID_CLASSES = ('Sky', 'Building', 'Pole', 'Road', 'Pavement', 'Tree', 'SignSymbol', 'Fence',
                  'Car', 'Pedestrian', 'Bicyclist')
CAMVID_PALETTE = ((128, 128, 128), (128, 0, 0), (192, 192, 128), (128, 64, 128), (60, 40, 222),
                  (128, 128, 0), (192, 128, 128), (64, 64, 128), (64, 0, 128), (64, 64, 0),
                  (0, 128, 192))
UNLABELLED_ID = 11


@DATASETS.register_module()
class CamVidInpaintDataset(InpaintSegDataset):
    """CamVid ``split`` (``'train'``, ``'val'`` or ``'test'``).

    Args:
        unlabelled_as_class: False (default) ignores the Unlabelled pixels (id 11 -> ignore);
            True keeps them as a 12th class, the way the method keeps Cityscapes' void as its
            20th class.
        **kwargs: :class:`InpaintSegDataset` arguments; they override the layout defaults.
    """

    METAINFO = dict(classes=CAMVID_CLASSES, palette=CAMVID_PALETTE)

    def __init__(self, split: str = 'train', unlabelled_as_class: bool = False, **kwargs):
        label_map = {i: i for i in range(len(CAMVID_CLASSES))}
        if unlabelled_as_class:
            label_map[UNLABELLED_ID] = UNLABELLED_ID
            kwargs.setdefault('metainfo', dict(classes=CAMVID_CLASSES + ('Unlabelled', ),
                                               palette=CAMVID_PALETTE + ((0, 0, 0), )))
        else:
            label_map[UNLABELLED_ID] = kwargs.get('ignore_index', IGNORE_INDEX)
        defaults = dict(img_dir=f'{split}/img', label_dir=f'{split}/label', img_suffix='.jpg',
                        label_suffix='.png', label_map=label_map)
        super().__init__(**{**defaults, **kwargs})
