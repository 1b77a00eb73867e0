import pytest
import torch

from fr_inpaint_plugin.consistency import ClassAnchors, anchor_similarity_maps

ANCHORS = ClassAnchors(anchors=torch.tensor([[1.0, 2.0, 0.0], [0.0, 0.0, 3.0], [1.0, 1.0, 1.0]]),
                       present=torch.tensor([True, True, False]))


def features_at_pixels(*vectors) -> torch.Tensor:
    """(1,C,1,P): one pixel per given feature vector."""
    return torch.stack(vectors, dim=1).unsqueeze(0).unsqueeze(2)


def test_a_feature_equal_to_an_anchor_has_similarity_one():
    anchor = ANCHORS.anchors[0]
    features = features_at_pixels(anchor, 5 * anchor, -anchor, torch.tensor([-2.0, 1.0, 0.0]))
    similarity = anchor_similarity_maps(features, ANCHORS, output_size=(1, 4))
    assert torch.allclose(similarity[0, 0, 0], torch.tensor([1.0, 1.0, -1.0, 0.0]), atol=1e-6)
    assert torch.allclose(similarity[0, 1, 0], torch.zeros(4), atol=1e-6)  # orthogonal


def test_classes_without_an_anchor_and_zero_features_give_zero():
    features = features_at_pixels(torch.tensor([1.0, 1.0, 1.0]), torch.zeros(3))
    similarity = anchor_similarity_maps(features, ANCHORS, output_size=(1, 2))
    assert torch.equal(similarity[0, 2], torch.zeros(1, 2))  # class 2 has no anchor
    assert torch.equal(similarity[0, :, 0, 1], torch.zeros(3))  # an all-zero feature pixel


def test_maps_are_upsampled_to_the_label_size_and_stay_in_range():
    generator = torch.Generator().manual_seed(0)
    features = torch.randn(2, 3, 4, 5, generator=generator)
    similarity = anchor_similarity_maps(features, ANCHORS, output_size=(8, 10))
    assert similarity.shape == (2, 3, 8, 10)
    assert similarity.abs().max() <= 1 + 1e-6
    constant = anchor_similarity_maps(features_at_pixels(ANCHORS.anchors[1]).expand(1, 3, 2, 1),
                                      ANCHORS, output_size=(6, 3))
    assert torch.allclose(constant[0, 1], torch.ones(6, 3), atol=1e-6)


def test_deterministic_and_half_precision_widened():
    generator = torch.Generator().manual_seed(1)
    features = torch.randn(2, 3, 4, 4, generator=generator)
    first = anchor_similarity_maps(features, ANCHORS, (8, 8))
    assert torch.equal(first, anchor_similarity_maps(features, ANCHORS, (8, 8)))
    half = anchor_similarity_maps(features.half(), ANCHORS, (8, 8))
    assert half.dtype == torch.float32
    assert torch.allclose(half, first, atol=2e-3)


@pytest.mark.parametrize('class_anchors, message', [
    (ClassAnchors(torch.ones(3, 4), torch.ones(3, dtype=torch.bool)), r'\(K,3\)'),
    (ClassAnchors(torch.ones(3, 3), torch.ones(3)), 'bool mask'),
    (ClassAnchors(torch.ones(3, 3), torch.ones(2, dtype=torch.bool)), 'bool mask'),
    (ClassAnchors(torch.ones(3, 3, device='meta'), torch.ones(3, dtype=torch.bool)),
     'same device'),
])
def test_bad_anchors_are_refused(class_anchors, message):
    with pytest.raises(ValueError, match=message):
        anchor_similarity_maps(torch.rand(1, 3, 2, 2), class_anchors, (2, 2))
