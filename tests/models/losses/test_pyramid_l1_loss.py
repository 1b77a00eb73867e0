import pytest
import torch
from mmagic.registry import MODELS


def test_equals_a_hand_computation():
    loss = MODELS.build(dict(type='PyramidL1Loss', loss_weight=0.5))
    target = torch.arange(16.).view(1, 1, 4, 4)
    # Box averages of the target: 7.5 at 1x1; [[2.5, 4.5], [10.5, 12.5]] at 2x2.
    pyramid = [torch.zeros(1, 1, 1, 1), torch.ones(1, 1, 2, 2)]
    by_hand = abs(7.5 - 0) + (1.5 + 3.5 + 9.5 + 11.5) / 4
    assert loss(pyramid, target).item() == pytest.approx(0.5 * by_hand)


def test_zero_for_a_perfect_pyramid_and_gradients_reach_every_level():
    loss = MODELS.build(dict(type='PyramidL1Loss'))
    target = torch.rand(2, 3, 16, 16)
    # Block means over 4x4 and 2x2 cells: the target seen at 1/4 and 1/2 scale.
    perfect = [target.view(2, 3, 4, 4, 4, 4).mean((3, 5)),
               target.view(2, 3, 8, 2, 8, 2).mean((3, 5))]
    assert loss(perfect, target).item() == pytest.approx(0, abs=1e-6)
    pyramid = [torch.zeros(2, 3, size, size, requires_grad=True) for size in (4, 8)]
    loss(pyramid, target).backward()
    assert all(level.grad.abs().sum() > 0 for level in pyramid)


def test_refuses_an_empty_pyramid():
    with pytest.raises(ValueError, match='num_pyramid=0'):
        MODELS.build(dict(type='PyramidL1Loss'))([], torch.rand(1, 3, 8, 8))
