"""The cross-image consistency loss against hand-computed values on tiny tensors."""
import math

import pytest
import torch

from fr_inpaint_plugin.consistency.cross_image_loss import (
    EPS,
    cross_image_consistency_loss,
    draw_pairs,
    masked_prototype,
    prototype_bce,
)

IGNORE = 255


def test_masked_prototype_is_the_mean_over_the_mask():
    features = torch.arange(8.).view(2, 2, 2)  # channel 0: 0..3, channel 1: 4..7
    mask = torch.tensor([[True, False], [False, True]])
    assert masked_prototype(features, mask).tolist() == [1.5, 5.5]


def test_prototype_bce_by_hand():
    # pixel features (1,0), (0,1), (1,1); prototype (1,0): cosines 1, 0, 1/sqrt(2)
    features = torch.tensor([[1., 0., 1.], [0., 1., 1.]]).view(2, 1, 3)
    target = torch.tensor([[True, False, False]])
    valid = torch.ones(1, 3, dtype=torch.bool)
    expected = (-math.log(1 - EPS) - math.log(1 - EPS) - math.log(1 - 2**-0.5)) / 3
    assert prototype_bce(features, torch.tensor([1., 0.]), target, valid).item() == \
        pytest.approx(expected, rel=1e-5)
    # the third pixel ignored: only the two saturated ones are left
    valid[0, 2] = False
    assert prototype_bce(features, torch.tensor([1., 0.]), target, valid).item() == \
        pytest.approx(0, abs=2e-6)  # -log(1 - EPS), in float32


def test_pairs_are_consecutive_labelled_images_sharing_a_class():
    present = torch.tensor([[True, False, True], [True, False, False], [False, True, False],
                            [False, True, True]])
    torch.manual_seed(0)
    pairs = draw_pairs(present, [0, 1, 2, 3])
    # 0-1 share class 0; 1-2 share none; 2-3 share class 1; 3-0 share class 2
    assert pairs == [(0, 1, 0), (2, 3, 1), (3, 0, 2)]
    assert draw_pairs(present, [0, 1]) == [(0, 1, 0)]  # one pair, not twice
    assert draw_pairs(present, [0]) == []


def test_loss_by_hand_on_a_two_image_batch():
    # image 0: left column class 0, right column class 1; image 1: all class 0 except one
    # ignored pixel. Only class 0 is shared.
    labels = torch.tensor([[[0, 1], [0, 1]], [[0, 0], [0, IGNORE]]])
    features = torch.zeros(2, 2, 2, 2)
    features[0, 0, :, 0] = 1.  # image 0, class-0 pixels: (1, 0)
    features[0, 1, :, 1] = 1.  # image 0, class-1 pixels: (0, 1)
    features[1, 0] = 1.  # image 1: (1, 1) everywhere
    features[1, 1] = 1.
    loss = cross_image_consistency_loss(features, labels, num_classes=2)
    c = 2**-0.5  # cosine of (1,0) or (0,1) with (1,1)
    # 0 -> 1: prototype of class 0 in image 1 = (1,1); image 0's cosines: c (class 0), c (not)
    to_image0 = (-2 * math.log(c) - 2 * math.log(1 - c)) / 4
    # 1 -> 0: prototype of class 0 in image 0 = (1,0); image 1's 3 valid pixels, all class 0,
    # cosine c each
    to_image1 = -math.log(c)
    assert loss.item() == pytest.approx((to_image0 + to_image1) / 2, rel=1e-5)


def test_pseudo_labelled_items_take_no_part_and_gradients_flow():
    labels = torch.zeros(2, 4, 4, dtype=torch.long)
    features = torch.rand(2, 3, 2, 2, requires_grad=True)
    loss = cross_image_consistency_loss(features, labels, 2)
    loss.backward()
    assert loss.item() > 0 and features.grad.abs().sum() > 0
    none = cross_image_consistency_loss(features, labels, 2, labelled=torch.tensor([True, False]))
    assert none.item() == 0 and none.requires_grad


def test_bad_labels_are_refused():
    with pytest.raises(ValueError, match='outside'):
        cross_image_consistency_loss(torch.rand(1, 2, 2, 2), torch.full((1, 2, 2), 7), 2)
