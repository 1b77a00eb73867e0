"""Step 3/5 of METHOD.md §3.3: the teacher pseudo-labels the unlabelled set, cross-image
consistency ranks the pseudo-labels, and the chosen ones are written as training labels."""
import copy
import csv
import glob
import io
import json
import math
import os
import os.path as osp
from typing import Dict, Iterator, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmagic.registry import DATA_SAMPLERS, HOOKS
from mmengine.dist import barrier, is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from torch.utils.data import Sampler

from ...consistency import (
    ClassAnchorAccumulator,
    anchor_similarity_maps,
    per_image_class_means,
    reliability_distances,
    split_by_reliability,
    split_per_class,
    validated_reliable_ratio,
)
from ...consistency.query_pool import QUERY_POOL_FILE, build_query_pool, save_query_pool
from ...consistency.reliability import CLASS_REDUCTIONS, CLASS_SCOPES, class_consistency_terms
from ...datasets.transforms.load_pseudo_label import pseudo_label_relpath
from ...evaluation.pseudo_label_audit import TrueLabels, audit_round, write_audit
from ...utils import IGNORE_INDEX, png_bytes, write_bytes_atomically

WHEN = ('before_train', 'after_train')
KEEP = ('all', 'reliable', 'unreliable')
RANKINGS = ('consistency', 'confidence')
SELECTIONS = ('ranked', 'per_class')
ALIGNMENTS = ('softmax', 'labels')
LABEL_ALIGNMENT_STEPS = 8  # teacher passes at most, each moving a class's logit by <= 1
LABEL_ALIGNMENT_DAMPING = 0.5  # a full log-ratio step overshoots: shares react more than 1:1
LABEL_ALIGNMENT_TOLERANCE = 0.05  # |log(share ratio)| at which a class counts as aligned
SPLIT_PARTS = ('reliable', 'unreliable')
SCORES_FILE = 'scores.csv'
SPLIT_FILE = 'split.json'
# What the teacher reads: whole resized images with their labels, and the keys that name the
# pseudo-label files (img_key) and give the image file's size to write them at (ori_gt_shape).
TEACHER_PIPELINE = (
    dict(type='LoadCheckedImage', key='gt', channel_order='rgb'),
    dict(type='LoadSemanticLabel'),
    dict(type='AlignedResize'),
    dict(type='PackInputs', data_keys='gt_seg_map',
         meta_keys=['img_key', 'labelled', 'ori_gt_shape']),
)


def ignored_share(labels, ignore_index: int) -> float:
    """The share of ``ignore_index`` pixels over label maps (0 for none)."""
    ignored = total = 0
    for label in labels:
        ignored += int((label == ignore_index).sum())
        total += label.size
    return ignored / total if total else 0.


@DATA_SAMPLERS.register_module()
class UnshardedSampler(Sampler):
    """Every index of the dataset once, in order, on whichever rank iterates it (MMEngine's
    ``DefaultSampler`` would hand each rank a padded shard)."""

    def __init__(self, dataset, seed: Optional[int] = None) -> None:
        self.num_items = len(dataset)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.num_items))

    def __len__(self) -> int:
        return self.num_items


@HOOKS.register_module()
class CrossImagePseudoLabelHook(Hook):
    """Pseudo-label the unlabelled set with the runner's model as teacher, rank the
    pseudo-labels by cross-image semantic consistency, and write them for a later phase.

    The data is the runner's training set (its ``train_dataloader.dataset`` config, or
    ``dataset``), read by :data:`TEACHER_PIPELINE` in test mode without pseudo-labels: its
    labelled items give the class anchors, its unlabelled items are pseudo-labelled. The model
    makes the pseudo-labels (``predict_pseudo_labels``, as ``ConsistencySegmentor`` does); the
    hook schedules, ranks and writes.

    Runs once, at ``before_train`` (the teacher is the model as loaded by ``load_from`` /
    resume: a phase whose config names the previous phase's checkpoint labels its own training
    data before the first iteration; the train dataset reads the files lazily through
    :class:`LoadPseudoLabel`) or at ``after_train`` (the model just trained labels the data of
    the next phase). Steps, all under ``torch.no_grad`` with the model in eval mode (its
    training mode is restored afterwards, also on error):

    1. class anchors are the per-image class means of the labelled items' decoder features,
       averaged over images;
    2. every unlabelled image gets the model's pseudo-label, resized (nearest) to the image
       file's size (``ori_gt_shape``) (with ``align_class_distribution``, from logits shifted
       towards the labelled set's class shares);
    3. its reliability distance (similarity maps vs. pseudo-label, lower = more reliable;
       with ``ranking='confidence'``, one minus the teacher's mean softmax confidence instead)
       ranks it; the first ``floor(reliable_ratio * n)`` are the reliable set (with
       ``selection='per_class'``, a set of that size filled class by class);
    4. under ``<work_dir>/<out_dir>``: one PNG per kept item (``keep``), named by its
       ``img_key`` (folders mirrored, ``.png``; uint8 class ids), ``scores.csv`` (ranked,
       ascending distance) and ``split.json``. Every file is written atomically (temporary +
       ``os.replace``), ``split.json`` last, after the previous round's is removed: a
       folder with a ``split.json`` holds a whole round, one without it an unfinished one
       (rerun: the round is written again; a killed writer's temporaries are cleared). PNGs
       of unlabelled items not kept are removed, so the folder matches ``split.json``;
    5. with ``query_pool_ratio``: the query pool of the labelled images
       (``consistency/query_pool.py``; the teacher's prototypes of the images that agree best
       with each class anchor) as ``query_pool.pth``, which a student's
       ``pseudo_label_weighting`` reads;
    6. with ``audit=True``, where the data has true labels for the unlabelled items (hidden by
       the split, or kept apart as the demo's ``audit_label_dir``): the pseudo-label audit
       (``evaluation/pseudo_label_audit.py``) of every scored pseudo-label, kept or not, as
       ``audit.json``, ``audit.md`` and ``audit.png`` in the same folder.

    Only rank 0 computes and writes (its dataloaders use :class:`UnshardedSampler` so it sees
    whole sets); the other ranks wait at a barrier (a no-op when not distributed).
    Pseudo-labels are held in memory (uint8) until the split is known.

    Args:
        out_dir: output folder, relative to ``runner.work_dir`` (or absolute).
        reliable_ratio: fraction of the unlabelled set called reliable.
        when: ``'before_train'`` or ``'after_train'``.
        keep: which pseudo-labels become training labels: ``'all'``, ``'reliable'`` (step 4)
            or ``'unreliable'``.
        restrict_to: ``dict(split_file=<an earlier round's split.json>, part='unreliable')``:
            label only that part of an earlier round (step 5: the retrained S0 relabels the
            unreliable set of step 3). The items are ranked among themselves; ``split_file``
            is relative to ``runner.work_dir`` unless absolute.
        dataset: dataset config to label instead of the runner's training set.
        dataloader: dataloader settings (``batch_size``, ``num_workers``, ...); by default the
            training dataloader's batch size and workers.
        pipeline: how the teacher reads the items.
        ignore_index: label value of unlabelled pixels.
        audit: audit the round against the true labels where the data has them.
        query_pool_ratio: the fraction of the labelled images holding a class that enter its
            query pool (CISC-R: the better half); None = no pool.
        class_reduction: ``'sum'`` (CISC-R) or ``'mean'`` of the class terms of a distance.
        class_scope: the classes a distance scores: ``'pseudo_label'`` (those of the image's
            pseudo-label, CISC-R) or ``'anchored'`` (every class with an anchor; see
            ``consistency/reliability.py``).
        ranking: ``'consistency'`` (the method: the cross-image consistency distance) or
            ``'confidence'`` (not the method; the control the audit compares it with: one minus
            the mean over the image's pixels of the teacher's softmax probability of its
            pseudo-label, as confidence-based self-training ranks). ``scores.csv`` keeps the
            consistency distance's class counts either way.
        min_confidence: where the teacher's softmax probability of a pixel's pseudo-label is
            below this, the written label is ``ignore_index`` (the pixel trains nothing), as
            FixMatch/UniMatch threshold their pseudo-labels; the ranking still scores the whole
            argmax, and the audit the written labels. None (CISC-R) = every pixel keeps its
            label.
        selection: ``'ranked'`` (CISC-R: the reliable set is the head of the ranking) or
            ``'per_class'`` (not CISC-R's: a reliable set of the same size, the classes taking
            turns, rarest first, each adding its image of lowest class term; see
            ``consistency.ranking.split_per_class``). Needs ``ranking='consistency'``.
        align_class_distribution: not CISC-R's: shift the teacher's logits by one value per
            class before the argmax, so that classes the teacher under-predicts keep their
            share of the pseudo-labels (the long-tail remedy DARS, He et al. ICCV 2021, argues
            for). ``'softmax'``: ReMixMatch's distribution alignment, the softmax multiplied by
            the labelled pixels' class shares over the mean teacher softmax on the images to
            label and renormalised (``log(share) - log(mean)``; both floored at 1e-8; one extra
            teacher pass). ``'labels'``: the shift that makes the pseudo-labels' own class
            shares match the labelled pixels' (DARS's aim, reached by a logit shift instead of
            its thresholds): from none, up to ``LABEL_ALIGNMENT_STEPS`` passes each add
            half of ``log(share) - log(pseudo-label share)``, capped at +-1, until every class
            is within ``LABEL_ALIGNMENT_TOLERANCE``. None (CISC-R) = the plain argmax.
            ``split.json`` records the shift.

    Resuming: a ``before_train`` round belongs to the teacher the run started from, so a
    resumed run (iteration > 0) keeps the round it wrote and refuses to relabel with the
    half-trained student when the round is missing. An ``after_train`` round always runs (a
    resumed run that had finished training but not the round completes it).
    """

    priority = 'LOW'  # after the NORMAL-priority hooks of the same point

    def __init__(self,
                 out_dir: str,
                 reliable_ratio: float = 0.5,
                 when: str = 'before_train',
                 keep: str = 'all',
                 restrict_to: Optional[dict] = None,
                 dataset: Optional[dict] = None,
                 dataloader: Optional[dict] = None,
                 pipeline: Sequence[dict] = TEACHER_PIPELINE,
                 ignore_index: int = IGNORE_INDEX,
                 audit: bool = False,
                 query_pool_ratio: Optional[float] = 0.5,
                 class_reduction: str = 'sum',
                 class_scope: str = 'pseudo_label',
                 ranking: str = 'consistency',
                 min_confidence: Optional[float] = None,
                 selection: str = 'ranked',
                 align_class_distribution: Optional[str] = None):
        if when not in WHEN:
            raise ValueError(f'when must be one of {WHEN}, got {when!r}')
        if keep not in KEEP:
            raise ValueError(f'keep must be one of {KEEP}, got {keep!r}')
        if restrict_to is not None and (set(restrict_to) != {'split_file', 'part'}
                                        or restrict_to['part'] not in SPLIT_PARTS):
            raise ValueError(f"restrict_to must be dict(split_file=..., part='reliable' | "
                             f"'unreliable'), got {restrict_to}")
        self.out_dir = out_dir
        self.reliable_ratio = validated_reliable_ratio(reliable_ratio)
        self.when = when
        self.keep = keep
        self.restrict_to = restrict_to
        self.dataset = dataset
        self.dataloader = dataloader
        self.pipeline = [dict(step) for step in pipeline]
        self.ignore_index = ignore_index
        self.audit = audit
        if query_pool_ratio is not None and not 0 < query_pool_ratio <= 1:
            raise ValueError(f'query_pool_ratio must lie in (0, 1] or be None, got '
                             f'{query_pool_ratio}')
        if class_reduction not in CLASS_REDUCTIONS:
            raise ValueError(f'class_reduction must be one of {CLASS_REDUCTIONS}, got '
                             f'{class_reduction!r}')
        if class_scope not in CLASS_SCOPES:
            raise ValueError(f'class_scope must be one of {CLASS_SCOPES}, got {class_scope!r}')
        if ranking not in RANKINGS:
            raise ValueError(f'ranking must be one of {RANKINGS}, got {ranking!r}')
        if align_class_distribution not in (None, *ALIGNMENTS):
            raise ValueError(f'align_class_distribution must be None or one of {ALIGNMENTS}, '
                             f'got {align_class_distribution!r}')
        if selection not in SELECTIONS:
            raise ValueError(f'selection must be one of {SELECTIONS}, got {selection!r}')
        if selection == 'per_class' and ranking != 'consistency':
            raise ValueError("selection='per_class' orders each class's images by its "
                             "consistency term: use it with ranking='consistency'")
        if min_confidence is not None and not 0 < min_confidence < 1:
            raise ValueError(f'min_confidence must lie in (0, 1) or be None, got {min_confidence}')
        self.query_pool_ratio = query_pool_ratio
        self.class_reduction = class_reduction
        self.class_scope = class_scope
        self.ranking = ranking
        self.min_confidence = min_confidence
        self.selection = selection
        self.align_class_distribution = align_class_distribution

    # ------------------------------------------------------------------- hook points
    def before_train(self, runner) -> None:
        if self.when != 'before_train':
            return
        if runner.iter > 0:  # resumed: the teacher is gone, the round must be on disk
            split = osp.join(self.output_dir(runner), SPLIT_FILE)
            if not osp.isfile(split):
                raise FileNotFoundError(
                    f'resumed at iteration {runner.iter} but the pseudo-label round of the '
                    f'starting model ({split}) was never completed; restart this phase from '
                    'its load_from checkpoint (without --resume)')
            print_log(f'resumed run: keeping the pseudo-label round in {split}',
                      logger='current')
            return
        self.run(runner)

    def after_train(self, runner) -> None:
        if self.when == 'after_train':
            self.run(runner)

    # ------------------------------------------------------------------------ work
    def output_dir(self, runner) -> str:
        return osp.join(runner.work_dir, self.out_dir)

    def run(self, runner) -> Optional[dict]:
        """Pseudo-label, rank and write (rank 0); every rank returns after the barrier.
        Returns the ``split.json`` content on rank 0, None elsewhere."""
        summary = None
        if is_main_process():
            model = runner.model.module if is_model_wrapper(runner.model) else runner.model
            was_training = model.training
            model.eval()
            try:
                with torch.no_grad():
                    summary = self._label_rank_and_write(runner, model)
            finally:
                model.train(was_training)
        barrier()
        return summary

    def _label_rank_and_write(self, runner, model) -> dict:
        num_classes = model.num_classes
        if not 0 < num_classes <= 255 or 0 <= self.ignore_index < num_classes:
            raise ValueError(f'the teacher has {num_classes} classes: pseudo-labels need 1..255 '
                             f'(uint8 PNGs) and ignore_index ({self.ignore_index}) outside them')
        anchors, labelled_pixels = self._anchors(runner, model, num_classes)
        adjustment = (self._logit_adjustment(runner, model, labelled_pixels)
                      if self.align_class_distribution is not None else None)
        pseudo_labels, scores, class_terms = self._score(runner, model, anchors, adjustment)
        summary = self._write(runner, anchors, pseudo_labels, scores,
                              self._split(scores, class_terms), adjustment)
        if self.query_pool_ratio is not None:
            self._write_query_pool(runner, model, anchors)
        if self.audit:
            self._audit(runner, pseudo_labels, scores, set(summary['reliable']), num_classes)
        return summary

    def _batches(self, runner, model, label_filter: str, logit_adjustment=None):
        """``(preprocessed batch, pseudo-labels)`` of the labelled or unlabelled items."""
        train_loader = runner.cfg.train_dataloader
        dataset = copy.deepcopy(dict(self.dataset or train_loader.dataset))
        dataset.update(label_filter=label_filter, pipeline=self.pipeline, test_mode=True,
                       pseudo_label_dirs=())
        loader = dict(batch_size=train_loader.batch_size,
                      num_workers=train_loader.get('num_workers', 0), **(self.dataloader or {}),
                      dataset=dataset, sampler=dict(type='UnshardedSampler'))
        for data in runner.build_dataloader(loader):
            batch = model.data_preprocessor(data, training=False)
            yield batch, (model.predict_pseudo_labels(batch['inputs']) if logit_adjustment is None
                          else model.predict_pseudo_labels(batch['inputs'], logit_adjustment))

    def _labelled(self, runner, model):
        """``(teacher output, labels (N,1,H,W) padded like the inputs, img_keys)`` of the
        labelled items, batch by batch."""
        for batch, teacher in self._batches(runner, model, 'labelled'):
            samples = batch['data_samples']
            labels = torch.stack([s.gt_sem_seg.data for s in samples]).to(teacher.features.device)
            # test-mode padding pads the inputs only: pad the labels alike, with ignore
            height, width = batch['inputs'].shape[-2:]
            labels = F.pad(labels, (0, width - labels.shape[-1], 0, height - labels.shape[-2]),
                           value=self.ignore_index)
            yield teacher, labels, [s.metainfo['img_key'] for s in samples]

    def _anchors(self, runner, model, num_classes: int):
        """The class anchors, and the labelled items' pixels per class (K,)."""
        accumulator = None
        pixels = torch.zeros(num_classes, dtype=torch.float64)
        for teacher, labels, _ in self._labelled(runner, model):
            if accumulator is None:
                accumulator = ClassAnchorAccumulator(num_classes, teacher.features.shape[1],
                                                     self.ignore_index, teacher.features.device)
            accumulator.update(teacher.features, labels)
            labelled = labels[labels != self.ignore_index]
            pixels += torch.bincount(labelled.flatten().cpu(), minlength=num_classes)[:num_classes]
        if accumulator is None:
            raise ValueError('the training set has no labelled item: no class anchors')
        anchors = accumulator.compute()
        if not bool(anchors.present.any()):
            raise ValueError('no labelled pixel in the labelled items: no class anchors')
        return anchors, pixels

    def _images_to_label(self, batch, restricted: Optional[set]):
        """``(index in the batch, sample, (height, width) without padding)`` of the batch's
        items this round labels."""
        size = tuple(batch['inputs'].shape[-2:])
        for index, sample in enumerate(batch['data_samples']):
            if restricted is None or sample.metainfo['img_key'] in restricted:
                yield index, sample, tuple(sample.metainfo.get('img_shape', size)[:2])

    def _teacher_class_shares(self, runner, model, logit_adjustment=None):
        """Over the images to label: ``(mean teacher softmax, share of each class among the
        pseudo-labels)``, both (K,) float64; None when there are none (:meth:`_score` says
        why)."""
        restricted = self._restricted_keys(runner)
        softmax_sums = label_counts = count = 0
        for batch, teacher in self._batches(runner, model, 'unlabelled', logit_adjustment):
            num_classes = teacher.probabilities.shape[1]
            for index, _, (height, width) in self._images_to_label(batch, restricted):
                probabilities = teacher.probabilities[index, :, :height, :width].double()
                softmax_sums = softmax_sums + probabilities.sum(dim=(1, 2)).cpu()
                label_counts = label_counts + torch.bincount(
                    teacher.labels[index, :height, :width].flatten().cpu(),
                    minlength=num_classes).double()
                count += height * width
        return (softmax_sums / count, label_counts / count) if count else None

    def _logit_adjustment(self, runner, model, labelled_pixels):
        """The per-class logit shift of ``align_class_distribution`` (K,), or None."""
        measured = self._teacher_class_shares(runner, model)
        if measured is None:
            return None
        target = (labelled_pixels / labelled_pixels.sum()).clamp(min=1e-8).log()
        mean_softmax, shares = measured
        if self.align_class_distribution == 'softmax':
            return (target - mean_softmax.clamp(min=1e-8).log()).float()
        adjustment = torch.zeros_like(target)
        for _ in range(LABEL_ALIGNMENT_STEPS):
            gap = target - shares.clamp(min=1e-8).log()
            if float(gap.abs().max()) <= LABEL_ALIGNMENT_TOLERANCE:
                break
            adjustment += (LABEL_ALIGNMENT_DAMPING * gap).clamp(-1, 1)
            _, shares = self._teacher_class_shares(runner, model, adjustment.float())
        return adjustment.float()

    def _write_query_pool(self, runner, model, anchors) -> None:
        terms, in_label, means, keys = [], [], [], []
        for teacher, labels, batch_keys in self._labelled(runner, model):
            similarity = anchor_similarity_maps(teacher.features, anchors, labels.shape[-2:])
            batch_terms, batch_in_label = class_consistency_terms(similarity, labels,
                                                                  self.ignore_index)
            terms.append(batch_terms.cpu())
            in_label.append(batch_in_label.cpu())
            means.append(per_image_class_means(teacher.features, labels, len(anchors.present),
                                               self.ignore_index)[0].float().cpu())
            keys += batch_keys
        pool = build_query_pool(torch.cat(terms), torch.cat(in_label), torch.cat(means), keys,
                                self.query_pool_ratio)
        save_query_pool(pool, osp.join(self.output_dir(runner), QUERY_POOL_FILE))

    def _restricted_keys(self, runner) -> Optional[set]:
        if self.restrict_to is None:
            return None
        path = osp.join(runner.work_dir, self.restrict_to['split_file'])
        if not osp.isfile(path):
            raise FileNotFoundError(f'restrict_to.split_file {path} does not exist: run the '
                                    'earlier pseudo-label round first')
        with open(path) as file:
            return set(json.load(file)[self.restrict_to['part']])

    def _score(self, runner, model, anchors, logit_adjustment=None):
        restricted = self._restricted_keys(runner)
        pseudo_labels: Dict[str, np.ndarray] = {}
        scores: Dict[str, tuple] = {}
        class_terms: Dict[str, tuple] = {}  # per image: (K,) terms and (K,) scored
        for batch, teacher in self._batches(runner, model, 'unlabelled', logit_adjustment):
            size = tuple(batch['inputs'].shape[-2:])
            result = reliability_distances(
                anchor_similarity_maps(teacher.features, anchors, size), teacher.labels,
                anchors.present, self.ignore_index, self.class_reduction, self.class_scope)
            for index, sample, (height, width) in self._images_to_label(batch, restricted):
                key = sample.metainfo['img_key']
                if key in scores:
                    raise ValueError(f'{key} appears twice in the unlabelled set')
                label = teacher.labels[index, :height, :width]
                confidence = teacher.confidence[index, :height, :width]
                if self.min_confidence is not None:
                    label = label.masked_fill(confidence < self.min_confidence, self.ignore_index)
                original = sample.metainfo.get('ori_gt_shape')
                if original is not None and tuple(original[:2]) != (height, width):
                    label = F.interpolate(label[None, None].float(), size=tuple(original[:2]),
                                          mode='nearest')[0, 0]
                pseudo_labels[key] = label.to(torch.uint8).cpu().numpy()
                distance = (result.distances[index] if self.ranking == 'consistency'
                            else 1 - confidence.float().mean())
                scores[key] = (float(distance),
                               int(result.scored_classes[index]),
                               int(result.skipped_classes[index]))
                class_terms[key] = (result.class_terms[index].float().cpu(),
                                    result.scored[index].cpu())
        if not scores:
            raise ValueError('the training set has no unlabelled item to pseudo-label'
                             if restricted is None else f'none of the {len(restricted)} items '
                             'of restrict_to is an unlabelled item of the training set')
        if restricted is not None and len(scores) != len(restricted):
            missing = sorted(restricted - set(scores))
            raise ValueError(f'{len(missing)} items of restrict_to are not unlabelled items of '
                             f'the training set, e.g. {missing[:3]}')
        return pseudo_labels, scores, class_terms

    def _audit(self, runner, pseudo_labels: Dict[str, np.ndarray], scores: Dict[str, tuple],
               reliable: set, num_classes: int) -> None:
        true_labels = TrueLabels(self.dataset or runner.cfg.train_dataloader.dataset)
        ranked = sorted(scores.items(), key=lambda item: (item[1][0], item[0]))
        rows = [dict(img_key=key, distance=distance, scored_classes=scored,
                     reliable=key in reliable) for key, (distance, scored, _) in ranked]
        if not len(true_labels):
            print_log('pseudo-label audit skipped: the data has no true labels for the '
                      'unlabelled items', logger='current')
            return
        audit = audit_round(rows, pseudo_labels.__getitem__, true_labels, num_classes,
                            self.ignore_index, class_names=true_labels.class_names)
        out_dir = self.output_dir(runner)
        write_audit(audit, out_dir, title=osp.relpath(out_dir, osp.dirname(runner.work_dir)))
        s = audit['summary']
        print_log(f"pseudo-label audit: reliable {100 * s['reliable_miou']:.2f} vs unreliable "
                  f"{100 * s['unreliable_miou']:.2f} mean image mIoU (random half "
                  f"{100 * s['random_half_miou']:.2f}; split by the true mIoU "
                  f"{100 * s['oracle_reliable_miou']:.2f} vs "
                  f"{100 * s['oracle_unreliable_miou']:.2f}), Spearman(distance, error) "
                  f"{s['spearman_distance_miou_error']:.3f} -> {out_dir}/audit.md",
                  logger='current')

    def _split(self, scores: Dict[str, tuple], class_terms: Dict[str, tuple]):
        keys = list(scores)
        distances = [scores[key][0] for key in keys]
        if self.selection == 'ranked':
            return split_by_reliability(keys, distances, self.reliable_ratio)
        return split_per_class(keys, distances,
                               torch.stack([class_terms[key][0] for key in keys]),
                               torch.stack([class_terms[key][1] for key in keys]),
                               self.reliable_ratio)

    def _write(self, runner, anchors, pseudo_labels: Dict[str, np.ndarray],
               scores: Dict[str, tuple], split, logit_adjustment) -> dict:
        keys = list(scores)
        kept = dict(all=keys, reliable=split.reliable_ids,
                    unreliable=split.unreliable_ids)[self.keep]

        out_dir = self.output_dir(runner)
        # split.json is written last, so a folder holding one holds a whole round: drop the
        # previous round's before rewriting, and the temporaries a killed writer left behind
        stale = [osp.join(out_dir, SPLIT_FILE),
                 *glob.glob(osp.join(out_dir, '**', '.*.tmp'), recursive=True)]
        for path in stale:
            if osp.isfile(path):
                os.remove(path)
        kept_set = set(kept)
        for key in keys:
            path = osp.join(out_dir, pseudo_label_relpath(key))
            if key in kept_set:
                write_bytes_atomically(path, png_bytes(pseudo_labels[key]))
            elif osp.isfile(path):
                os.remove(path)  # a previous run's label for an item not kept now
        reliable = set(split.reliable_ids)
        rows = io.StringIO()
        writer = csv.writer(rows, lineterminator='\n')
        writer.writerow(['rank', 'img_key', 'distance', 'scored_classes', 'skipped_classes',
                         'reliable', 'written'])
        for rank, key in enumerate(split.reliable_ids + split.unreliable_ids):
            distance, scored, skipped = scores[key]
            writer.writerow([rank, key, repr(distance), scored, skipped, int(key in reliable),
                             int(key in kept_set)])
        write_bytes_atomically(osp.join(out_dir, SCORES_FILE), rows.getvalue().encode())
        summary = dict(
            reliable=split.reliable_ids, unreliable=split.unreliable_ids,
            threshold=split.threshold if math.isfinite(split.threshold) else None,
            reliable_ratio=self.reliable_ratio, num_images=len(keys), keep=self.keep,
            num_written=len(kept), restrict_to=self.restrict_to,
            ranking=self.ranking, class_reduction=self.class_reduction,
            class_scope=self.class_scope, selection=self.selection,
            align_class_distribution=self.align_class_distribution,
            logit_adjustment=(None if logit_adjustment is None
                              else [round(value, 6) for value in logit_adjustment.tolist()]),
            min_confidence=self.min_confidence,
            ignored_pixel_share=ignored_share((pseudo_labels[k] for k in kept),
                                              self.ignore_index),
            anchored_classes=anchors.present.nonzero().flatten().tolist())
        write_bytes_atomically(osp.join(out_dir, SPLIT_FILE),
                               json.dumps(summary, indent=2).encode())
        print_log(f'pseudo-labels: {len(keys)} images scored, {len(split.reliable_ids)} '
                  f'reliable (threshold {split.threshold:.4g}), {len(kept)} written '
                  f'({self.keep}; {100 * summary["ignored_pixel_share"]:.1f} % of their pixels '
                  f'below min_confidence) to {out_dir}', logger='current')
        return summary
