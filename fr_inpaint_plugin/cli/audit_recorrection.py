"""Audit the pixel-level recorrection of a student phase (steps 4-5) against the true labels of
its pseudo-labelled images: do the weights its frozen teacher gives each pseudo-labelled pixel
fall on the wrong pseudo-labels more than on the right ones? Writes recorrection_audit.json and
recorrection_audit.md. (The pipeline's students run the same audit as they start, through
RecorrectionAuditHook; this tool audits a phase after the fact or under another seed.)

    python tools/audit_recorrection.py PHASE_CONFIG [--out DIR] [--seed 0]

PHASE_CONFIG is the config of a phase trained with ``model.pseudo_label_weighting`` (the
pipeline writes it as <work_dir>/phase_config.py); its teacher, query pool, pseudo-label rounds
and training data are read from it. The weights are those the training computes (the same
model code, one prototype drawn per image from the query pool, seeded by --seed), on each
pseudo-labelled image as the pseudo-label rounds read it: whole and resized, without the
training's flips and strong augmentation. Written next to PHASE_CONFIG unless --out says
otherwise.
"""
import argparse
import os.path as osp
from typing import List, Optional

from mmengine.config import Config

from ..engine.hooks.recorrection_audit_hook import student_recorrection_audit
from ..evaluation.recorrection_audit import summary_line, write_recorrection_audit


def audit(config: str, out_dir: Optional[str] = None, seed: int = 0) -> dict:
    from mmagic.registry import MODELS
    from mmengine.registry import DefaultScope

    if not osp.isfile(config):
        raise FileNotFoundError(f'config {config} does not exist: pass the phase_config.py of '
                                'a student phase (steps 4-5)')
    cfg = Config.fromfile(config)
    if not cfg.model.get('pseudo_label_weighting'):
        raise ValueError(f'{config} trains without model.pseudo_label_weighting: there are no '
                         'recorrection weights to audit; pass the config of a phase that has '
                         'them (the pipeline\'s seg_step4_s0, seg_step4_sia, seg_step5_sia)')
    dataset_cfg = cfg.train_dataloader.dataset
    if not dataset_cfg.get('pseudo_label_dirs'):
        raise ValueError(f'{config} trains on no pseudo-labels (train_dataloader.dataset.'
                         'pseudo_label_dirs is empty): nothing to audit')
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    model.eval()
    result = student_recorrection_audit(model, dataset_cfg, seed)
    if result is None:
        raise ValueError(f'none of the pseudo-labelled images of {config} has a true label '
                         '(neither hidden by a split nor in an audit_label_dir): nothing to '
                         'audit against')
    write_recorrection_audit(result, out_dir or osp.dirname(osp.abspath(config)),
                             title=osp.basename(osp.dirname(osp.abspath(config))))
    return result


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help="a student phase's config (<work_dir>/phase_config.py)")
    parser.add_argument('--out', help='where to write the audit (default: the config\'s folder)')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the prototype drawn per image (default 0)')
    args = parser.parse_args(argv)
    result = audit(args.config, args.out, args.seed)
    print(f"{summary_line(result)}; written to "
          f"{args.out or osp.dirname(osp.abspath(args.config))}")


if __name__ == '__main__':
    main()
