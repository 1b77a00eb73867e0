"""A plain folder of the user's own images, with an optional folder of label PNGs."""
from typing import Optional

from mmagic.registry import DATASETS

from .inpaint_seg_dataset import InpaintSegDataset

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.JPG', '.JPEG', '.PNG')


@DATASETS.register_module()
class FolderInpaintDataset(InpaintSegDataset):
    """Every image under ``img_dir`` (any common image type, searched recursively).

    With ``label_dir``, ``label_dir/<stem>.png`` is the label of ``img_dir/<stem>.<ext>`` and
    the classes must be given: ``metainfo=dict(classes=(...), palette=(...))``.

    Args:
        img_dir: the image folder (joined with ``data_root`` when relative).
        label_dir: the label folder, or None for images without labels.
        **kwargs: :class:`InpaintSegDataset` arguments.
    """

    def __init__(self, img_dir: str, label_dir: Optional[str] = None, **kwargs):
        kwargs.setdefault('img_suffix', IMAGE_SUFFIXES)
        super().__init__(img_dir=img_dir, label_dir=label_dir, **kwargs)
