"""The recorrection audit of a student (steps 4-5) as it starts training: the weights its frozen
teacher gives each pseudo-labelled pixel, scored against the true labels that the split hides
(:mod:`~fr_inpaint_plugin.evaluation.recorrection_audit`)."""
import copy
import os.path as osp
from typing import Optional

import numpy as np
import torch
from mmagic.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from ...evaluation.pseudo_label_audit import TRUE_LABEL_PIPELINE
from ...evaluation.recorrection_audit import (
    JSON_FILE,
    recorrection_audit,
    summary_line,
    write_recorrection_audit,
)
from .pseudo_label_hook import TEACHER_PIPELINE


def _datasets(dataset_cfg: dict):
    """The student's training items twice, index by index: as its teacher reads them (with
    their pseudo-labels; whole, resized, without the training's flips and strong augmentation)
    and with their true labels at the same size."""
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


def student_recorrection_audit(model, dataset_cfg: dict, seed: int = 0) -> Optional[dict]:
    """The recorrection audit of a student ``model`` (a ConsistencySegmentor built with
    ``pseudo_label_weighting``) on the pseudo-labelled items of its training ``dataset_cfg``
    that have a true label; None where none has. The weights are those the training computes
    (the same model code, one prototype drawn per image from the query pool, seeded by
    ``seed``); the global torch RNG is left as it was, so training draws what it would have.
    The items are weighted one at a time, so ``normalise='class_mean'`` divides by each image's
    class means here where training divides by its batch's."""
    from mmengine.dataset import pseudo_collate

    with_pseudo, with_truth = _datasets(dataset_cfg)
    weights, pseudo, truth = [], [], []
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
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
        return None
    class_names = list(with_pseudo.metainfo.get('classes', ())) or None
    result = recorrection_audit(np.concatenate(weights), np.concatenate(pseudo),
                                np.concatenate(truth), model.decode_head.num_classes,
                                model.decode_head.ignore_index, class_names)
    result['summary'].update(images=len(weights), seed=seed)
    return result


@HOOKS.register_module()
class RecorrectionAuditHook(Hook):
    """Before a student trains, audit its pixel-level recorrection where its pseudo-labelled
    images have true labels (a split's hidden labels, the demo's kept-apart ones) and write
    ``recorrection_audit.md/.json`` into its work dir; logs one line. A student without
    recorrection (``model.pseudo_label_weighting=None``) or without true labels is skipped with
    a log line; so is a resumed run whose audit is written. The figures depend on the frozen
    teacher and query pool only, not on the student's weights, so auditing before training
    loses nothing.

    Args:
        seed: seed of the prototype drawn per image (the training's own RNG is untouched).
    """

    priority = 'LOW'

    def __init__(self, seed: int = 0):
        self.seed = seed

    def before_train(self, runner) -> None:
        if not is_main_process():
            return
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if getattr(model, 'pseudo_label_teacher', None) is None:
            print_log('recorrection audit: this phase trains without recorrection, nothing to '
                      'audit', logger='current')
            return
        if osp.isfile(osp.join(runner.work_dir, JSON_FILE)):
            return  # written before this run resumed
        result = student_recorrection_audit(model, runner.cfg.train_dataloader.dataset,
                                            self.seed)
        if result is None:
            print_log('recorrection audit: none of the pseudo-labelled images has a true '
                      'label, nothing to audit against', logger='current')
            return
        write_recorrection_audit(result, runner.work_dir,
                                 title=osp.basename(osp.normpath(runner.work_dir)))
        print_log(f'recorrection audit: {summary_line(result)}; written to '
                  f'{osp.join(runner.work_dir, JSON_FILE)} and .md', logger='current')
