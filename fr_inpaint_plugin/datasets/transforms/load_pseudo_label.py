"""Load the pseudo-label written by ``CrossImagePseudoLabelHook`` for an unlabelled item."""
import os.path as osp
import posixpath
from typing import Optional, Sequence, Union

import mmcv
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine import fileio


def pseudo_label_relpath(img_key: str) -> str:
    """Where the pseudo-label of dataset item ``img_key`` lives inside a pseudo-label folder:
    the key's folders mirrored, its suffix replaced by ``.png`` (``train/img/a.jpg`` ->
    ``train/img/a.png``). An absolute key (dataset without ``data_root``) loses its leading
    ``/``; a key climbing out of the folder (``..``) is refused."""
    key = str(img_key).replace('\\', '/').lstrip('/')
    parts = posixpath.normpath(key).split('/')
    if not key or '..' in parts or parts == ['.']:
        raise ValueError(f'img_key {img_key!r} cannot name a file inside a pseudo-label folder')
    return posixpath.splitext('/'.join(parts))[0] + '.png'


@TRANSFORMS.register_module()
class LoadPseudoLabel(BaseTransform):
    """For an unlabelled item (``results['labelled']`` false), replace the all-ignore
    ``gt_seg_map`` by ``<dir>/<img_key without suffix>.png`` from the first pseudo-label folder
    that has that file.

    The folders are ``pseudo_label_dir`` when given, else the item's ``pseudo_label_dirs`` (the
    dataset's argument): phases then name their pseudo-label rounds on the dataset and share
    one pipeline. No folder (the default) makes the transform a no-op. A missing file leaves
    the all-ignore map (the image carries no loss), so the dataset size never changes with the
    pseudo-labels written. Labelled items are left untouched. Place it right after
    ``LoadSemanticLabel`` and before ``AlignedResize``: the pseudo-label has the size of the
    image file (the hook writes it at that size).

    Raises, naming the file, when it is unreadable, not single-channel, of another size than
    its image, or holds values that are neither class ids nor ``ignore_index``.

    Args:
        pseudo_label_dir: the hook's output folder (``<work_dir>/<out_dir>``), or several,
            searched in order; used as given (relative to the working directory). None: the
            item's ``pseudo_label_dirs``.
        img_key: results key of the loaded image (as ``LoadSemanticLabel``); not the dataset's
            ``results['img_key']``, which names the file.

    Required keys: ``labelled``, ``img_key``, ``gt_seg_map``, ``num_classes``,
    ``ignore_index`` and the image. Modified key: ``gt_seg_map``. Added key:
    ``pseudo_label_path`` (None when no pseudo-label was loaded).
    """

    def __init__(self,
                 pseudo_label_dir: Union[None, str, Sequence[str]] = None,
                 img_key: str = 'gt'):
        self.pseudo_label_dir = pseudo_label_dir
        self.img_key = img_key

    def _folders(self, results: dict) -> Sequence[str]:
        folders = self.pseudo_label_dir
        if folders is None:
            folders = results.get('pseudo_label_dirs') or ()
        return (folders, ) if isinstance(folders, str) else folders

    def _find(self, results: dict) -> Optional[str]:
        relpath = pseudo_label_relpath(results['img_key'])
        for folder in self._folders(results):
            path = osp.join(str(folder), relpath)
            if osp.isfile(path):
                return path
        return None

    def transform(self, results: dict) -> dict:
        results['pseudo_label_path'] = None
        if results['labelled']:
            return results
        if 'gt_seg_map' not in results:
            raise KeyError('LoadPseudoLabel needs gt_seg_map: place it after LoadSemanticLabel')
        path = self._find(results)
        if path is None:
            return results  # not (yet) pseudo-labelled, or not kept: all-ignore
        height, width = results[self.img_key].shape[:2]
        try:
            label = mmcv.imfrombytes(fileio.get(path), flag='unchanged', backend='pillow')
        except Exception as error:
            raise ValueError(f'cannot decode pseudo-label {path}: the file is corrupt or not an '
                             'image; delete it (or rerun the pseudo-label hook)') from error
        if label.ndim != 2:
            raise ValueError(f'pseudo-label {path} has {label.shape[2]} channels; pseudo-labels '
                             'are single-channel PNGs of class indices')
        if label.shape != (height, width):
            raise ValueError(
                f'pseudo-label {path} is {label.shape[0]}x{label.shape[1]} but its image '
                f'{results.get("gt_path")} is {height}x{width}; place LoadPseudoLabel before '
                'any resize, or rerun the hook for this data')
        num_classes, ignore_index = results['num_classes'], results['ignore_index']
        values = np.unique(label)
        bad = values[(values >= num_classes) & (values != ignore_index)]
        if bad.size:
            raise ValueError(f'pseudo-label {path} holds ids {bad.tolist()} outside the '
                             f'{num_classes} classes (0..{num_classes - 1}, {ignore_index} = '
                             'ignore); it was written for another class set')
        results['gt_seg_map'] = label.astype(np.uint8)
        results['pseudo_label_path'] = path
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(pseudo_label_dir={self.pseudo_label_dir!r})'
