"""Audit a pseudo-label round against the true labels of the same images: does the reliability
ranking pick better pseudo-labels? Writes audit.json, audit.md and audit.png.

    python tools/audit_pseudo_labels.py ROUND_DIR [--config PHASE_CONFIG] [--out DIR]
        [--class-reduction mean]

ROUND_DIR is a folder written by CrossImagePseudoLabelHook (scores.csv + one PNG per image; a
round written with keep='all', e.g. the pipeline's pseudo_round1_all). PHASE_CONFIG is the
config of the phase that wrote it (default: ROUND_DIR/../phase_config.py, which the pipeline
writes): its training dataset gives the images, the split and the true labels.

--class-reduction mean audits the ranking the hook would have made with
``class_reduction='mean'`` (each distance divided by the classes it scored; exact for a round
ranked with the default ``'sum'``), the same share called reliable, without relabelling; the
audit then goes to ROUND_DIR/rerank_mean unless --out says otherwise.
"""
import argparse
import csv
import json
import math
import os.path as osp
from typing import List, Optional

import mmcv
from mmengine.config import Config

from ..consistency.reliability import CLASS_REDUCTIONS
from ..datasets.transforms.load_pseudo_label import pseudo_label_relpath
from ..engine.hooks.pseudo_label_hook import SCORES_FILE, SPLIT_FILE
from ..evaluation.pseudo_label_audit import TrueLabels, audit_round, write_audit


def read_round(round_dir: str) -> List[dict]:
    path = osp.join(round_dir, SCORES_FILE)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist: {round_dir} is not a pseudo-label '
                                'round written by CrossImagePseudoLabelHook')
    with open(path, newline='') as file:
        rows = list(csv.DictReader(file))
    unwritten = [row['img_key'] for row in rows if row['written'] != '1']
    if unwritten:
        raise ValueError(f'{round_dir} holds the pseudo-labels of only part of the images it '
                         f'scored ({len(unwritten)} missing, e.g. {unwritten[0]}): audit the '
                         "round written with keep='all' from the same teacher (the pipeline's "
                         'pseudo_round1_all)')
    return rows


def check_rerankable(round_dir: str) -> None:
    """A re-rank by the mean divides summed consistency distances: refuse a round ranked
    otherwise (its ``split.json`` says how; rounds older than that record were summed)."""
    with open(osp.join(round_dir, SPLIT_FILE)) as file:
        split = json.load(file)
    if split.get('selection', 'ranked') != 'ranked':
        raise ValueError(f"{round_dir} chose its reliable set {split['selection']}, not as the "
                         'head of its ranking: a re-rank would not be the split that selection '
                         'makes; audit it as it is')
    ranking = (split.get('ranking', 'consistency'), split.get('class_reduction', 'sum'))
    if ranking != ('consistency', 'sum'):
        raise ValueError(f'{round_dir} was ranked by {ranking[0]} ({ranking[1]} of the class '
                         'terms): only a round ranked by the sum of the consistency terms can '
                         'be re-ranked by their mean; audit it as it is')


def pseudo_label_reader(round_dir: str):
    def read(img_key: str):
        path = osp.join(round_dir, pseudo_label_relpath(img_key))
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} is listed in {SCORES_FILE} but missing: the round '
                                    'is incomplete; write it again')
        return mmcv.imread(path, flag='unchanged', backend='pillow')
    return read


def reranked(rows: List[dict], class_reduction: str) -> List[dict]:
    """``rows`` of a round ranked with the class terms' sum, ranked again by ``class_reduction``
    ('sum': unchanged; 'mean': each distance over its scored classes), the same number of
    them reliable."""
    if class_reduction not in CLASS_REDUCTIONS:
        raise ValueError(f'class_reduction must be one of {CLASS_REDUCTIONS}, got '
                         f'{class_reduction!r}')
    if class_reduction == 'sum':
        return rows
    num_reliable = sum(row['reliable'] == '1' for row in rows)

    def mean_distance(row):
        classes = int(row['scored_classes'])
        return float(row['distance']) / classes if classes else math.inf

    ranked = sorted(rows, key=mean_distance)  # stable: ties keep the round's order
    return [dict(row, rank=str(rank), distance=repr(mean_distance(row)),
                 reliable='1' if rank < num_reliable else '0')
            for rank, row in enumerate(ranked)]


def default_out_dir(round_dir: str, class_reduction: str) -> str:
    """The round's own folder for its own ranking; a subfolder for another one, so the round's
    audit stays."""
    return round_dir if class_reduction == 'sum' else osp.join(round_dir,
                                                               f'rerank_{class_reduction}')


def audit(round_dir: str, config: Optional[str] = None, out_dir: Optional[str] = None,
          class_reduction: str = 'sum') -> dict:
    config = config or osp.join(osp.dirname(osp.abspath(round_dir)), 'phase_config.py')
    if not osp.isfile(config):
        raise FileNotFoundError(f'config {config} does not exist: pass the config of the phase '
                                'that wrote the round with --config')
    true_labels = TrueLabels(Config.fromfile(config).train_dataloader.dataset)
    if not len(true_labels):
        raise ValueError(f'the training data of {config} has no true labels for its unlabelled '
                         'images (neither hidden by a split nor in an audit_label_dir): nothing '
                         'to audit against')
    class_names = true_labels.class_names
    rows = read_round(round_dir)
    if class_reduction != 'sum':
        check_rerankable(round_dir)
    rows = reranked(rows, class_reduction)
    result = audit_round(rows, pseudo_label_reader(round_dir), true_labels, len(class_names),
                         true_labels.dataset.ignore_index, class_names=class_names)
    title = osp.basename(osp.normpath(round_dir))
    if class_reduction != 'sum':
        title += f', ranked by the {class_reduction} of the class terms'
    write_audit(result, out_dir or default_out_dir(round_dir, class_reduction), title=title)
    return result


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('round_dir', help='a pseudo-label round folder (scores.csv + PNGs)')
    parser.add_argument('--config', help='the config of the phase that wrote the round')
    parser.add_argument('--out', help='where to write the audit (default: ROUND_DIR, or '
                        'ROUND_DIR/rerank_<reduction> with --class-reduction mean)')
    parser.add_argument('--class-reduction', choices=CLASS_REDUCTIONS, default='sum',
                        help="audit the ranking by this reduction of the class terms (the "
                        "round's own: sum)")
    args = parser.parse_args(argv)
    result = audit(args.round_dir, args.config, args.out, args.class_reduction)
    s = result['summary']
    print(f"{s['num_audited']} pseudo-labels audited: mean image mIoU reliable "
          f"{100 * s['reliable_miou']:.2f}, unreliable {100 * s['unreliable_miou']:.2f}, random "
          f"half {100 * s['random_half_miou']:.2f} (5-95 %: {100 * s['random_half_p05']:.2f}-"
          f"{100 * s['random_half_p95']:.2f}); split by the true mIoU "
          f"{100 * s['oracle_reliable_miou']:.2f} vs {100 * s['oracle_unreliable_miou']:.2f}; "
          f"Spearman(distance, error) "
          f"{s['spearman_distance_miou_error']:.3f}; written to "
          f"{args.out or default_out_dir(args.round_dir, args.class_reduction)}")


if __name__ == '__main__':
    main()
