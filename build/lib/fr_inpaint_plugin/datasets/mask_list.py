"""Fixed image -> hole-mask pairings for validation and testing, bucketed by measured hole ratio.

Every test image gets one mask per hole-ratio bucket, so each bucket is scored on the same
images and differences between buckets come from the holes alone (the dataset then has
``num_images * num_buckets`` items). Masks are assigned to buckets by their hole ratio measured
after the nearest-neighbour resize to the working size, never by file order or name.

File format (UTF-8 text; ``#`` lines are the header, then one tab-separated line per pair)::

    # fr_inpaint_plugin mask list v1
    # size: 256x256
    # seed: 0
    # buckets: (0,0.2] (0.2,0.4] (0.4,0.6]
    # mask_dir: /abs/path/to/masks
    # columns: image  mask  hole_ratio  bucket
    val/img/0001TP_008550.jpg\t01234.png\t0.153259\t(0,0.2]

``image`` is the dataset's ``img_key`` (the image path relative to its ``data_root``),
``mask`` is relative to ``mask_dir`` (which a dataset may override to find moved masks), and
``hole_ratio`` is measured at ``size``.
"""
import logging
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
from mmengine import fileio
from mmengine.logging import print_log

from ..utils import write_text_atomically
from .hole_masks import (
    HOLE_RATIO_BUCKETS,
    bucket_of,
    format_bucket,
    hole_ratio,
    parse_bucket,
    read_hole_mask,
    resize_hole_mask,
)

FORMAT_LINE = 'fr_inpaint_plugin mask list v1'
MASK_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp')

Bucket = Tuple[float, float]


@dataclass(frozen=True)
class MaskListEntry:
    image: str  # image path relative to the dataset's data_root
    mask: str  # mask file relative to the list's mask_dir
    hole_ratio: float  # measured at the list's size
    bucket: Bucket


@dataclass(frozen=True)
class MaskList:
    size: Tuple[int, int]  # (height, width) the hole ratios were measured at
    seed: int
    buckets: Tuple[Bucket, ...]
    mask_dir: str
    entries: Tuple[MaskListEntry, ...]

    def to_text(self) -> str:
        lines = [
            FORMAT_LINE,
            f'size: {self.size[0]}x{self.size[1]}',
            f'seed: {self.seed}',
            'buckets: ' + ' '.join(format_bucket(b) for b in self.buckets),
            f'mask_dir: {self.mask_dir}',
            'columns: image\tmask\thole_ratio\tbucket',
        ]
        text = ''.join(f'# {line}\n' for line in lines)
        text += ''.join(f'{e.image}\t{e.mask}\t{e.hole_ratio:.6f}\t{format_bucket(e.bucket)}\n'
                        for e in self.entries)
        return text


def measure_hole_ratio(path: str, size: Tuple[int, int]) -> float:
    """The hole ratio of the mask file at ``path`` once resized to ``size`` (height, width)."""
    return hole_ratio(resize_hole_mask(read_hole_mask(path), size))


def list_mask_files(mask_dir: str) -> List[str]:
    """Mask file names in ``mask_dir`` (not recursive), sorted so the seeded draw is stable."""
    if not osp.isdir(mask_dir):
        raise FileNotFoundError(f'mask directory {mask_dir} does not exist; point mask_dir '
                                '(--mask-dir) at a folder of hole masks (255 = hole)')
    names = sorted(fileio.list_dir_or_file(mask_dir, list_dir=False, suffix=MASK_SUFFIXES))
    if not names:
        raise FileNotFoundError(f'no mask files ({", ".join(MASK_SUFFIXES)}) in {mask_dir}')
    return names


def build_mask_list(image_keys: Sequence[str],
                    mask_dir: str,
                    size: Tuple[int, int],
                    seed: int = 0,
                    buckets: Sequence[Bucket] = HOLE_RATIO_BUCKETS) -> MaskList:
    """Pair every image with one mask per bucket, deterministically for a given seed.

    Masks are drawn in a seeded random order and measured until each bucket holds one mask per
    image, so a large set (12,000 NVIDIA masks) costs only the masks it needs. When a bucket
    has fewer masks than images, its masks are reused in turn (with a warning).
    """
    if not image_keys:
        raise ValueError('build_mask_list needs at least one image')
    buckets = tuple(tuple(float(v) for v in b) for b in buckets)
    names = list_mask_files(mask_dir)
    needed = len(image_keys)
    by_bucket: List[List[Tuple[str, float]]] = [[] for _ in buckets]
    for index in np.random.default_rng(seed).permutation(len(names)):
        ratio = measure_hole_ratio(osp.join(mask_dir, names[index]), size)
        bucket = bucket_of(ratio, buckets)
        if bucket is not None and len(by_bucket[bucket]) < needed:
            by_bucket[bucket].append((names[index], ratio))
            if all(len(masks) == needed for masks in by_bucket):
                break
    for bucket, masks in zip(buckets, by_bucket):
        if not masks:
            raise ValueError(f'no mask in {mask_dir} has a hole ratio in {format_bucket(bucket)} '
                             f'at {size[0]}x{size[1]}; add such masks or change the buckets')
        if len(masks) < needed:
            print_log(f'only {len(masks)} masks of {mask_dir} fall in {format_bucket(bucket)}; '
                      f'they are reused for the {needed} images', logger='current',
                      level=logging.WARNING)
    entries = [
        MaskListEntry(image, masks[i % len(masks)][0], masks[i % len(masks)][1], bucket)
        for i, image in enumerate(sorted(image_keys))
        for bucket, masks in zip(buckets, by_bucket)
    ]
    return MaskList(tuple(size), seed, buckets, osp.abspath(mask_dir), tuple(entries))


def _parse_header(lines: List[str], path: str) -> Dict[str, str]:
    if not lines or lines[0] != FORMAT_LINE:
        raise ValueError(f'{path} is not a mask list (its first line should be '
                         f'"# {FORMAT_LINE}"); build one with tools/make_mask_list.py')
    header = {}
    for line in lines[1:]:
        key, _, value = line.partition(':')
        header[key.strip()] = value.strip()
    missing = {'size', 'seed', 'buckets', 'mask_dir'} - set(header)
    if missing:
        raise ValueError(f'mask list {path} lacks header fields {sorted(missing)}; rebuild it '
                         'with tools/make_mask_list.py')
    return header


def read_mask_list(path: str) -> MaskList:
    header_lines, rows = [], []
    for number, line in enumerate(fileio.get_text(path).splitlines(), 1):
        if line.startswith('#'):
            header_lines.append(line[1:].strip())
        elif line.strip():
            rows.append((number, line))
    header = _parse_header(header_lines, path)
    height, width = (int(v) for v in header['size'].split('x'))
    entries = []
    for number, line in rows:
        fields = line.split('\t')
        if len(fields) != 4:
            raise ValueError(f'{path}:{number}: expected 4 tab-separated fields (image, mask, '
                             f'hole_ratio, bucket), got {line!r}')
        image, mask, ratio, bucket = fields
        entries.append(MaskListEntry(image, mask, float(ratio), parse_bucket(bucket)))
    return MaskList((height, width), int(header['seed']),
                    tuple(parse_bucket(b) for b in header['buckets'].split()),
                    header['mask_dir'], tuple(entries))


def write_mask_list(path: str, mask_list: MaskList, overwrite: bool = False) -> bool:
    """Write ``mask_list``; returns False when ``path`` already holds exactly this list.

    A different existing list is never replaced silently: test scores are only comparable on
    the same pairing, so that needs ``overwrite=True``.
    """
    text = mask_list.to_text()
    if osp.isfile(path):
        if fileio.get_text(path) == text:
            return False
        if not overwrite:
            raise FileExistsError(f'{path} already holds a different mask list; delete it, '
                                  'write to another file, or pass --force to replace it')
    write_text_atomically(path, text)
    return True

