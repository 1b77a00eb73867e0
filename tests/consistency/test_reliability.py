import math

import pytest
import torch
import torch.nn.functional as F

from fr_inpaint_plugin.consistency import (
    ClassAnchors,
    anchor_similarity_maps,
    reliability_distances,
)
from fr_inpaint_plugin.utils import IGNORE_INDEX

ALL_PRESENT = torch.ones(3, dtype=torch.bool)
REGIONS = torch.tensor([[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 2, 1], [2, 2, 0, 0]])


def one_hot_maps(labels: torch.Tensor, num_classes: int = 3) -> torch.Tensor:
    return F.one_hot(labels, num_classes).permute(0, 3, 1, 2).float()


def test_agreeing_pseudo_label_scores_lower_than_a_shuffled_one():
    # features point at the class of their region, and the anchors are the class directions
    features = one_hot_maps(REGIONS.expand(2, 4, 4))
    similarity = anchor_similarity_maps(features, ClassAnchors(torch.eye(3), ALL_PRESENT), (4, 4))
    shuffled = REGIONS.flatten()[torch.randperm(16, generator=torch.Generator().manual_seed(0))]
    pseudo_labels = torch.stack([REGIONS, shuffled.view(4, 4)])
    scores = reliability_distances(similarity, pseudo_labels, ALL_PRESENT)
    assert scores.distances[0] == pytest.approx(0.0, abs=1e-5)
    assert scores.distances[1] > 1.0
    assert scores.scored_classes.tolist() == [3, 3]


def test_distance_is_the_sum_over_classes_of_the_mean_bce():
    similarity = torch.tensor([[[[0.8, 0.3, -0.5]],
                                [[0.1, 0.6, 0.2]],
                                [[0.9, 0.9, 0.9]]]])  # (1,3,1,3)
    pseudo_labels = torch.tensor([[[0, 1, 1]]])  # class 2 is absent, so it adds nothing
    scores = reliability_distances(similarity, pseudo_labels, ALL_PRESENT)
    clamped = similarity.clamp(0, 1)  # -0.5 counts as 0: no evidence for class 0
    expected = sum(F.binary_cross_entropy(clamped[0, c, 0], (pseudo_labels[0, 0] == c).float())
                   for c in (0, 1))
    assert scores.distances.item() == pytest.approx(expected.item(), rel=1e-6)
    assert scores.scored_classes.tolist() == [2]
    assert scores.skipped_classes.tolist() == [0]


def test_ignored_pixels_are_excluded():
    similarity = torch.tensor([[[[0.9, 0.2, 0.0, 1.0]], [[0.1, 0.7, 1.0, 0.0]]]])
    pseudo_labels = torch.tensor([[[0, 1, IGNORE_INDEX, IGNORE_INDEX]]])
    present = torch.ones(2, dtype=torch.bool)
    with_ignored = reliability_distances(similarity, pseudo_labels, present)
    without = reliability_distances(similarity[..., :2], pseudo_labels[..., :2], present)
    assert with_ignored.distances.item() == pytest.approx(without.distances.item(), rel=1e-6)


def test_classes_without_an_anchor_are_skipped_and_counted():
    similarity = torch.rand(3, 3, 2, 2, generator=torch.Generator().manual_seed(0))
    pseudo_labels = torch.tensor([[[0, 2], [1, 2]],                    # class 2 has no anchor
                                  [[2, 2], [2, IGNORE_INDEX]],         # only class 2
                                  [[IGNORE_INDEX] * 2] * 2])           # nothing left to score
    present = torch.tensor([True, True, False])
    scores = reliability_distances(similarity, pseudo_labels, present)
    # image 0: the terms of classes 0 and 1 only (class 2's pixels are their negatives)
    expected = sum(F.binary_cross_entropy(similarity[0, c], (pseudo_labels[0] == c).float())
                   for c in (0, 1))
    assert scores.distances[0].item() == pytest.approx(expected.item(), rel=1e-6)
    assert scores.distances[1:].tolist() == [math.inf, math.inf]
    assert scores.scored_classes.tolist() == [2, 0, 0]
    assert scores.skipped_classes.tolist() == [1, 1, 0]


def test_batched_scores_equal_one_image_at_a_time():
    generator = torch.Generator().manual_seed(3)
    similarity = torch.rand(4, 3, 5, 5, generator=generator) * 2 - 1
    pseudo_labels = torch.randint(0, 3, (4, 5, 5), generator=generator)
    batched = reliability_distances(similarity, pseudo_labels, ALL_PRESENT).distances
    single = torch.cat([reliability_distances(similarity[i:i + 1], pseudo_labels[i:i + 1],
                                              ALL_PRESENT).distances for i in range(4)])
    assert torch.allclose(batched, single)
    repeated = reliability_distances(similarity, pseudo_labels.unsqueeze(1), ALL_PRESENT)
    assert torch.equal(batched, repeated.distances)  # deterministic, (N,1,H,W) accepted


def test_half_precision_similarity_is_widened():
    similarity = torch.rand(2, 3, 4, 4, generator=torch.Generator().manual_seed(4))
    pseudo_labels = REGIONS.expand(2, 4, 4)
    full = reliability_distances(similarity, pseudo_labels, ALL_PRESENT).distances
    half = reliability_distances(similarity.half(), pseudo_labels, ALL_PRESENT).distances
    assert half.dtype == torch.float32
    assert torch.allclose(half, full, rtol=1e-2)


@pytest.mark.parametrize('similarity, pseudo_labels, present, message', [
    (torch.rand(1, 3, 4, 4), torch.zeros(1, 3, 3, dtype=torch.long), ALL_PRESENT, 'share'),
    (torch.rand(2, 3, 4, 4), torch.zeros(1, 4, 4, dtype=torch.long), ALL_PRESENT, 'share'),
    (torch.rand(1, 3, 4, 4), torch.full((1, 4, 4), 3), ALL_PRESENT, 'outside'),
    (torch.rand(1, 3, 4, 4), torch.zeros(1, 4, 4, dtype=torch.long), torch.ones(2).bool(),
     'bool mask'),
    (torch.rand(1, 3, 4, 4), torch.zeros(1, 4, 4, dtype=torch.long), torch.ones(3),
     'bool mask'),
])
def test_bad_inputs_are_refused(similarity, pseudo_labels, present, message):
    with pytest.raises(ValueError, match=message):
        reliability_distances(similarity, pseudo_labels, present)


def test_mean_over_classes_divides_the_sum_by_the_scored_classes():
    from fr_inpaint_plugin.consistency.reliability import class_consistency_terms
    similarity = torch.rand(2, 3, 4, 4)
    labels = torch.tensor([0, 1, 2, 1]).repeat(2, 4, 1)
    labels[1] = 0  # one class only
    present = torch.tensor([True, True, False])
    summed = reliability_distances(similarity, labels, present)
    mean = reliability_distances(similarity, labels, present, class_reduction='mean')
    assert summed.scored_classes.tolist() == [2, 1]
    assert torch.allclose(mean.distances, summed.distances / torch.tensor([2., 1.]))
    terms, in_label = class_consistency_terms(similarity, labels)
    assert in_label.tolist() == [[True, True, True], [True, False, False]]
    assert torch.allclose(summed.distances, (terms * (in_label & present)).sum(1))
    with pytest.raises(ValueError, match='class_reduction'):
        reliability_distances(similarity, labels, present, class_reduction='max')


def test_anchored_scope_scores_absent_classes_against_an_empty_map():
    similarity = torch.tensor([[[[0.8, 0.3, -0.5]],
                                [[0.1, 0.6, 0.2]],
                                [[0.9, 0.9, 0.9]]]])  # (1,3,1,3)
    pseudo_labels = torch.tensor([[[0, 1, 1]]])  # class 2 absent, though its map says 0.9
    own = reliability_distances(similarity, pseudo_labels, ALL_PRESENT)
    anchored = reliability_distances(similarity, pseudo_labels, ALL_PRESENT,
                                     class_scope='anchored')
    absent_term = -math.log(1 - 0.9)  # every pixel: BCE of 0.9 against 0
    assert anchored.distances.item() == pytest.approx(own.distances.item() + absent_term,
                                                      rel=1e-5)
    assert anchored.scored_classes.tolist() == [3]
    mean = reliability_distances(similarity, pseudo_labels, ALL_PRESENT, class_reduction='mean',
                                 class_scope='anchored')
    assert mean.distances.item() == pytest.approx(anchored.distances.item() / 3, rel=1e-6)


def test_anchored_scope_skips_classes_without_an_anchor_and_empty_images():
    similarity = torch.rand(2, 3, 2, 2, generator=torch.Generator().manual_seed(5))
    pseudo_labels = torch.tensor([[[0, 0], [2, 0]],                  # class 2 has no anchor
                                  [[IGNORE_INDEX] * 2] * 2])         # nothing left to score
    present = torch.tensor([True, True, False])
    scores = reliability_distances(similarity, pseudo_labels, present, class_scope='anchored')
    expected = sum(F.binary_cross_entropy(similarity[0, c], (pseudo_labels[0] == c).float())
                   for c in (0, 1))  # class 1 is absent: scored against zeros
    assert scores.distances[0].item() == pytest.approx(expected.item(), rel=1e-6)
    assert scores.distances[1].item() == math.inf
    assert scores.scored_classes.tolist() == [2, 0]
    assert scores.skipped_classes.tolist() == [1, 0]
    with pytest.raises(ValueError, match='class_scope'):
        reliability_distances(similarity, pseudo_labels, present, class_scope='all')
