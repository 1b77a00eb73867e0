import math

import pytest
import torch

from fr_inpaint_plugin.consistency import (
    DEFAULT_RELIABLE_RATIO,
    split_by_reliability,
    split_per_class,
)


def test_lower_distance_is_more_reliable():
    split = split_by_reliability(['c', 'a', 'b', 'd'], [0.3, 0.1, 0.2, 0.4])
    assert DEFAULT_RELIABLE_RATIO == 0.5
    assert split.reliable_ids == ['a', 'b']
    assert split.unreliable_ids == ['c', 'd']
    assert split.threshold == pytest.approx(0.2)


@pytest.mark.parametrize('ratio, reliable, unreliable, threshold', [
    (0.0, [], ['a', 'b', 'c', 'd'], -math.inf),
    (0.5, ['a', 'b'], ['c', 'd'], 1.0),
    (1, ['a', 'b', 'c', 'd'], [], 1.0),
])
def test_ties_are_broken_by_id_whatever_the_input_order(ratio, reliable, unreliable, threshold):
    for ids in (['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'], ['b', 'd', 'a', 'c']):
        split = split_by_reliability(ids, [1.0] * 4, ratio)
        assert (split.reliable_ids, split.unreliable_ids) == (reliable, unreliable)
        assert split.threshold == threshold


def test_tie_across_the_cut_and_threshold_bounds():
    split = split_by_reliability([4, 3, 2, 1, 0], [0.5, 0.2, 0.2, 0.2, 0.9], 0.4)
    assert split.reliable_ids == [1, 2]
    assert split.unreliable_ids == [3, 4, 0]
    assert split.threshold == 0.2  # reliable <= threshold <= unreliable, tie on both sides


@pytest.mark.parametrize('count, ratio, num_reliable', [(5, 0.5, 2), (100, 0.29, 29),
                                                        (10, 0.7, 7), (1, 0.5, 0)])
def test_the_reliable_set_holds_the_floor_of_ratio_times_count(count, ratio, num_reliable):
    split = split_by_reliability(list(range(count)), [float(i) for i in range(count)], ratio)
    assert len(split.reliable_ids) == num_reliable
    assert split.reliable_ids + split.unreliable_ids == list(range(count))


def test_unscored_images_rank_last_and_tensors_are_accepted():
    distances = torch.tensor([math.inf, 0.3, 0.1])
    split = split_by_reliability(['x', 'y', 'z'], distances, 1.0)
    assert split.reliable_ids == ['z', 'y', 'x']
    assert split.threshold == math.inf
    assert split_by_reliability(['x', 'y', 'z'], distances.tolist(), 1.0) == split


def test_empty_input():
    split = split_by_reliability([], [])
    assert (split.reliable_ids, split.unreliable_ids, split.threshold) == ([], [], -math.inf)


@pytest.mark.parametrize('ratio, error', [(-0.1, ValueError), (1.5, ValueError),
                                          (math.nan, ValueError), (True, TypeError),
                                          ('0.5', TypeError), (None, TypeError)])
def test_invalid_ratios_are_refused(ratio, error):
    with pytest.raises(error, match='reliable ratio'):
        split_by_reliability(['a'], [0.0], ratio)


@pytest.mark.parametrize('ids, distances, error, message', [
    (['a', 'b'], [0.1], ValueError, '2 image ids but 1 distances'),
    (['a', 'a'], [0.1, 0.2], ValueError, 'unique'),
    (['a', 1], [0.1, 0.2], TypeError, 'all str or all int'),
    ([True, False], [0.1, 0.2], TypeError, 'all str or all int'),
    (['a', 'b'], [0.1, math.nan], ValueError, 'nan'),
    (['a', 'b'], torch.zeros(1, 2), ValueError, '1-D'),
])
def test_bad_inputs_are_refused(ids, distances, error, message):
    with pytest.raises(error, match=message):
        split_by_reliability(ids, distances)


def per_class_inputs():
    """Six images, three classes. Class 2 (rare) only in e and f, which hold every class and so
    carry the largest summed distances; class 0 everywhere."""
    ids = ['a', 'b', 'c', 'd', 'e', 'f']
    distances = [0.1, 0.2, 0.3, 0.4, 0.9, 0.8]
    terms = torch.tensor([[0.1, 0.0, 0.0],
                          [0.2, 0.0, 0.0],
                          [0.1, 0.2, 0.0],
                          [0.3, 0.1, 0.0],
                          [0.3, 0.3, 0.3],
                          [0.2, 0.4, 0.2]])
    scored = torch.tensor([[1, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 0], [1, 1, 1], [1, 1, 1]],
                          dtype=torch.bool)
    return ids, distances, terms, scored


def test_per_class_split_gives_every_class_its_most_consistent_images_first():
    ids, distances, terms, scored = per_class_inputs()
    assert split_by_reliability(ids, distances).reliable_ids == ['a', 'b', 'c']
    split = split_per_class(ids, distances, terms, scored)
    # turns, rarest class first: class 2 (e, f) takes f (0.2 < 0.3); class 1 (c, d, e, f)
    # takes d (0.1); class 0 takes a and c tie at 0.1: a, first by distance
    assert split.reliable_ids == ['f', 'd', 'a']
    assert split.unreliable_ids == ['b', 'c', 'e']  # in the order of the distances
    assert math.isnan(split.threshold)


def test_per_class_split_fills_from_the_ranking_once_every_holder_is_chosen():
    ids, distances, terms, scored = per_class_inputs()
    only_class_2 = torch.zeros_like(scored)
    only_class_2[4:, 2] = True  # a-d hold no scored class
    split = split_per_class(ids, distances, terms, only_class_2, reliable_ratio=0.7)  # 4 of 6
    assert split.reliable_ids == ['f', 'e', 'a', 'b']
    assert split.unreliable_ids == ['c', 'd']


@pytest.mark.parametrize('ratio, num_reliable', [(0.0, 0), (0.5, 3), (1.0, 6)])
def test_per_class_split_has_the_ranked_splits_size(ratio, num_reliable):
    ids, distances, terms, scored = per_class_inputs()
    split = split_per_class(ids, distances, terms, scored, ratio)
    assert len(split.reliable_ids) == num_reliable
    assert sorted(split.reliable_ids + split.unreliable_ids) == ids


@pytest.mark.parametrize('change, error, message', [
    (lambda t, s: (t[:5], s[:5]), ValueError, 'must both be'),
    (lambda t, s: (t, s.long()), TypeError, 'bool'),
    (lambda t, s: (t.masked_fill(s, math.nan), s), ValueError, 'nan'),
])
def test_per_class_split_refuses_bad_class_terms(change, error, message):
    ids, distances, terms, scored = per_class_inputs()
    terms, scored = change(terms, scored)
    with pytest.raises(error, match=message):
        split_per_class(ids, distances, terms, scored)
