"""Does the reliability ranking pick better pseudo-labels? (issue 11; METHOD.md §3.3)

The images of a split's unlabelled part have true labels that the split hides (CamVid), or that
the data keeps apart for this purpose (the demo's ``train/audit_label/``). For one pseudo-label
round, the audit scores every pseudo-label against its true label and asks whether the
reliability distance predicts the pseudo-label's quality:

* per image: pseudo-label mIoU (over the classes in the true label or the pseudo-label, on the
  pixels neither label ignores), pixel accuracy, the reliability distance and the number of
  classes it scored;
* Spearman's rank correlation of the distance with the pseudo-label error (1 - mIoU; and
  1 - pixel accuracy); positive = the ranking works;
* the mean pseudo-label mIoU of the reliable and the unreliable set, and of random subsets of
  the reliable set's size (``RANDOM_DRAWS`` seeded draws: their mean and 5-95 % range), so
  "better than a random half" is judged against chance;
* the same split made by the true quality (the reliable set's number of images with the best
  pseudo-label mIoU, and the rest): the widest gap any ranking could reach, to judge a gap by;
* the set-level mIoU (one confusion matrix over the set) of the reliable and unreliable sets;
* per class and set: its share of the true labels' pixels and of the pseudo-labels', and its
  IoU, so a class the teacher never predicts, or one the ranking leaves out of the reliable set
  (images with fewer classes tend to score lower distances), shows as a pseudo share of 0.

:func:`audit_round` computes it from the round's rows and two loaders; :func:`write_audit`
writes ``audit.json``, ``audit.md`` and ``audit.png`` (distance vs pseudo-label mIoU, reliable
and unreliable coloured).
"""
import io
import json
import math
import os.path as osp
from dataclasses import asdict, dataclass
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from ..utils import IGNORE_INDEX, write_bytes_atomically, write_text_atomically

AUDIT_JSON, AUDIT_MD, AUDIT_PNG = 'audit.json', 'audit.md', 'audit.png'
RANDOM_DRAWS = 1000


@dataclass(frozen=True)
class ImageAudit:
    img_key: str
    distance: float
    scored_classes: int
    reliable: bool
    miou: float      # nan when the true label has no labelled pixel
    accuracy: float
    num_classes: int  # classes in the true label or the pseudo-label (the mIoU's denominator)


def confusion_matrix(pseudo: np.ndarray, truth: np.ndarray, num_classes: int,
                     ignore_index: int = IGNORE_INDEX) -> np.ndarray:
    """(K,K) int64 counts, rows = true class, columns = pseudo-label class, over the pixels
    where neither label is ``ignore_index`` (a pseudo-label ignores the pixels its teacher was
    not confident enough about, see ``CrossImagePseudoLabelHook(min_confidence=...)``)."""
    if pseudo.shape != truth.shape:
        raise ValueError(f'pseudo-label {pseudo.shape} and true label {truth.shape} differ in '
                         'size')
    valid = (truth != ignore_index) & (pseudo != ignore_index)
    truth, pseudo = truth[valid].astype(np.int64), pseudo[valid].astype(np.int64)
    if truth.size and (truth.max() >= num_classes or pseudo.max() >= num_classes):
        raise ValueError(f'labels hold ids >= the {num_classes} classes')
    return np.bincount(truth * num_classes + pseudo,
                       minlength=num_classes**2).reshape(num_classes, num_classes)


def miou_of(confusion: np.ndarray) -> float:
    """Mean IoU over the classes present in the truth or the prediction (nan if none)."""
    intersection = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - intersection
    present = union > 0
    return float((intersection[present] / union[present]).mean()) if present.any() else math.nan


def class_figures(confusion: np.ndarray) -> Dict[str, List[float]]:
    """Per class: share of the true pixels, share of the pseudo-labelled pixels, IoU (nan where
    neither label holds the class; shares nan for an empty matrix)."""
    total = confusion.sum()
    intersection = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - intersection
    with np.errstate(invalid='ignore', divide='ignore'):
        return dict(true_share=(confusion.sum(1) / total).tolist(),
                    pseudo_share=(confusion.sum(0) / total).tolist(),
                    iou=np.where(union > 0, intersection / union, math.nan).tolist())


def image_audit(row: dict, pseudo: np.ndarray, truth: np.ndarray, num_classes: int,
                ignore_index: int = IGNORE_INDEX) -> ImageAudit:
    confusion = confusion_matrix(pseudo, truth, num_classes, ignore_index)
    total = confusion.sum()
    union = confusion.sum(0) + confusion.sum(1) - np.diag(confusion)
    return ImageAudit(
        img_key=row['img_key'], distance=float(row['distance']),
        scored_classes=int(row['scored_classes']), reliable=bool(int(row['reliable'])),
        miou=miou_of(confusion) if total else math.nan,
        accuracy=float(np.trace(confusion) / total) if total else math.nan,
        num_classes=int((union > 0).sum()))


def _spearman(x: Sequence[float], y: Sequence[float]) -> float:
    from scipy.stats import spearmanr
    if len(x) < 3:
        return math.nan
    return float(spearmanr(x, y).statistic)


def audit_round(rows: Sequence[dict], load_pseudo: Callable[[str], np.ndarray],
                load_truth: Callable[[str], Optional[np.ndarray]], num_classes: int,
                ignore_index: int = IGNORE_INDEX, seed: int = 0,
                class_names: Optional[Sequence[str]] = None) -> dict:
    """The audit of one round.

    Args:
        rows: the round's ``scores.csv`` rows (``img_key``, ``distance``, ``scored_classes``,
            ``reliable``), as dicts.
        load_pseudo: img_key -> the pseudo-label (H,W) class ids.
        load_truth: img_key -> the true label (H,W) train ids, or None where there is none
            (such images are left out and counted).
        class_names: the names of the ``num_classes`` classes (default: their ids).
    """
    class_names = [str(c) for c in range(num_classes)] if class_names is None else list(
        class_names)
    if len(class_names) != num_classes:
        raise ValueError(f'{len(class_names)} class names for {num_classes} classes')
    images: List[ImageAudit] = []
    confusions = {True: np.zeros((num_classes, num_classes), np.int64)}
    confusions[False] = confusions[True].copy()
    without_truth = 0
    for row in rows:
        truth = load_truth(row['img_key'])
        if truth is None:
            without_truth += 1
            continue
        pseudo = load_pseudo(row['img_key'])
        audit = image_audit(row, pseudo, truth, num_classes, ignore_index)
        confusions[audit.reliable] += confusion_matrix(pseudo, truth, num_classes, ignore_index)
        images.append(audit)
    scored = [image for image in images if not math.isnan(image.miou)]
    if not scored:
        raise ValueError('no image of the round has a true label to audit against')
    miou = np.array([image.miou for image in scored])
    reliable = np.array([image.reliable for image in scored])
    # distances may be inf (unscorable images rank last): ranks handle that
    distances = [image.distance for image in scored]
    rng = np.random.default_rng(seed)
    num_reliable = int(reliable.sum())
    random_means = np.array([miou[rng.choice(len(miou), num_reliable, replace=False)].mean()
                             for _ in range(RANDOM_DRAWS)]) if num_reliable else np.array([])
    best_first = np.sort(miou)[::-1]

    def mean(values) -> float:
        return float(np.mean(values)) if len(values) else math.nan

    summary = dict(
        num_images=len(rows), num_audited=len(scored), num_without_truth=without_truth,
        num_reliable=num_reliable, num_unreliable=int((~reliable).sum()),
        reliable_miou=mean(miou[reliable]), unreliable_miou=mean(miou[~reliable]),
        all_miou=mean(miou),
        random_half_miou=mean(random_means),
        random_half_p05=float(np.percentile(random_means, 5)) if num_reliable else math.nan,
        random_half_p95=float(np.percentile(random_means, 95)) if num_reliable else math.nan,
        oracle_reliable_miou=mean(best_first[:num_reliable]),
        oracle_unreliable_miou=mean(best_first[num_reliable:]),
        reliable_set_miou=miou_of(confusions[True]),
        unreliable_set_miou=miou_of(confusions[False]),
        reliable_accuracy=mean([i.accuracy for i in scored if i.reliable]),
        unreliable_accuracy=mean([i.accuracy for i in scored if not i.reliable]),
        spearman_distance_miou_error=_spearman(distances, 1 - miou),
        spearman_distance_accuracy_error=_spearman(
            distances, [1 - image.accuracy for image in scored]),
        random_draws=RANDOM_DRAWS, seed=seed)
    per_class = {'reliable': class_figures(confusions[True]),
                 'unreliable': class_figures(confusions[False])}
    return dict(summary=summary, classes=class_names, per_class=per_class,
                images=[asdict(image) for image in images])


def _percent(value: float) -> str:
    return '-' if math.isnan(value) else f'{100 * value:.2f}'


def per_class_markdown(audit: dict) -> List[str]:
    """The per-class table, and the classes the true labels of the reliable set hold but its
    pseudo-labels never do."""
    figures = audit['per_class']
    lines = ['Per class, over the pixels of each set: share of the true labels, share of the '
             'pseudo-labels, IoU (%).', '',
             '| class | reliable: true | pseudo | IoU | unreliable: true | pseudo | IoU |',
             '|---|---|---|---|---|---|---|']
    for index, name in enumerate(audit['classes']):
        cells = [_percent(figures[part][key][index]) for part in ('reliable', 'unreliable')
                 for key in ('true_share', 'pseudo_share', 'iou')]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    reliable = figures['reliable']
    erased = [name for name, true, pseudo in zip(audit['classes'], reliable['true_share'],
                                                  reliable['pseudo_share'])
              if true > 0 and pseudo == 0]
    lines += ['', 'Classes in the reliable set\'s true labels that its pseudo-labels never hold: '
              + (', '.join(erased) if erased else 'none') + '.', '']
    return lines


def audit_markdown(audit: dict, title: str) -> str:
    s = audit['summary']
    lines = [
        f'# Pseudo-label audit: {title}', '',
        f"{s['num_audited']} of {s['num_images']} pseudo-labelled images audited against their "
        f"true labels ({s['num_without_truth']} without one). Per-image mIoU over the classes in "
        'the true label or the pseudo-label; set mIoU from one confusion matrix per set.', '',
        '| set | images | mean image mIoU | set mIoU | pixel acc. |', '|---|---|---|---|---|',
        f"| reliable | {s['num_reliable']} | {100 * s['reliable_miou']:.2f} | "
        f"{100 * s['reliable_set_miou']:.2f} | {100 * s['reliable_accuracy']:.2f} |",
        f"| unreliable | {s['num_unreliable']} | {100 * s['unreliable_miou']:.2f} | "
        f"{100 * s['unreliable_set_miou']:.2f} | {100 * s['unreliable_accuracy']:.2f} |",
        f"| random subsets of the reliable set's size ({s['random_draws']} draws; 5-95 %) | "
        f"{s['num_reliable']} | {100 * s['random_half_miou']:.2f} "
        f"({100 * s['random_half_p05']:.2f}-{100 * s['random_half_p95']:.2f}) | - | - |",
        f"| split by the true mIoU (the widest gap a ranking can reach): best / rest | "
        f"{s['num_reliable']} / {s['num_audited'] - s['num_reliable']} | "
        f"{100 * s['oracle_reliable_miou']:.2f} / {100 * s['oracle_unreliable_miou']:.2f} | "
        "- | - |", '',
        f"Spearman(distance, 1 - image mIoU) = {s['spearman_distance_miou_error']:.3f}; "
        f"Spearman(distance, 1 - pixel accuracy) = {s['spearman_distance_accuracy_error']:.3f} "
        '(positive: a lower distance goes with a better pseudo-label).', '',
        *per_class_markdown(audit),
        '| rank | image | distance | classes scored | reliable | mIoU | pixel acc. |',
        '|---|---|---|---|---|---|---|']
    for rank, image in enumerate(audit['images']):
        lines.append(f"| {rank} | {image['img_key']} | {image['distance']:.4g} | "
                     f"{image['scored_classes']} | {int(image['reliable'])} | "
                     f"{100 * image['miou']:.2f} | {100 * image['accuracy']:.2f} |")
    return '\n'.join(lines) + '\n'


def audit_png(audit: dict, title: str) -> bytes:
    import matplotlib
    matplotlib.use('Agg')  # files only, no display
    from matplotlib import pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4.2))
    for reliable, colour in ((True, 'tab:green'), (False, 'tab:red')):
        points = [(i['distance'], 100 * i['miou']) for i in audit['images']
                  if i['reliable'] == reliable and math.isfinite(i['distance'])]
        if points:
            axis.scatter(*zip(*points), s=12, c=colour,
                         label='reliable' if reliable else 'unreliable')
    s = audit['summary']
    axis.set_xlabel('reliability distance (lower = more reliable)')
    axis.set_ylabel('pseudo-label mIoU (%)')
    axis.set_title(f"{title}\nSpearman(distance, error) = {s['spearman_distance_miou_error']:.2f}",
                   fontsize=9)
    axis.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def write_audit(audit: dict, out_dir: str, title: str) -> None:
    """``audit.json``, ``audit.md`` and ``audit.png`` in ``out_dir``, each written atomically."""
    write_text_atomically(osp.join(out_dir, AUDIT_JSON),
                          json.dumps(audit, indent=1, allow_nan=True) + '\n')
    write_text_atomically(osp.join(out_dir, AUDIT_MD), audit_markdown(audit, title))
    write_bytes_atomically(osp.join(out_dir, AUDIT_PNG), audit_png(audit, title))


def audit_summary_rows(audits: Dict[str, dict]) -> Dict[str, Dict[str, float]]:
    """Rows for the pipeline's results: round name -> the headline figures (percent)."""
    rows = {}
    for name, audit in audits.items():
        s = audit['summary']
        rows[name] = {
            'images': s['num_audited'],
            'reliable mIoU': 100 * s['reliable_miou'],
            'unreliable mIoU': 100 * s['unreliable_miou'],
            'random-half mIoU': 100 * s['random_half_miou'],
            'random-half p95 mIoU': 100 * s['random_half_p95'],
            'Spearman(dist, err)': s['spearman_distance_miou_error'],
        }
    return rows


# Reads each item's label whatever the split hides (``true_seg_map_path``); the image is read
# too, for the label-size check.
TRUE_LABEL_PIPELINE = (
    dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
    dict(type='LoadSemanticLabel', path_key='true_seg_map_path'),
)


class TrueLabels:
    """The true labels (train ids) of the unlabelled items of a training dataset config:
    ``labels(img_key)`` is the label, or None where the data has none; ``len(labels)`` counts
    the items that have one."""

    def __init__(self, dataset_cfg: dict) -> None:
        import copy

        from mmagic.registry import DATASETS
        from mmengine.registry import DefaultScope

        cfg = copy.deepcopy(dict(dataset_cfg))
        cfg.update(label_filter='unlabelled', pipeline=list(TRUE_LABEL_PIPELINE),
                   test_mode=True, pseudo_label_dirs=(), mask_list=None, mask_dir=None)
        # the pipeline's transforms are mmagic's (and ours, registered there), also where no
        # Runner has set the scope (tools/audit_pseudo_labels.py)
        with DefaultScope.overwrite_default_scope('mmagic'):
            self.dataset = DATASETS.build(cfg)
        self.index_of = {}
        for index in range(len(self.dataset)):
            info = self.dataset.get_data_info(index)
            if info['true_seg_map_path'] is not None:
                self.index_of[info['img_key']] = index

    def __len__(self) -> int:
        return len(self.index_of)

    @property
    def class_names(self) -> Optional[List[str]]:
        """The dataset's class names, or None where its metainfo has none."""
        return list(self.dataset.metainfo.get('classes', ())) or None

    def __call__(self, img_key: str) -> Optional[np.ndarray]:
        index = self.index_of.get(img_key)
        return None if index is None else self.dataset[index]['gt_seg_map']
