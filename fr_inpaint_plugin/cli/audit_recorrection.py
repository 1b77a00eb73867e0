"""Audit the pixel-level recorrection of a student phase (steps 4-5) against the true labels of
its pseudo-labelled images: do the weights its frozen teacher gives each pseudo-labelled pixel
fall on the wrong pseudo-labels more than on the right ones? Writes recorrection_audit.json and
recorrection_audit.md.

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
import copy
import os.path as osp
from typing import List, Optional

import numpy as np
import torch
from mmengine.config import Config

from ..engine.hooks.pseudo_label_hook import TEACHER_PIPELINE
from ..evaluation.pseudo_label_audit import TRUE_LABEL_PIPELINE
from ..evaluation.recorrection_audit import recorrection_audit, write_recorrection_audit


def _datasets(dataset_cfg: dict):
    """The student's pseudo-labelled items twice, index by index: as its teacher reads them
    (with their pseudo-labels) and with their true labels at the same size."""
    from mmagic.registry import DATASETS
    from mmengine.registry import DefaultScope

    dataset_cfg = copy.deepcopy(dict(dataset_cfg))
    pseudo_pipeline = [dict(t) for t in TEACHER_PIPELINE]
    pseudo_pipeline.insert(2, dict(type='LoadPseudoLabel'))  # after LoadSemanticLabel
    true_pipeline = [dict(t) for t in TRUE_LABEL_PIPELINE] + [dict(type='AlignedResize')]
    with DefaultScope.overwrite_default_scope('mmagic'):
        return tuple(DATASETS.build(dict(dataset_cfg, pipeline=pipeline, test_mode=True,
                                         mask_list=None, mask_dir=None))
                     for pipeline in (pseudo_pipeline, true_pipeline))


def audit(config: str, out_dir: Optional[str] = None, seed: int = 0) -> dict:
    from mmagic.registry import MODELS
    from mmengine.dataset import pseudo_collate
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
    with_pseudo, with_truth = _datasets(dataset_cfg)
    torch.manual_seed(seed)
    with DefaultScope.overwrite_default_scope('mmagic'):
        model = MODELS.build(cfg.model)
    model.eval()
    weights, pseudo, truth = [], [], []
    with torch.no_grad():
        for index in range(len(with_pseudo)):
            info = with_pseudo.get_data_info(index)
            if info['labelled'] or info.get('true_seg_map_path') is None:
                continue
            batch = model.data_preprocessor(pseudo_collate([with_pseudo[index]]), True)
            samples = batch['data_samples']
            if not model.pseudo_labelled(samples).any():
                continue  # no pseudo-label written for it: it carries no loss
            model.attach_pixel_weights(batch['inputs'], samples)
            labels = samples[0].gt_sem_seg.data[0].cpu().numpy()
            true = np.asarray(with_truth[index]['gt_seg_map'])
            if true.shape != labels.shape:
                raise ValueError(f"{info['true_seg_map_path']}: the true label resizes to "
                                 f'{true.shape}, the pseudo-label to {labels.shape}')
            weights.append(samples[0].pixel_weight.data[0].cpu().numpy().ravel())
            pseudo.append(labels.ravel())
            truth.append(true.ravel())
    if not weights:
        raise ValueError(f'none of the pseudo-labelled images of {config} has a true label '
                         '(neither hidden by a split nor in an audit_label_dir): nothing to '
                         'audit against')
    class_names = list(with_pseudo.metainfo.get('classes', ())) or None
    result = recorrection_audit(np.concatenate(weights), np.concatenate(pseudo),
                                np.concatenate(truth), model.decode_head.num_classes,
                                model.decode_head.ignore_index, class_names)
    result['summary']['images'] = len(weights)
    result['summary']['seed'] = seed
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
    s = audit(args.config, args.out, args.seed)['summary']
    print(f"{s['images']} images, {s['pixels']} pseudo-labelled pixels: accuracy "
          f"{100 * s['accuracy']:.2f} %, weighted {100 * s['weighted_accuracy']:.2f} %; mean "
          f"weight {s['mean_weight']:.3f} (right {s['mean_weight_right']:.3f}, wrong "
          f"{s['mean_weight_wrong']:.3f}); AUC {s['auc']:.3f} pooled, "
          f"{s['within_class_auc']:.3f} within classes; written to "
          f"{args.out or osp.dirname(osp.abspath(args.config))}")


if __name__ == '__main__':
    main()
