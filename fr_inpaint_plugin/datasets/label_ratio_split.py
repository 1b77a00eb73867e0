"""Label-ratio splits: which training images keep their labels in the 1/8, 1/4, 1/2 experiments.

``ratio`` is the labelled fraction of the whole training set (images with label files plus
images that never had one), as in the method's "1/2 of the training set labelled"; the labelled
images are drawn, seeded, from those that have label files. The split is saved once and read by
every phase and run, so the coarse, segmentation and refinement stages all see the same split.

Two draws: ``'independent'`` (the default) draws each ratio's labelled images on their own, so
the 1/8 and 1/4 splits of one seed share only about a quarter of the 1/8 images; ``'nested'``
takes the first images of one seeded order, so every smaller ratio's labelled images are among
every larger one's and a label-ratio study compares more labels, not other labels. A nested
split says so in its header (``# draw: nested``); a file without that line is independent.

File format (UTF-8 text like the mask lists: ``#`` header lines, then one tab-separated line
per image, sorted; ``labelled`` is 1 or 0)::

    # fr_inpaint_plugin label-ratio split v1
    # ratio: 0.5
    # seed: 0
    # num_images: 367
    # num_labelled: 184
    # columns: image  labelled
    train/img/0001TP_006690.jpg\t1

``image`` is the dataset's ``img_key``: the image path relative to its ``data_root``.
"""
import math
import os.path as osp
from dataclasses import dataclass
from typing import Dict, Sequence

import numpy as np
from mmengine import fileio

from ..utils import write_text_atomically

FORMAT_LINE = 'fr_inpaint_plugin label-ratio split v1'
SPLIT_DRAWS = ('independent', 'nested')


@dataclass(frozen=True)
class LabelRatioSplit:
    ratio: float
    seed: int
    labelled: Dict[str, bool]  # image path (relative to data_root) -> keeps its label
    draw: str = 'independent'

    def to_text(self) -> str:
        # Independent splits keep the header they always had, so files saved before nested
        # draws existed stay byte-identical when remade.
        draw = [] if self.draw == 'independent' else [f'draw: {self.draw}']
        lines = [FORMAT_LINE, f'ratio: {self.ratio!r}', f'seed: {self.seed}', *draw,
                 f'num_images: {len(self.labelled)}',
                 f'num_labelled: {sum(self.labelled.values())}', 'columns: image\tlabelled']
        return ''.join(f'# {line}\n' for line in lines) + ''.join(
            f'{image}\t{int(self.labelled[image])}\n' for image in sorted(self.labelled))


def make_label_ratio_split(images_with_labels: Sequence[str],
                           images_without_labels: Sequence[str], ratio: float,
                           seed: int, draw: str = 'independent') -> LabelRatioSplit:
    """Keep the labels of ``round(ratio * all images)`` images drawn from those that have one."""
    check_draw(draw)
    if not 0 < ratio <= 1:
        raise ValueError(f'the label ratio must be in (0, 1], got {ratio}')
    both = set(images_with_labels) & set(images_without_labels)
    if both:
        raise ValueError(f'images listed both with and without labels: {sorted(both)[:5]}')
    num_images = len(images_with_labels) + len(images_without_labels)
    num_labelled = max(1, math.floor(ratio * num_images + 0.5))
    if num_labelled > len(images_with_labels):
        raise ValueError(
            f'a label ratio of {ratio} of {num_images} training images needs {num_labelled} '
            f'labelled images but only {len(images_with_labels)} have label files; use a ratio '
            f'of at most {len(images_with_labels) / num_images:.3f}')
    candidates = sorted(images_with_labels)
    rng = np.random.default_rng(seed)
    if draw == 'nested':
        drawn = rng.permutation(len(candidates))[:num_labelled]
    else:
        drawn = rng.choice(len(candidates), num_labelled, replace=False)
    chosen = set(drawn.tolist())
    labelled = {image: index in chosen for index, image in enumerate(candidates)}
    labelled.update({image: False for image in images_without_labels})
    return LabelRatioSplit(float(ratio), int(seed), dict(sorted(labelled.items())), draw)


def check_draw(draw: str) -> None:
    if draw not in SPLIT_DRAWS:
        raise ValueError(f'split draw must be one of {SPLIT_DRAWS}, got {draw!r}')


def read_label_ratio_split(path: str) -> LabelRatioSplit:
    header, labelled = {}, {}
    lines = fileio.get_text(path).splitlines()
    if not lines or lines[0] != f'# {FORMAT_LINE}':
        raise ValueError(f'{path} is not a label-ratio split file (its first line should be '
                         f'"# {FORMAT_LINE}"); build one with tools/make_split.py')
    for number, line in enumerate(lines[1:], 2):
        if line.startswith('#'):
            key, _, value = line[1:].partition(':')
            header[key.strip()] = value.strip()
        elif line.strip():
            image, _, flag = line.partition('\t')
            if flag not in ('0', '1'):
                raise ValueError(f'{path}:{number}: expected "image<TAB>1|0", got {line!r}')
            labelled[image] = flag == '1'
    if 'ratio' not in header or 'seed' not in header:
        raise ValueError(f'split file {path} lacks its ratio/seed header; rebuild it with '
                         'tools/make_split.py')
    draw = header.get('draw', 'independent')
    if draw not in SPLIT_DRAWS:
        raise ValueError(f'{path}: unknown draw {draw!r} in its header (one of {SPLIT_DRAWS})')
    return LabelRatioSplit(float(header['ratio']), int(header['seed']), labelled, draw)

def check_split_matches(split: LabelRatioSplit, path: str, images_with_labels: Sequence[str],
                        images_without_labels: Sequence[str]) -> None:
    """The saved split must describe exactly this training set, else the phases disagree."""
    images = set(images_with_labels) | set(images_without_labels)
    extra, missing = sorted(set(split.labelled) - images), sorted(images - set(split.labelled))
    if extra or missing:
        raise ValueError(
            f'split file {path} does not match the dataset: {len(extra)} listed images are not '
            f'in it (e.g. {extra[:3]}) and {len(missing)} of its images are not listed (e.g. '
            f'{missing[:3]}). The data changed since the split was made: point split_file at a '
            'new file to make a new split, or restore the data')
    unlabellable = sorted(i for i in images_without_labels if split.labelled[i])
    if unlabellable:
        raise ValueError(f'split file {path} marks images without a label file as labelled '
                         f'(e.g. {unlabellable[:3]}); add their labels or make a new split')


def ensure_label_ratio_split(path: str, images_with_labels: Sequence[str],
                             images_without_labels: Sequence[str], ratio: float,
                             seed: int, draw: str = 'independent') -> LabelRatioSplit:
    """Write the split on first use; afterwards the saved file is the split.

    An existing file is never regenerated: asking for another ratio, seed or draw, or for a
    training set that differs from the saved one, is an error.
    """
    check_draw(draw)
    if osp.isfile(path):
        saved = read_label_ratio_split(path)
        if not math.isclose(saved.ratio, ratio) or saved.seed != seed or saved.draw != draw:
            raise ValueError(
                f'split file {path} holds ratio {saved.ratio}, seed {saved.seed}, draw '
                f'{saved.draw}, not the requested ratio {ratio}, seed {seed}, draw {draw}; use '
                'another split_file for a new split (the existing one is kept so earlier runs '
                'stay reproducible)')
        check_split_matches(saved, path, images_with_labels, images_without_labels)
        return saved
    split = make_label_ratio_split(images_with_labels, images_without_labels, ratio, seed, draw)
    write_text_atomically(path, split.to_text())
    return split
