"""MMagic's image loader, with errors that name the file and the fix."""
from mmagic.datasets.transforms import LoadImageFromFile
from mmagic.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadCheckedImage(LoadImageFromFile):
    """:class:`mmagic.datasets.transforms.LoadImageFromFile` (RGB by default) that raises a
    clear error for a missing, unreadable or corrupt image.

    MMagic's loader lets cv2 fail deep inside a colour conversion (``!_src.empty()``) without
    naming the file, and a dataloader worker then dies with no hint of which image is broken.
    """

    def __init__(self, key: str = 'gt', channel_order: str = 'rgb', **kwargs):
        super().__init__(key=key, channel_order=channel_order, **kwargs)

    def _load_image(self, filename):
        cause = None
        try:
            img = super()._load_image(filename)
        except FileNotFoundError:
            raise FileNotFoundError(f'image {filename} does not exist; check data_root and '
                                    'the image folder, or rebuild the list that names it') from None
        except Exception as error:  # cv2/PIL raise assorted errors on corrupt bytes
            img, cause = None, error
        if img is None or img.size == 0:
            raise ValueError(f'cannot decode image {filename}: the file is corrupt or not an '
                             'image; re-export or remove it') from cause
        return img
