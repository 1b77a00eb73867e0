"""Step 3/5 of METHOD.md §3.3: the teacher pseudo-labels the unlabelled set, cross-image
consistency ranks the pseudo-labels, and the chosen ones are written as training labels."""
import copy
import csv
import io
import json
import math
import os
import os.path as osp
from typing import Dict, Iterator, Optional

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dist import barrier, is_main_process
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from PIL import Image
from torch.utils.data import Sampler

from mmagic.registry import DATA_SAMPLERS, HOOKS
from ...consistency import (ClassAnchorAccumulator, anchor_similarity_maps,
                            reliability_distances, split_by_reliability,
                            validated_reliable_ratio)
from ...datasets.atomic_files import write_bytes_atomically
from ...datasets.transforms.load_pseudo_label import pseudo_label_relpath

WHEN = ('before_train', 'after_train')
KEEP = ('all', 'reliable', 'unreliable')
SPLIT_PARTS = ('reliable', 'unreliable')
SCORES_FILE = 'scores.csv'
SPLIT_FILE = 'split.json'


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


def png_bytes(label: np.ndarray) -> bytes:
    """(H,W) uint8 class ids as a single-channel ('L') PNG."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(label, dtype=np.uint8), mode='L').save(buffer, 'PNG')
    return buffer.getvalue()


@HOOKS.register_module()
class CrossImagePseudoLabelHook(Hook):
    """Pseudo-label the unlabelled set with the runner's model as teacher, rank the
    pseudo-labels by cross-image semantic consistency, and write them for a later phase.

    Runs once, at ``before_train`` (the teacher is the model as loaded by ``load_from`` /
    resume: a phase whose config names the previous phase's checkpoint labels its own training
    data before the first iteration; the train dataset reads the files lazily through
    :class:`LoadPseudoLabel`) or at ``after_train`` (the model just trained labels the data of
    the next phase). Steps, all under ``torch.no_grad`` with the model in eval mode (its
    training mode is restored afterwards, also on error):

    1. the labelled set streams through ``extract_seg_features``; class anchors are the
       per-image class means of the decoder features, averaged over images;
    2. every unlabelled image gets the argmax of its logits (bilinear upsampling to the input
       size) as pseudo-label, resized (nearest) to the image file's size (``ori_gt_shape``);
    3. its reliability distance (similarity maps vs. pseudo-label, lower = more reliable)
       ranks it; the first ``floor(reliable_ratio * n)`` are the reliable set;
    4. under ``<work_dir>/<out_dir>``: one PNG per kept item (``keep``), named by its
       ``img_key`` (folders mirrored, ``.png``; uint8 class ids), ``scores.csv`` (ranked,
       ascending distance) and ``split.json``. Every file is written atomically (temporary +
       ``os.replace``); PNGs of unlabelled items not kept are removed, so the folder always
       matches ``split.json``.

    Only rank 0 computes and writes (the dataloaders use :class:`UnshardedSampler` so it sees
    whole sets, whatever ``sampler`` the configs name); the other ranks wait at a barrier
    (a no-op when not distributed). Pseudo-labels are held in memory (uint8) until the split
    is known.

    The dataloader pipelines must pack ``img_key`` (and ``ori_gt_shape`` to write labels at the
    image file's size) in ``PackInputs.meta_keys``; the labelled set must be labelled, and the
    unlabelled set's items must be unlabelled (``label_filter='labelled'``/``'unlabelled'``).

    Args:
        labelled_dataloader: dataloader config of the labelled set (anchors).
        unlabelled_dataloader: dataloader config of the set to pseudo-label.
        out_dir: output folder, relative to ``runner.work_dir`` (or absolute).
        num_classes: K of the segmentor.
        reliable_ratio: fraction of the unlabelled set called reliable.
        ignore_index: ignore value of the ground-truth labels.
        when: ``'before_train'`` or ``'after_train'``.
        keep: which pseudo-labels become training labels: ``'all'``, ``'reliable'`` (step 4)
            or ``'unreliable'``.
        restrict_to: ``dict(split_file=<an earlier round's split.json>, part='unreliable')``:
            label only that part of an earlier round (step 5: the retrained S0 relabels the
            unreliable set of step 3). The items are ranked among themselves; ``split_file``
            is relative to ``runner.work_dir`` unless absolute.

    Resuming: a ``before_train`` round belongs to the teacher the run started from, so a
    resumed run (iteration > 0) keeps the round it wrote and refuses to relabel with the
    half-trained student when the round is missing. An ``after_train`` round always runs (a
    resumed run that had finished training but not the round completes it).
    """

    priority = 'LOW'  # after the NORMAL-priority hooks of the same point

    def __init__(self,
                 labelled_dataloader: dict,
                 unlabelled_dataloader: dict,
                 out_dir: str,
                 num_classes: int,
                 reliable_ratio: float = 0.5,
                 ignore_index: int = 255,
                 when: str = 'before_train',
                 keep: str = 'all',
                 restrict_to: Optional[dict] = None):
        if when not in WHEN:
            raise ValueError(f'when must be one of {WHEN}, got {when!r}')
        if keep not in KEEP:
            raise ValueError(f'keep must be one of {KEEP}, got {keep!r}')
        if not 0 < num_classes <= 255 or 0 <= ignore_index < num_classes:
            raise ValueError(f'num_classes must be in 1..255 (uint8 PNGs) and ignore_index '
                             f'({ignore_index}) outside the classes, got {num_classes}')
        self.labelled_dataloader = labelled_dataloader
        self.unlabelled_dataloader = unlabelled_dataloader
        self.out_dir = out_dir
        self.num_classes = num_classes
        self.reliable_ratio = validated_reliable_ratio(reliable_ratio)
        self.ignore_index = ignore_index
        self.when = when
        self.keep = keep
        if restrict_to is not None and (set(restrict_to) != {'split_file', 'part'}
                                        or restrict_to['part'] not in SPLIT_PARTS):
            raise ValueError(f"restrict_to must be dict(split_file=..., part='reliable' | "
                             f"'unreliable'), got {restrict_to}")
        self.restrict_to = restrict_to

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

    def _restricted_keys(self, runner) -> Optional[set]:
        if self.restrict_to is None:
            return None
        path = osp.join(runner.work_dir, self.restrict_to['split_file'])
        if not osp.isfile(path):
            raise FileNotFoundError(f'restrict_to.split_file {path} does not exist: run the '
                                    'earlier pseudo-label round first')
        with open(path) as file:
            return set(json.load(file)[self.restrict_to['part']])

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
                    summary = self._label_and_write(runner, model)
            finally:
                model.train(was_training)
        barrier()
        return summary

    def _loader(self, runner, cfg: dict):
        cfg = copy.deepcopy(dict(cfg))
        cfg['sampler'] = dict(type='UnshardedSampler')
        cfg.pop('batch_sampler', None)
        return runner.build_dataloader(cfg)

    def _batches(self, runner, model, cfg: dict):
        for data in self._loader(runner, cfg):
            batch = model.data_preprocessor(data, training=False)
            features, logits = model.extract_seg_features(batch['inputs'])
            yield batch, features, logits

    def _anchors(self, runner, model):
        accumulator = None
        for batch, features, _ in self._batches(runner, model, self.labelled_dataloader):
            samples = batch['data_samples']
            if not all('gt_sem_seg' in s for s in samples):
                raise ValueError('the labelled dataloader yields items without gt_seg_map')
            labels = torch.stack([s.gt_sem_seg.data for s in samples]).to(features.device)
            # test-mode padding pads the inputs only: pad the labels alike, with ignore
            height, width = batch['inputs'].shape[-2:]
            labels = F.pad(labels, (0, width - labels.shape[-1], 0, height - labels.shape[-2]),
                           value=self.ignore_index)
            if accumulator is None:
                accumulator = ClassAnchorAccumulator(self.num_classes, features.shape[1],
                                                     self.ignore_index, features.device)
            accumulator.update(features, labels)
        if accumulator is None:
            raise ValueError('the labelled dataloader is empty: no class anchors')
        anchors = accumulator.compute()
        if not bool(anchors.present.any()):
            raise ValueError('no labelled pixel in the labelled set: no class anchors '
                             '(are its items unlabelled?)')
        return anchors

    def _score(self, runner, model, anchors):
        restricted = self._restricted_keys(runner)
        pseudo_labels: Dict[str, np.ndarray] = {}
        scores: Dict[str, tuple] = {}
        for batch, features, logits in self._batches(runner, model, self.unlabelled_dataloader):
            size = tuple(batch['inputs'].shape[-2:])
            predictions = F.interpolate(logits.float(), size=size, mode='bilinear',
                                        align_corners=False).argmax(dim=1)
            result = reliability_distances(
                anchor_similarity_maps(features, anchors, size), predictions, anchors.present,
                self.ignore_index)
            for index, sample in enumerate(batch['data_samples']):
                key = sample.metainfo.get('img_key')
                if key is None:
                    raise KeyError("the unlabelled dataloader's samples carry no img_key: add "
                                   "'img_key' to PackInputs.meta_keys of its pipeline")
                if sample.metainfo.get('labelled', False):
                    raise ValueError(f'{key} is labelled; give the hook an unlabelled set '
                                     "(label_filter='unlabelled')")
                if key in scores:
                    raise ValueError(f'{key} appears twice in the unlabelled set')
                if restricted is not None and key not in restricted:
                    continue
                height, width = sample.metainfo.get('img_shape', size)[:2]
                label = predictions[index, :height, :width]
                original = sample.metainfo.get('ori_gt_shape')
                if original is not None and tuple(original[:2]) != (height, width):
                    label = F.interpolate(label[None, None].float(), size=tuple(original[:2]),
                                          mode='nearest')[0, 0]
                pseudo_labels[key] = label.to(torch.uint8).cpu().numpy()
                scores[key] = (float(result.distances[index]),
                               int(result.scored_classes[index]),
                               int(result.skipped_classes[index]))
        if not scores:
            raise ValueError('the unlabelled dataloader is empty' if restricted is None else
                             f'none of the {len(restricted)} items of restrict_to is in the '
                             'unlabelled dataloader')
        if restricted is not None and len(scores) != len(restricted):
            missing = sorted(restricted - set(scores))
            raise ValueError(f'{len(missing)} items of restrict_to are not in the unlabelled '
                             f'dataloader, e.g. {missing[:3]}')
        return pseudo_labels, scores

    def _label_and_write(self, runner, model) -> dict:
        anchors = self._anchors(runner, model)
        pseudo_labels, scores = self._score(runner, model, anchors)
        keys = list(scores)
        split = split_by_reliability(keys, [scores[k][0] for k in keys], self.reliable_ratio)
        kept = dict(all=keys, reliable=split.reliable_ids,
                    unreliable=split.unreliable_ids)[self.keep]

        out_dir = self.output_dir(runner)
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
            anchored_classes=anchors.present.nonzero().flatten().tolist())
        write_bytes_atomically(osp.join(out_dir, SPLIT_FILE),
                               json.dumps(summary, indent=2).encode())
        print_log(f'pseudo-labels: {len(keys)} images scored, {len(split.reliable_ids)} '
                  f'reliable (threshold {split.threshold:.4g}), {len(kept)} written '
                  f'({self.keep}) to {out_dir}', logger='current')
        return summary
