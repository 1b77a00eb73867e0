"""Batches with a fixed share of pseudo-labelled items, built as the runner builds them."""
import itertools

import pytest
from mmengine.dataset import DefaultSampler, InfiniteSampler
from mmengine.runner import Runner

from fr_inpaint_plugin.datasets import LabelledPseudoBatchSampler


class PartsDataset:
    """Items 0..n-1; the first ``num_labelled`` labelled, the rest pseudo-labelled."""

    def __init__(self, num_labelled: int, num_pseudo: int):
        self.flags = [True] * num_labelled + [False] * num_pseudo

    def __len__(self):
        return len(self.flags)

    def __getitem__(self, index):
        return index

    def get_data_info(self, index):
        return dict(labelled=self.flags[index])


def batches(dataset, count, **batch_sampler):
    loader = Runner.build_dataloader(dict(
        dataset=dataset, batch_size=8, num_workers=0,
        sampler=dict(type='InfiniteSampler', shuffle=True, seed=0),
        batch_sampler=dict(type='LabelledPseudoBatchSampler', **batch_sampler),
        collate_fn=dict(type='pseudo_collate')))
    return [list(batch) for batch in itertools.islice(loader, count)]


@pytest.mark.parametrize('pseudo_per_batch, expected', [(None, 4), (2, 2), (7, 7)])
def test_every_batch_holds_the_parts_quota(pseudo_per_batch, expected):
    dataset = PartsDataset(num_labelled=30, num_pseudo=9)
    for batch in batches(dataset, 60, pseudo_labelled_per_batch=pseudo_per_batch):
        assert len(batch) == 8
        assert sum(not dataset.flags[i] for i in batch) == expected


def test_the_scarcer_part_comes_in_the_samplers_order_none_skipped():
    dataset = PartsDataset(num_labelled=30, num_pseudo=9)
    drawn = batches(dataset, 30)  # 4 + 4: the 9 pseudo-labelled items are the scarcer part
    pseudo_drawn = [i for batch in drawn for i in batch if not dataset.flags[i]]
    stream = iter(InfiniteSampler(dataset, shuffle=True, seed=0))
    pseudo_stream = [i for i in itertools.islice(stream, 2000) if not dataset.flags[i]]
    assert pseudo_drawn == pseudo_stream[:len(pseudo_drawn)]
    assert all(sorted(pseudo_drawn[start:start + 9]) == list(range(30, 39))
               for start in range(0, len(pseudo_drawn) - 8, 9))  # whole passes
    labelled_drawn = [i for batch in drawn for i in batch if dataset.flags[i]]
    assert set(labelled_drawn) <= set(range(30)) and len(set(labelled_drawn)) > 25


def test_it_follows_the_samplers_seed():
    dataset = PartsDataset(num_labelled=20, num_pseudo=10)
    assert batches(dataset, 5) == batches(dataset, 5)
    sampler = InfiniteSampler(dataset, shuffle=True, seed=1)
    other = LabelledPseudoBatchSampler(sampler, batch_size=8)
    assert [b for b in itertools.islice(other, 5)] != batches(dataset, 5)


def test_bad_settings_are_refused():
    dataset = PartsDataset(num_labelled=20, num_pseudo=10)
    with pytest.raises(TypeError, match='InfiniteSampler'):
        LabelledPseudoBatchSampler(DefaultSampler(dataset), batch_size=8)
    for pseudo in (0, 8):
        with pytest.raises(ValueError, match=r'pseudo_labelled_per_batch must be in \[1, 7\]'):
            LabelledPseudoBatchSampler(InfiniteSampler(dataset), 8, pseudo)
    with pytest.raises(ValueError,
                       match="no pseudo-labelled items.*label_filter='pseudo_labelled'"):
        LabelledPseudoBatchSampler(InfiniteSampler(PartsDataset(5, 0)), 8)
    with pytest.raises(ValueError, match='no labelled items'):
        LabelledPseudoBatchSampler(InfiniteSampler(PartsDataset(0, 5)), 8)
