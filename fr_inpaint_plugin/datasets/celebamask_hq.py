"""CelebAMask-HQ face parsing with the method's 15 merged classes.

Layout (as in ``../shared/data/celebamask_1k``): ``img/*.jpg`` with ``label/*.png`` (uint8, the
19 CelebAMask-HQ part indices), and ``unlabeled/*.jpg``: extra images without labels.
"""
from mmagic.registry import DATASETS

from .inpaint_seg_dataset import InpaintSegDataset

# The 19 source classes: 0 background, 1 skin, 2 nose, 3 eye_g, 4 l_eye, 5 r_eye, 6 l_brow,
# 7 r_brow, 8 l_ear, 9 r_ear, 10 mouth, 11 u_lip, 12 l_lip, 13 hair, 14 hat, 15 ear_r,
# 16 neck_l, 17 neck, 18 cloth. Left/right parts and the two lips are merged.
CELEBAMASK_CLASSES = ('background', 'skin', 'nose', 'eye_g', 'eye', 'brow', 'ear', 'mouth', 'lip',
                      'hair', 'hat', 'ear_r', 'neck_l', 'neck', 'cloth')
SOURCE_TO_MERGED = {
    0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 4, 6: 5, 7: 5, 8: 6, 9: 6, 10: 7, 11: 8, 12: 8, 13: 9,
    14: 10, 15: 11, 16: 12, 17: 13, 18: 14,
}
# CelebAMask-HQ's own part colours, the first part's colour for a merged class.
CELEBAMASK_PALETTE = ((0, 0, 0), (204, 0, 0), (76, 153, 0), (204, 204, 0), (51, 51, 255),
                      (204, 0, 204), (102, 51, 0), (102, 204, 0), (255, 255, 0), (0, 0, 204),
                      (255, 51, 153), (0, 204, 204), (0, 51, 0), (255, 153, 51), (0, 204, 0))


@DATASETS.register_module()
class CelebAMaskHQDataset(InpaintSegDataset):
    """CelebAMask-HQ ``split`` (``'train'`` or ``'test'``).

    The data set has no test folder, so ``num_test`` labelled images are held out, seeded
    (the paper: 1,000 of 30,000; the 850-image subset here: 100 by default). The training split
    holds the rest plus ``unlabeled/``.

    Args:
        split: ``'train'`` or ``'test'``.
        num_test: size of the held-out test set; 0 trains on every image (no test split).
        holdout_seed: seed of the hold-out.
        **kwargs: :class:`InpaintSegDataset` arguments; they override the layout defaults.
    """

    METAINFO = dict(classes=CELEBAMASK_CLASSES, palette=CELEBAMASK_PALETTE)

    def __init__(self, split: str = 'train', num_test: int = 100, holdout_seed: int = 0,
                 **kwargs):
        defaults = dict(img_dir='img', label_dir='label', img_suffix='.jpg', label_suffix='.png',
                        unlabelled_img_dirs=('unlabeled', ),
                        holdout=dict(num=num_test, seed=holdout_seed, part=split)
                        if num_test else None,
                        label_map=SOURCE_TO_MERGED)
        super().__init__(**{**defaults, **kwargs})
