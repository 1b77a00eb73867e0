import pytest
import torch
import torch.nn.functional as F
from mmagic.registry import MODELS

from fr_inpaint_plugin.models.refine import label_to_onehot

NUM_CLASSES = 4


def build_spade(norm='batch', num_features=6):
    spade = MODELS.build(dict(type='SPADE', num_features=num_features,
                              label_channels=NUM_CLASSES, hidden_channels=8, norm=norm))
    spade.init_weights()
    return spade


def random_onehot(size, seed):
    labels = torch.randint(0, NUM_CLASSES, (2, 1, *size),
                           generator=torch.Generator().manual_seed(seed))
    return label_to_onehot(labels, NUM_CLASSES)


def test_output_keeps_feature_shape():
    out = build_spade()(torch.randn(2, 6, 16, 8), random_onehot((64, 32), seed=0))
    assert out.shape == (2, 6, 16, 8)


@pytest.mark.parametrize('norm', ['batch', 'instance'])
def test_norm_is_parameter_free(norm):
    spade = build_spade(norm)
    assert type(spade.norm).__name__ == {'batch': 'BatchNorm2d', 'instance': 'InstanceNorm2d'}[norm]
    assert not spade.norm.affine and list(spade.norm.parameters()) == []
    # Every learnable parameter belongs to the label-conditioned branches.
    assert {name.split('.')[0] for name, _ in spade.named_parameters()} == {
        'shared', 'gamma', 'beta'}


def test_unknown_norm_is_refused():
    with pytest.raises(ValueError, match="'batch', 'instance'"):
        build_spade(norm='group')


@pytest.mark.parametrize('norm', ['batch', 'instance'])
def test_label_map_modulates_the_output(norm):
    spade = build_spade(norm)
    x = torch.randn(2, 6, 16, 16)
    label_a, label_b = random_onehot((16, 16), seed=0), random_onehot((16, 16), seed=1)
    out_a = spade(x, label_a)
    assert torch.equal(spade(x, label_a), out_a)
    assert not torch.allclose(spade(x, label_b), out_a)


def test_label_map_is_resized_with_nearest_neighbour():
    spade = build_spade()
    x = torch.randn(2, 6, 16, 16)
    label = random_onehot((64, 64), seed=0)
    assert torch.equal(spade(x, label), spade(x, label[..., ::4, ::4]))


def test_label_to_onehot_by_hand():
    label = torch.tensor([[[[0, 3], [255, 1]]]])
    onehot = label_to_onehot(label, NUM_CLASSES)
    assert onehot.dtype == torch.float32 and onehot.shape == (1, NUM_CLASSES, 2, 2)
    # Pixel (1, 0) is ignored: an all-zero vector, not some class.
    expected = torch.tensor([[1., 0., 0., 0.], [0., 0., 0., 1.], [0., 0., 0., 0.],
                             [0., 1., 0., 0.]])
    assert torch.equal(onehot[0].permute(1, 2, 0).reshape(4, NUM_CLASSES), expected)
    assert torch.equal(onehot.sum(1), (label[:, 0] != 255).float())


def test_label_to_onehot_refuses_out_of_range_classes():
    with pytest.raises(ValueError, match=r'outside \[0, 4\).*\[4\]'):
        label_to_onehot(torch.tensor([[[[0, 4]]]]), NUM_CLASSES)
    with pytest.raises(ValueError, match=r'\(N,1,H,W\)'):
        label_to_onehot(torch.zeros(2, 3, 3, dtype=torch.long), NUM_CLASSES)


def test_ignored_pixels_match_a_zero_vector_input():
    spade = build_spade()
    labels = torch.randint(0, NUM_CLASSES, (2, 1, 16, 16))
    labels[:, :, :8] = 255
    onehot = F.one_hot(labels.clamp(max=NUM_CLASSES - 1)[:, 0], NUM_CLASSES).permute(0, 3, 1, 2)
    onehot = onehot.float() * (labels != 255)
    x = torch.randn(2, 6, 16, 16)
    assert torch.equal(spade(x, label_to_onehot(labels, NUM_CLASSES)), spade(x, onehot))
