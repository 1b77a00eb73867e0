"""Batches with a fixed share of pseudo-labelled items, as CISC-R's re-training steps draw them."""
from typing import Iterator, List, Optional

from mmagic.registry import DATA_SAMPLERS
from mmengine.dataset import InfiniteSampler
from torch.utils.data import BatchSampler


@DATA_SAMPLERS.register_module()
class LabelledPseudoBatchSampler(BatchSampler):
    """Every batch holds ``batch_size - pseudo_labelled_per_batch`` labelled items and
    ``pseudo_labelled_per_batch`` pseudo-labelled (not ``labelled``) ones, whatever the two
    parts' sizes: CISC-R's steps 4 and 6 draw a batch of pseudo-labelled images and one of
    labelled images for every iteration.

    The items come, in order, from the wrapped ``InfiniteSampler`` (so its seed, shuffling and
    rank sharding apply); an item whose part is already full for the batch being filled is
    skipped, which keeps each part a uniform draw of its items. Set it as the training
    dataloader's ``batch_sampler=dict(type='LabelledPseudoBatchSampler')``; pair it with
    ``ConsistencySegmentor(pseudo_label_loss_average='separate')`` for CISC-R's loss.

    Args:
        sampler: the dataloader's sampler, an ``InfiniteSampler`` (iteration-based training).
        batch_size: items per batch (the dataloader's ``batch_size``).
        pseudo_labelled_per_batch: pseudo-labelled items per batch, in ``[1, batch_size - 1]``;
            None = half the batch, rounded down (CISC-R: as many as labelled).
    """

    def __init__(self, sampler: InfiniteSampler, batch_size: int,
                 pseudo_labelled_per_batch: Optional[int] = None) -> None:
        if not isinstance(sampler, InfiniteSampler):
            raise TypeError('LabelledPseudoBatchSampler needs the InfiniteSampler of '
                            f'iteration-based training, got {type(sampler).__name__}; set '
                            "train_dataloader.sampler=dict(type='InfiniteSampler', shuffle=True)")
        if pseudo_labelled_per_batch is None:
            pseudo_labelled_per_batch = batch_size // 2
        if not 1 <= pseudo_labelled_per_batch <= batch_size - 1:
            raise ValueError(f'pseudo_labelled_per_batch must be in [1, {batch_size - 1}] for '
                             f'batch_size {batch_size}, got {pseudo_labelled_per_batch}')
        super().__init__(sampler, batch_size, drop_last=True)
        dataset = sampler.dataset
        self.labelled = [bool(dataset.get_data_info(index)['labelled'])
                         for index in range(len(dataset))]
        missing = [part for part, present in (('labelled', any(self.labelled)),
                                              ('pseudo-labelled', not all(self.labelled)))
                   if not present]
        if missing:
            raise ValueError(f'{type(dataset).__name__} under '
                             f'{getattr(dataset, "data_root", "?")!r} has no {missing[0]} items '
                             'for LabelledPseudoBatchSampler; train with '
                             "label_filter='pseudo_labelled' and pseudo_label_dirs holding a "
                             'round, or drop the batch_sampler')
        self.quota = {True: batch_size - pseudo_labelled_per_batch,
                      False: pseudo_labelled_per_batch}

    def __iter__(self) -> Iterator[List[int]]:
        parts = {True: [], False: []}
        for index in self.sampler:
            part = parts[self.labelled[index]]
            if len(part) < self.quota[self.labelled[index]]:
                part.append(index)
            if all(len(parts[key]) == self.quota[key] for key in parts):
                yield parts[True] + parts[False]
                parts = {True: [], False: []}

    def __len__(self) -> int:
        return len(self.sampler) // self.batch_size
