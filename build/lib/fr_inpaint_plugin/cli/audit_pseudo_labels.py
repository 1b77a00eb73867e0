"""Audit a pseudo-label round against the true labels of the same images: does the reliability
ranking pick better pseudo-labels? Writes audit.json, audit.md and audit.png.

    python tools/audit_pseudo_labels.py ROUND_DIR [--config PHASE_CONFIG] [--out DIR]

ROUND_DIR is a folder written by CrossImagePseudoLabelHook (scores.csv + one PNG per image; a
round written with keep='all', e.g. the pipeline's pseudo_round1_all). PHASE_CONFIG is the
config of the phase that wrote it (default: ROUND_DIR/../phase_config.py, which the pipeline
writes): its training dataset gives the images, the split and the true labels.
"""
import argparse
import csv
import os.path as osp
from typing import List, Optional

import mmcv
from mmengine.config import Config

from ..datasets.transforms.load_pseudo_label import pseudo_label_relpath
from ..engine.hooks.pseudo_label_hook import SCORES_FILE
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


def pseudo_label_reader(round_dir: str):
    def read(img_key: str):
        path = osp.join(round_dir, pseudo_label_relpath(img_key))
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} is listed in {SCORES_FILE} but missing: the round '
                                    'is incomplete; write it again')
        return mmcv.imread(path, flag='unchanged', backend='pillow')
    return read


def audit(round_dir: str, config: Optional[str] = None, out_dir: Optional[str] = None) -> dict:
    config = config or osp.join(osp.dirname(osp.abspath(round_dir)), 'phase_config.py')
    if not osp.isfile(config):
        raise FileNotFoundError(f'config {config} does not exist: pass the config of the phase '
                                'that wrote the round with --config')
    true_labels = TrueLabels(Config.fromfile(config).train_dataloader.dataset)
    if not len(true_labels):
        raise ValueError(f'the training data of {config} has no true labels for its unlabelled '
                         'images (neither hidden by a split nor in an audit_label_dir): nothing '
                         'to audit against')
    num_classes = len(true_labels.dataset.metainfo['classes'])
    result = audit_round(read_round(round_dir), pseudo_label_reader(round_dir), true_labels,
                         num_classes, true_labels.dataset.ignore_index)
    write_audit(result, out_dir or round_dir, title=osp.basename(osp.normpath(round_dir)))
    return result


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('round_dir', help='a pseudo-label round folder (scores.csv + PNGs)')
    parser.add_argument('--config', help='the config of the phase that wrote the round')
    parser.add_argument('--out', help='where to write the audit (default: ROUND_DIR)')
    args = parser.parse_args(argv)
    s = audit(args.round_dir, args.config, args.out)['summary']
    print(f"{s['num_audited']} pseudo-labels audited: mean image mIoU reliable "
          f"{100 * s['reliable_miou']:.2f}, unreliable {100 * s['unreliable_miou']:.2f}, random "
          f"half {100 * s['random_half_miou']:.2f} (5-95 %: {100 * s['random_half_p05']:.2f}-"
          f"{100 * s['random_half_p95']:.2f}); Spearman(distance, error) "
          f"{s['spearman_distance_miou_error']:.3f}; written to {args.out or args.round_dir}")


if __name__ == '__main__':
    main()
