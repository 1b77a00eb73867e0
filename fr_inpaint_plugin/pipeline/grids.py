"""One picture of a pipeline's inpainting tests side by side: a column per test item (a few per
hole-ratio bucket), a row per method and per guide's semantic map, cut from the grids that
MMagic's ``ConcatImageVisualizer`` wrote in each test phase's work dir."""
import glob
import io
import os.path as osp
import re
from typing import Dict, List, Sequence, Tuple

import numpy as np

GRIDS_FILE = 'grids.png'
# '<image>_holes<lo>-<hi>_<iteration>.png' (the datasets' vis_name + the visualizer's step)
_GRID_NAME = re.compile(r'^(?P<item>.+_holes(?P<lo>\d+)-(?P<hi>\d+))_\d+\.png$')
# The visualizer's image keys, as the rows of the comparison name them.
MASKED_KEY, TRUTH_KEY, OUTPUT_KEY, MAP_KEY = 'input', 'gt_img', 'pred_img', 'seg_vis'

Row = Tuple[str, List[np.ndarray]]


def latest_grids(work_dir: str) -> Dict[str, str]:
    """``{item: grid path}`` of the last test run (timestamped folder) in a test phase's work
    dir; an item is the image name with its hole-ratio bucket."""
    runs = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'vis_image')))
    grids = {}
    for path in sorted(glob.glob(osp.join(runs[-1], '*.png'))) if runs else []:
        match = _GRID_NAME.match(osp.basename(path))
        if match:
            grids[match['item']] = path
    return grids


def pick_items(items: Sequence[str], per_bucket: int) -> List[str]:
    """``per_bucket`` items of each hole-ratio bucket (buckets ascending, items by name), each
    of another image than the items before it where the bucket has enough."""
    buckets: Dict[Tuple[int, int], List[str]] = {}
    for item in sorted(items):
        lo, hi = _bucket(item).split('-')
        buckets.setdefault((int(lo), int(hi)), []).append(item)
    picked: List[str] = []
    for bucket in sorted(buckets):
        shown = {_image(item) for item in picked}
        fresh = [item for item in buckets[bucket] if _image(item) not in shown]
        seen = [item for item in buckets[bucket] if _image(item) in shown]
        picked += (fresh + seen)[:per_bucket]
    return picked


def _bucket(item: str) -> str:
    return re.search(r'_holes(\d+-\d+)$', item).group(1)


def _image(item: str) -> str:
    return item[:item.rindex('_holes')]


def cut_grid(path: str, keys: Sequence[str]) -> Dict[str, np.ndarray]:
    """A visualizer grid (its images side by side, in ``keys`` order) cut into its images."""
    from PIL import Image
    with Image.open(path) as image:
        grid = np.asarray(image.convert('RGB'))
    if grid.shape[1] % len(keys):
        raise ValueError(f'{path}: {grid.shape[1]} pixels wide, not {len(keys)} equal images '
                         f'({", ".join(keys)}); was it written with another visualizer '
                         'config? Rerun the test phase to rewrite it.')
    return dict(zip(keys, np.split(grid, len(keys), axis=1)))


def comparison_rows(tests: Sequence[Tuple[str, str, Sequence[str]]],
                    per_bucket: int = 1) -> Tuple[List[str], List[Row]]:
    """``tests``: (row name, work dir, visualizer image keys) per inpainting test phase.
    Returns the items shown and the rows: the masked input, each test's output (after its
    semantic map, unless black: no guide), the ground truth. Tests without grids
    are left out; the items are those every remaining test has."""
    found = [(name, latest_grids(work_dir), keys) for name, work_dir, keys in tests]
    found = [entry for entry in found if entry[1]]
    if not found:
        return [], []
    common = set.intersection(*(set(grids) for _, grids, _ in found))
    items = pick_items(common, per_bucket)
    if not items:
        return [], []
    rows: List[Row] = []
    masked = truth = None
    for name, grids, keys in found:
        cut = [cut_grid(grids[item], keys) for item in items]
        if masked is None and MASKED_KEY in keys:
            masked = ('masked input', [images[MASKED_KEY] for images in cut])
        if truth is None and TRUTH_KEY in keys:
            truth = ('ground truth', [images[TRUTH_KEY] for images in cut])
        if MAP_KEY in keys and any(images[MAP_KEY].any() for images in cut):  # no guide: black
            rows.append((f'{name}: its semantic map', [images[MAP_KEY] for images in cut]))
        if OUTPUT_KEY in keys:
            rows.append((name, [images[OUTPUT_KEY] for images in cut]))
    return items, [row for row in (masked, *rows, truth) if row is not None]


def comparison_png(items: Sequence[str], rows: Sequence[Row]) -> bytes:
    """The rows as a PNG: one column per item (titled with its hole-ratio bucket), the row
    names on the left, each image at its own size."""
    import matplotlib
    matplotlib.use('Agg')  # files only, no display
    from matplotlib import pyplot as plt

    height, width = rows[0][1][0].shape[:2]
    dpi, label_inches = 100, 2.6
    figure, axes = plt.subplots(
        len(rows), len(items), squeeze=False, dpi=dpi,
        figsize=(label_inches + len(items) * width / dpi, 0.3 + len(rows) * height / dpi))
    for r, (name, images) in enumerate(rows):
        for c, image in enumerate(images):
            axis = axes[r][c]
            axis.imshow(image, interpolation='nearest')
            axis.set_xticks([])
            axis.set_yticks([])
            if r == 0:
                axis.set_title(f'holes {_bucket(items[c])} %', fontsize=8)
        axes[r][0].set_ylabel(name, rotation=0, ha='right', va='center', fontsize=8, wrap=True)
    figure.subplots_adjust(left=label_inches / figure.get_figwidth(), right=1, bottom=0,
                           top=1 - 0.3 / figure.get_figheight(), wspace=0.02, hspace=0.02)
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=dpi)
    plt.close(figure)
    return buffer.getvalue()
