"""Images with optional semantic labels and optional fixed hole masks, for every phase."""
import logging
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmagic.registry import DATASETS
from mmengine import fileio
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log

from ..utils import IGNORE_INDEX, Size, as_hw
from .label_ratio_split import check_split_matches, ensure_label_ratio_split, read_label_ratio_split
from .mask_list import build_mask_list, read_mask_list, write_mask_list
from .transforms.load_pseudo_label import pseudo_label_relpath

LABEL_FILTERS = ('all', 'labelled', 'unlabelled', 'pseudo_labelled')


@DATASETS.register_module()
class InpaintSegDataset(BaseDataset):
    """Training or test images of one data set, each with its label state and hole mask.

    Each item (before the pipeline) holds ``img_path`` and ``gt_path`` (the image; MMagic's
    loaders and visualisers read ``gt_path``), ``seg_map_path`` (None when the item has no
    label, or its label is hidden by the label-ratio split), ``labelled``, ``img_key`` (the
    image path relative to ``data_root``: its name in split files, mask lists and pseudo-label
    folders), ``mask_path`` and ``mask_bucket`` (None unless a mask list pairs the image with
    a fixed mask), ``vis_name`` (file name for visualisations: the image stem, plus the bucket
    when the image is listed once per bucket), plus the
    dataset-wide settings the transforms read: ``img_size`` (the working resolution),
    ``label_map``, ``num_classes``, ``ignore_index``, ``mask_list``, ``mask_list_size`` and
    ``pseudo_label_dirs``. ``true_seg_map_path`` is the label file whatever the split hides (or
    the image's label in ``audit_label_dir``), for auditing pseudo-labels; training never
    reads it.

    Images are found under ``img_dir`` (recursively, by ``img_suffix``); the label of
    ``img_dir/<stem><img_suffix>`` is ``label_dir/<stem><label_suffix>``. Relative
    ``img_dir``, ``label_dir``, ``unlabelled_list`` and ``unlabelled_img_dirs`` are joined with
    ``data_root``; ``split_file``, ``mask_list`` and ``mask_dir`` are run artefacts kept apart
    from the (possibly read-only) data and are used as given (relative to the working directory).

    Args:
        data_root: root of the data set.
        img_dir: folder of the images.
        label_dir: folder of the label PNGs (class indices); None = no labels at all.
        img_suffix: image file ending(s), e.g. ``'.jpg'`` or ``'_leftImg8bit.png'``.
        label_suffix: label file ending, e.g. ``'.png'`` or ``'_gtFine_labelIds.png'``.
        unlabelled_list: text file of stems in ``img_dir`` that have no label file.
        unlabelled_img_dirs: further image folders whose images have no labels.
        holdout: ``dict(num=K, seed=S, part='train' | 'test')``: a seeded hold-out of K labelled
            images of ``img_dir`` for data sets without a test folder; ``'test'`` keeps only the
            held-out images, ``'train'`` everything else.
        split_file: label-ratio split (see ``label_ratio_split.py``) that decides which images
            keep their labels. Made on first use when ``split_ratio`` is given.
        split_ratio: labelled fraction of the training set (1/8, 1/4, 1/2 in the paper).
        split_seed: seed of the split.
        split_draw: ``'independent'`` (each ratio drawn on its own) or ``'nested'`` (smaller
            ratios' labelled images inside larger ones'); see ``label_ratio_split.py``.
        label_filter: ``'all'``, ``'labelled'`` or ``'unlabelled'`` items (after the split),
            or ``'pseudo_labelled'``: the labelled items and the unlabelled ones that have a
            pseudo-label in ``pseudo_label_dirs`` when the dataset is built (a student's
            training set; the others would fill its batches with items that carry no loss).
        balance_labelled: repeat the labelled items ceil(U / L) times, U the unlabelled items
            kept, so that a batch draws labelled images at least as often as pseudo-labelled
            ones (CISC-R and ST++ build their students' training lists this way).
        mask_list: fixed image -> mask pairing (see ``mask_list.py``); the dataset then has one
            item per pair. Built on first use (seed 0) when ``mask_dir`` is given.
        mask_dir: folder of the listed masks, overriding the list's own ``mask_dir``.
        img_size: working resolution (height, width) or one int; transforms read it unless
            given their own size, so this one value resizes every pipeline. A mask list built
            on first use measures its hole ratios at this size.
        label_map: source label id -> train id (class merges); other ids are an error.
        ignore_index: label value that means "no label"; never remapped.
        audit_label_dir: labels of the images that have no label file (unlabelled list and
            folders), kept apart so that only the pseudo-label audit reads them.
        pseudo_label_dirs: pseudo-label folders written by ``CrossImagePseudoLabelHook``
            (relative to the working directory), searched in order by ``LoadPseudoLabel`` for
            the unlabelled items; a later round comes first to override an earlier one.
    """

    METAINFO = dict(classes=(), palette=())

    def __init__(self,
                 data_root: str = '',
                 img_dir: str = 'img',
                 label_dir: Optional[str] = None,
                 img_suffix: Union[str, Sequence[str]] = '.jpg',
                 label_suffix: str = '.png',
                 unlabelled_list: Optional[str] = None,
                 unlabelled_img_dirs: Sequence[str] = (),
                 holdout: Optional[dict] = None,
                 split_file: Optional[str] = None,
                 split_ratio: Optional[float] = None,
                 split_seed: int = 0,
                 split_draw: str = 'independent',
                 label_filter: str = 'all',
                 balance_labelled: bool = False,
                 mask_list: Optional[str] = None,
                 mask_dir: Optional[str] = None,
                 img_size: Size = 256,
                 label_map: Optional[Dict[int, int]] = None,
                 ignore_index: int = IGNORE_INDEX,
                 audit_label_dir: Optional[str] = None,
                 pseudo_label_dirs: Union[str, Sequence[str]] = (),
                 **kwargs):
        if label_filter not in LABEL_FILTERS:
            raise ValueError(f'label_filter must be one of {LABEL_FILTERS}, got {label_filter!r}')
        if split_ratio is not None and split_file is None:
            raise ValueError('split_ratio needs a split_file to save the split in, so every '
                             'phase and run sees the same split')
        if balance_labelled and mask_list is not None:
            raise ValueError('balance_labelled repeats training items; a mask_list (test '
                             'pairing) lists each image once per mask: use one or the other')
        if holdout is not None and holdout.get('part') not in ('train', 'test'):
            raise ValueError(f"holdout needs part='train' or 'test', got {holdout}")
        # Set before BaseDataset.__init__, which loads the data list.
        self.data_root = data_root or ''
        self.img_dir = self._in_root(img_dir)
        self.label_dir = self._in_root(label_dir) if label_dir is not None else None
        self.img_suffix = (img_suffix, ) if isinstance(img_suffix, str) else tuple(img_suffix)
        self.label_suffix = label_suffix
        self.unlabelled_list = self._in_root(unlabelled_list) if unlabelled_list else None
        self.unlabelled_img_dirs = [self._in_root(d) for d in unlabelled_img_dirs]
        self.audit_label_dir = self._in_root(audit_label_dir) if audit_label_dir else None
        self.holdout = holdout
        self.split_file = split_file
        self.split_ratio = split_ratio
        self.split_seed = split_seed
        self.split_draw = split_draw
        self.label_filter = label_filter
        self.balance_labelled = balance_labelled
        self.mask_list = mask_list
        self.mask_dir = mask_dir
        self.img_size = as_hw(img_size)
        self.label_map = {int(k): int(v) for k, v in label_map.items()} if label_map else None
        self.ignore_index = ignore_index
        self.pseudo_label_dirs = ((pseudo_label_dirs, ) if isinstance(pseudo_label_dirs, str)
                                  else tuple(pseudo_label_dirs))
        self._mask_list_size: Optional[Tuple[int, int]] = None
        super().__init__(data_root=self.data_root, data_prefix=dict(), **kwargs)
        if self.label_dir is not None and not self.metainfo.get('classes'):
            raise ValueError(f'{type(self).__name__} has labels ({self.label_dir}) but no '
                             'classes: pass metainfo=dict(classes=(...), palette=(...))')

    def _in_root(self, path: str) -> str:
        return path if osp.isabs(path) or not self.data_root else osp.join(self.data_root, path)

    def _key(self, path: str) -> str:
        """The item's identity in split files and mask lists: its path relative to data_root
        (so the data can move), or its absolute path without a data_root (so the working
        directory does not matter)."""
        key = osp.relpath(path, self.data_root) if self.data_root else osp.abspath(path)
        return key.replace(osp.sep, '/')

    # ---------------------------------------------------------------- finding the images
    def _find_images(self, img_dir: str) -> List[Tuple[str, str]]:
        """``(stem, path)`` of every image under ``img_dir``, sorted; ``stem`` is the path
        relative to ``img_dir`` without the image suffix."""
        if not osp.isdir(img_dir):
            raise FileNotFoundError(f'image folder {img_dir} does not exist; check data_root '
                                    f'({self.data_root!r}) and the folder names')
        images = []
        for name in sorted(fileio.list_dir_or_file(img_dir, list_dir=False,
                                                   suffix=self.img_suffix, recursive=True)):
            suffix = next(s for s in self.img_suffix if name.endswith(s))
            images.append((name[:-len(suffix)], osp.join(img_dir, name)))
        if not images:
            raise FileNotFoundError(f'no images ending in {self.img_suffix} under {img_dir}; '
                                    'check data_root, the folder names and img_suffix')
        return images

    def _read_unlabelled_stems(self, stems: Sequence[str]) -> set:
        if self.unlabelled_list is None:
            return set()
        listed = set(fileio.get_text(self.unlabelled_list).split())
        unknown = sorted(listed - set(stems))
        if unknown:
            raise ValueError(f'{self.unlabelled_list} lists images that are not in '
                             f'{self.img_dir}: {unknown[:5]}; fix the list or the images')
        return listed

    def _label_path(self, stem: str, image_path: str) -> str:
        path = osp.join(self.label_dir, stem + self.label_suffix)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'image {image_path} has no label file {path}; add the label, or mark the image '
                f'as unlabelled (list its stem in unlabelled_list, or move it to an unlabelled '
                f'image folder)')
        return path

    def _audit_label_path(self, stem: str) -> Optional[str]:
        if self.audit_label_dir is None:
            return None
        path = osp.join(self.audit_label_dir, stem + self.label_suffix)
        return path if osp.isfile(path) else None

    def _hold_out(self, labelled_keys: List[str]) -> set:
        """The held-out test images, drawn from the labelled images of ``img_dir``."""
        num, seed = self.holdout['num'], self.holdout.get('seed', 0)
        if not 0 < num < len(labelled_keys):
            raise ValueError(f'cannot hold out {num} of the {len(labelled_keys)} labelled '
                             f'images of {self.img_dir}')
        candidates = sorted(labelled_keys)
        chosen = np.random.default_rng(seed).choice(len(candidates), num, replace=False)
        return {candidates[i] for i in chosen}

    def _pool(self) -> Dict[str, dict]:
        """Every image of the data set with its natural label state, keyed by image path."""
        images = self._find_images(self.img_dir)
        unlabelled = self._read_unlabelled_stems([stem for stem, _ in images])
        pool = {}
        for stem, path in images:
            has_label = self.label_dir is not None and stem not in unlabelled
            label = self._label_path(stem, path) if has_label else None
            pool[self._key(path)] = dict(path=path, seg_map_path=label,
                                         true_seg_map_path=label or self._audit_label_path(stem))
        in_test_part = False
        if self.holdout is not None:
            held_out = self._hold_out([k for k, v in pool.items() if v['seg_map_path']])
            in_test_part = self.holdout['part'] == 'test'
            pool = {k: v for k, v in pool.items() if (k in held_out) == in_test_part}
        if not in_test_part:
            for img_dir in self.unlabelled_img_dirs:
                pool.update({self._key(path): dict(path=path, seg_map_path=None,
                                                   true_seg_map_path=self._audit_label_path(stem))
                             for stem, path in self._find_images(img_dir)})
        return pool

    # ------------------------------------------------------------ label split, mask list
    def _apply_split(self, pool: Dict[str, dict]) -> None:
        if self.split_file is None:
            return
        with_labels = [k for k, v in pool.items() if v['seg_map_path']]
        without_labels = [k for k, v in pool.items() if not v['seg_map_path']]
        if self.split_ratio is not None:
            split = ensure_label_ratio_split(self.split_file, with_labels, without_labels,
                                             self.split_ratio, self.split_seed, self.split_draw)
        else:
            split = read_label_ratio_split(self.split_file)
            check_split_matches(split, self.split_file, with_labels, without_labels)
        for key, item in pool.items():
            if not split.labelled[key]:
                item['seg_map_path'] = None  # hidden: this image is unlabelled in this split

    def _load_mask_list(self, image_keys: Sequence[str]):
        if not osp.isfile(self.mask_list):
            if self.mask_dir is None:
                raise FileNotFoundError(
                    f'mask list {self.mask_list} does not exist; build it with '
                    f'tools/make_mask_list.py, or give the dataset mask_dir to build it')
            print_log(f'building mask list {self.mask_list} from {self.mask_dir}',
                      logger='current')
            write_mask_list(self.mask_list,
                            build_mask_list(image_keys, self.mask_dir, self.img_size))
        mask_list = read_mask_list(self.mask_list)
        if mask_list.size != self.img_size:
            print_log(f'mask list {self.mask_list} measured its hole ratios at '
                      f'{mask_list.size[0]}x{mask_list.size[1]} but the dataset works at '
                      f'{self.img_size[0]}x{self.img_size[1]}: resized masks can cross bucket '
                      'edges; build a list at the working size', logger='current',
                      level=logging.WARNING)
        listed = {entry.image for entry in mask_list.entries}
        extra, missing = sorted(listed - set(image_keys)), sorted(set(image_keys) - listed)
        if extra or missing:
            raise ValueError(
                f'mask list {self.mask_list} was built for other images: {len(extra)} listed '
                f'images are not in the dataset (e.g. {extra[:3]}), {len(missing)} dataset '
                f'images are not listed (e.g. {missing[:3]}); rebuild it with '
                'tools/make_mask_list.py for this dataset')
        mask_dir = self.mask_dir if self.mask_dir is not None else mask_list.mask_dir
        for entry in mask_list.entries:
            if not osp.isfile(osp.join(mask_dir, entry.mask)):
                raise FileNotFoundError(
                    f'mask {osp.join(mask_dir, entry.mask)} listed in {self.mask_list} does '
                    'not exist; pass the dataset the folder the masks are in (mask_dir) or '
                    'rebuild the list')
        return mask_list, mask_dir

    # ------------------------------------------------------------------- BaseDataset
    def load_data_list(self) -> List[dict]:
        pool = self._pool()
        self._apply_split(pool)
        items = []
        for key, item in pool.items():
            labelled = item['seg_map_path'] is not None
            if (self.label_filter in ('all', 'pseudo_labelled')
                    or (self.label_filter == 'labelled') == labelled):
                items.append(dict(img_path=item['path'], gt_path=item['path'],
                                  seg_map_path=item['seg_map_path'], labelled=labelled,
                                  true_seg_map_path=item['true_seg_map_path'],
                                  mask_path=None, mask_bucket=None, img_key=key,
                                  vis_name=osp.splitext(osp.basename(key))[0]))
        if self.label_filter == 'pseudo_labelled':
            kept = [item for item in items
                    if item['labelled'] or self._has_pseudo_label(item['img_key'])]
            if all(item['labelled'] for item in kept) and len(kept) < len(items):
                raise FileNotFoundError(
                    f'none of the {len(items) - len(kept)} unlabelled images has a pseudo-label '
                    f'in {list(self.pseudo_label_dirs)}; run the phase that writes them (the '
                    'pseudo-label hook) or fix pseudo_label_dirs')
            items = kept
        if not items:
            raise ValueError(f'{type(self).__name__} under {self.data_root!r} has no '
                             f'{self.label_filter} images')
        if self.balance_labelled:
            items = self._balanced(items)
        if self.mask_list is None:
            return items
        mask_list, mask_dir = self._load_mask_list([item['img_key'] for item in items])
        self._mask_list_size = mask_list.size
        by_key = {item['img_key']: item for item in items}
        # Each test image is listed once per bucket: name its visualisations by bucket too.
        return [dict(by_key[entry.image], mask_path=osp.join(mask_dir, entry.mask),
                     mask_bucket=entry.bucket,
                     vis_name='{}_holes{:.0f}-{:.0f}'.format(by_key[entry.image]['vis_name'],
                                                             *(100 * b for b in entry.bucket)))
                for entry in mask_list.entries]

    def _has_pseudo_label(self, img_key: str) -> bool:
        if not self.pseudo_label_dirs:
            raise ValueError("label_filter='pseudo_labelled' needs pseudo_label_dirs (the "
                             'pseudo-label rounds the student learns from)')
        relpath = pseudo_label_relpath(img_key)
        return any(osp.isfile(osp.join(folder, relpath)) for folder in self.pseudo_label_dirs)

    @staticmethod
    def _balanced(items: List[dict]) -> List[dict]:
        labelled = [item for item in items if item['labelled']]
        unlabelled = [item for item in items if not item['labelled']]
        if not labelled or not unlabelled:
            return items
        return labelled * math.ceil(len(unlabelled) / len(labelled)) + unlabelled

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        # Dataset-wide settings travel with each item instead of being stored per item.
        info.update(img_size=self.img_size, label_map=self.label_map,
                    num_classes=len(self._metainfo.get('classes', ())),
                    ignore_index=self.ignore_index, mask_list=self.mask_list,
                    mask_list_size=self._mask_list_size,
                    pseudo_label_dirs=self.pseudo_label_dirs)
        return info
