"""Load a semantic label map, map source ids to train ids, and check it against its image."""
import mmcv
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform
from mmengine import fileio


@TRANSFORMS.register_module()
class LoadSemanticLabel(BaseTransform):
    """Read ``results['seg_map_path']`` into ``gt_seg_map``: (H, W) uint8 train ids, 255 (the
    dataset's ``ignore_index``) = no label.

    An item without a label (``seg_map_path`` None: unlabelled, or hidden by the label-ratio
    split) gets an all-ignore map, so labelled and unlabelled items batch together. Place it
    right after the image loader: the label must have the size of the image file.

    Raises, naming the file and the fix, when the label is missing, unreadable, not a
    single-channel index map, a different size from its image, or holds values outside the
    classes once ``label_map`` is applied.

    ``path_key='true_seg_map_path'`` reads the label whatever the split hides (the pseudo-label
    audit does; training never does).

    Required keys: ``seg_map_path`` (``path_key``), ``gt_path`` (and the image under ``img_key``),
    ``label_map``, ``num_classes``, ``ignore_index`` (set by the dataset).
    Added key: ``gt_seg_map``.
    """

    def __init__(self, img_key: str = 'gt', path_key: str = 'seg_map_path'):
        self.img_key = img_key
        self.path_key = path_key

    def transform(self, results: dict) -> dict:
        height, width = results[self.img_key].shape[:2]
        ignore_index = results['ignore_index']
        path = results[self.path_key]
        if path is None:
            results['gt_seg_map'] = np.full((height, width), ignore_index, np.uint8)
            return results
        label = self._read(path, results['gt_path'])
        if label.shape != (height, width):
            raise ValueError(
                f'label {path} is {label.shape[0]}x{label.shape[1]} but its image '
                f'{results["gt_path"]} is {height}x{width}; labels must match their image '
                '(fix or re-export the label; load the label before any resize)')
        results['gt_seg_map'] = self._to_train_ids(label, path, results['label_map'],
                                                   results['num_classes'], ignore_index)
        return results

    @staticmethod
    def _read(path: str, image_path: str) -> np.ndarray:
        try:
            content = fileio.get(path)
        except FileNotFoundError:
            raise FileNotFoundError(
                f'image {image_path} is marked labelled but its label {path} does not exist; '
                'add the label, or mark the image unlabelled (unlabelled list / split file)'
            ) from None
        try:
            # Pillow keeps the indices of palette ('P') PNGs, which cv2 would turn into colours.
            label = mmcv.imfrombytes(content, flag='unchanged', backend='pillow')
        except Exception as error:
            raise ValueError(f'cannot decode label {path}: the file is corrupt or not an image; '
                             're-export it') from error
        if label.ndim != 2:
            raise ValueError(f'label {path} has {label.shape[2]} channels; labels must be '
                             'single-channel PNGs of class indices (convert colour-coded '
                             'labels to indices first)')
        return label

    @staticmethod
    def _to_train_ids(label: np.ndarray, path: str, label_map, num_classes: int,
                      ignore_index: int) -> np.ndarray:
        values = np.unique(label)
        lookup = np.arange(int(values.max()) + 1)
        if label_map is not None:
            unmapped = [int(v) for v in values if int(v) not in label_map and v != ignore_index]
            if unmapped:
                raise ValueError(f'label {path} holds ids {unmapped} that the label_map (source '
                                 f'ids {sorted(label_map)}) does not map; fix the label or '
                                 'extend label_map')
            for source, target in label_map.items():
                if source < lookup.size:
                    lookup[source] = target
        mapped = lookup[values]
        bad = values[(mapped >= num_classes) & (mapped != ignore_index)]
        if bad.size:
            raise ValueError(
                f'label {path} holds ids {bad.tolist()} outside the {num_classes} classes '
                f'(0..{num_classes - 1}, {ignore_index} = ignore) after label_map; fix the '
                'label, or map those ids in label_map')
        return lookup[label].astype(np.uint8)
