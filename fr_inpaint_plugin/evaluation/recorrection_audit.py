"""Audit of CISC-R's pixel-level recorrection against the true labels: do the weights a
student's frozen teacher gives its pseudo-labelled pixels
(:func:`~fr_inpaint_plugin.consistency.pixel_weights`) fall on the wrong pseudo-labels more
than on the right ones, over all pixels and within each class?

Where the weights separate right from wrong only between classes (high on large, easy classes,
low on small ones) and not within them, they act as a class re-weighting of the pseudo-label
loss rather than a correction of its errors; the per-class table tells the two apart.
"""
import json
import math
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..utils import IGNORE_INDEX, write_text_atomically

JSON_FILE = 'recorrection_audit.json'
MARKDOWN_FILE = 'recorrection_audit.md'


def separation_auc(weights: np.ndarray, right: np.ndarray) -> float:
    """The chance that a right pixel's weight exceeds a wrong one's (ties count half; the
    Mann-Whitney AUC); nan when either set is empty."""
    from scipy.stats import rankdata
    weights, right = np.asarray(weights, np.float64).ravel(), np.asarray(right, bool).ravel()
    num_right, num_wrong = int(right.sum()), int((~right).sum())
    if not num_right or not num_wrong:
        return math.nan
    ranks = rankdata(weights)
    return float((ranks[right].sum() - num_right * (num_right + 1) / 2) / (num_right * num_wrong))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan


def _weight_figures(weights: np.ndarray, right: np.ndarray) -> dict:
    return dict(pixels=int(weights.size), accuracy=_mean(right.astype(np.float64)),
                mean_weight=_mean(weights), mean_weight_right=_mean(weights[right]),
                mean_weight_wrong=_mean(weights[~right]), auc=separation_auc(weights, right))


def recorrection_audit(weights: np.ndarray, pseudo: np.ndarray, truth: np.ndarray,
                       num_classes: int, ignore_index: int = IGNORE_INDEX,
                       class_names: Optional[Sequence[str]] = None) -> dict:
    """Figures of recorrection ``weights`` on the ``pseudo`` labels of the same pixels (any
    shape, all three alike), scored against the ``truth``; pixels either label ignores are
    left out. ``summary``: the pooled figures (pixel accuracy, the accuracy weighted by the
    weights, mean weight on all / right / wrong pixels, AUC) and ``within_class_auc``, the mean
    AUC over the classes with right and wrong pixels; ``classes``: the figures by pseudo-label
    class, each with its share of the pixels."""
    weights, pseudo, truth = (np.asarray(a) for a in (weights, pseudo, truth))
    if not weights.shape == pseudo.shape == truth.shape:
        raise ValueError(f'weights {weights.shape}, pseudo-labels {pseudo.shape} and true '
                         f'labels {truth.shape} differ in shape')
    valid = (pseudo != ignore_index) & (truth != ignore_index)
    weights = weights[valid].astype(np.float64)
    pseudo, right = pseudo[valid], (pseudo == truth)[valid]
    if not weights.size:
        raise ValueError('no pixel has both a pseudo-label and a true label: nothing to audit')
    names = list(class_names) if class_names else [str(c) for c in range(num_classes)]
    classes = []
    for c in range(num_classes):
        of_class = pseudo == c
        if of_class.any():
            classes.append(dict(name=names[c], share=float(of_class.mean()),
                                **_weight_figures(weights[of_class], right[of_class])))
    aucs = [entry['auc'] for entry in classes if not math.isnan(entry['auc'])]
    summary = dict(_weight_figures(weights, right),
                   weighted_accuracy=float((weights * right).sum() / weights.sum()),
                   within_class_auc=float(np.mean(aucs)) if aucs else math.nan)
    return dict(summary=summary, classes=classes)


def _figure(value: float, percent: bool = False) -> str:
    if math.isnan(value):
        return '-'
    return f'{100 * value:.2f}' if percent else f'{value:.3f}'


def recorrection_markdown(audit: dict, title: str) -> str:
    s = audit['summary']
    lines = [
        f'# Recorrection audit: {title}', '',
        f"{s['pixels']} pseudo-labelled pixels with a true label; pixel accuracy "
        f"{_figure(s['accuracy'], True)} %, weighted by the recorrection "
        f"{_figure(s['weighted_accuracy'], True)} %. Mean weight {_figure(s['mean_weight'])} "
        f"(right pseudo-labels {_figure(s['mean_weight_right'])}, wrong "
        f"{_figure(s['mean_weight_wrong'])}); AUC(weight: right over wrong) "
        f"{_figure(s['auc'])} pooled, {_figure(s['within_class_auc'])} within classes (mean "
        'over the classes with right and wrong pixels; 0.5 = no separation).', '',
        '| pseudo-label class | share % | accuracy % | mean weight | right | wrong | AUC |',
        '|---|---|---|---|---|---|---|']
    for entry in audit['classes']:
        lines.append(
            f"| {entry['name']} | {_figure(entry['share'], True)} | "
            f"{_figure(entry['accuracy'], True)} | {_figure(entry['mean_weight'])} | "
            f"{_figure(entry['mean_weight_right'])} | {_figure(entry['mean_weight_wrong'])} | "
            f"{_figure(entry['auc'])} |")
    return '\n'.join(lines) + '\n'


def summary_line(audit: dict) -> str:
    """The audit's headline figures in one line (the CLI prints it, the hook logs it)."""
    s = audit['summary']
    return (f"{s['images']} images, {s['pixels']} pseudo-labelled pixels: accuracy "
            f"{_figure(s['accuracy'], True)} %, weighted {_figure(s['weighted_accuracy'], True)} "
            f"%; mean weight {_figure(s['mean_weight'])} (right {_figure(s['mean_weight_right'])}"
            f", wrong {_figure(s['mean_weight_wrong'])}); AUC {_figure(s['auc'])} pooled, "
            f"{_figure(s['within_class_auc'])} within classes")


def recorrection_summary_rows(audits: Dict[str, dict]) -> Dict[str, Dict[str, float]]:
    """Rows for the pipeline's results: phase name -> the headline figures."""
    rows = {}
    for name, audit in audits.items():
        s = audit['summary']
        rows[name] = {'images': s['images'], 'pseudo-label Acc %': 100 * s['accuracy'],
                      'weighted Acc %': 100 * s['weighted_accuracy'],
                      'weight right': s['mean_weight_right'],
                      'weight wrong': s['mean_weight_wrong'], 'AUC pooled': s['auc'],
                      'AUC within classes': s['within_class_auc']}
    return rows


def write_recorrection_audit(audit: dict, out_dir: str, title: str) -> List[str]:
    """``recorrection_audit.json`` and ``.md`` in ``out_dir``, each written whole or not at
    all; returns their paths."""
    paths = [osp.join(out_dir, JSON_FILE), osp.join(out_dir, MARKDOWN_FILE)]
    write_text_atomically(paths[0], json.dumps(audit, indent=1))
    write_text_atomically(paths[1], recorrection_markdown(audit, title))
    return paths
