"""Query pool and pixel-level recorrection weights against hand-computed values."""

import pytest
import torch

from fr_inpaint_plugin.consistency.query_pool import (
    QueryPool,
    build_query_pool,
    class_mean_normalised,
    load_query_pool,
    pixel_weights,
    save_query_pool,
)

IGNORE = 255


def test_pool_keeps_the_better_part_of_each_class_holders():
    # 3 labelled images, 2 classes: class 0 in all three, class 1 in images 0 and 2
    terms = torch.tensor([[0.3, 0.9], [0.1, 0.0], [0.2, 0.5]])
    in_label = torch.tensor([[True, True], [True, False], [True, True]])
    means = torch.arange(12.).view(3, 2, 2)
    pool = build_query_pool(terms, in_label, means, ['a', 'b', 'c'], ratio=0.5)
    # class 0: ranked b (0.1), c (0.2), a (0.3); ceil(1.5) = 2 kept
    assert pool.image_keys == [['b', 'c'], ['c']]
    assert pool.prototypes[0].tolist() == [means[1, 0].tolist(), means[2, 0].tolist()]
    assert pool.prototypes[1].tolist() == [means[2, 1].tolist()]
    everything = build_query_pool(terms, in_label, means, ['a', 'b', 'c'], ratio=1.0)
    assert everything.image_keys == [['b', 'c', 'a'], ['c', 'a']]


def test_a_class_without_holders_has_an_empty_pool():
    pool = build_query_pool(torch.zeros(1, 2), torch.tensor([[True, False]]),
                            torch.ones(1, 2, 3), ['a'])
    assert pool.prototypes[1].shape == (0, 3) and pool.image_keys[1] == []


@pytest.mark.parametrize('ratio', [0, 1.5])
def test_bad_ratio(ratio):
    with pytest.raises(ValueError, match='ratio'):
        build_query_pool(torch.zeros(1, 1), torch.ones(1, 1, dtype=torch.bool),
                         torch.ones(1, 1, 2), ['a'], ratio=ratio)


def test_save_and_load_round_trip(tmp_path):
    pool = QueryPool([torch.ones(2, 3), torch.zeros(0, 3)], [['a', 'b'], []])
    save_query_pool(pool, str(tmp_path / 'query_pool.pth'))
    loaded = load_query_pool(str(tmp_path / 'query_pool.pth'))
    assert torch.equal(loaded.prototypes[0], pool.prototypes[0])
    assert loaded.image_keys == pool.image_keys
    with pytest.raises(FileNotFoundError, match='CrossImagePseudoLabelHook'):
        load_query_pool(str(tmp_path / 'missing.pth'))


def test_pixel_weights_by_hand():
    # one image, features (1,0), (0,1), (1,1) and an ignored pixel; pseudo-label 0, 1, 0, -;
    # only class 0 has a pool, prototype (1,0): cosines 1, 0, 1/sqrt(2)
    features = torch.tensor([[1., 0., 1., 0.], [0., 1., 1., 0.]]).view(1, 2, 1, 4)
    labels = torch.tensor([[[0, 1, 0, IGNORE]]])
    pool = QueryPool([torch.tensor([[1., 0.]]), torch.zeros(0, 2)], [['x'], []])
    weights = pixel_weights(features, labels, pool)
    c = 2**-0.5
    # class 0 pixels: 1 - |1 - s|; the class-1 pixel: 1 - |0 - 0|; the zero feature: 1 - |0 - 0|
    assert weights[0, 0].tolist() == pytest.approx([1., 1., c, 1.])


def test_images_without_pooled_classes_keep_weight_one():
    pool = QueryPool([torch.zeros(0, 2), torch.tensor([[1., 0.]])], [[], ['x']])
    weights = pixel_weights(torch.rand(2, 2, 2, 2), torch.zeros(2, 4, 4, dtype=torch.long), pool)
    assert torch.equal(weights, torch.ones(2, 4, 4))


def test_pairs_draw_among_the_images_classes():
    torch.manual_seed(0)
    pool = QueryPool([torch.tensor([[1., 0.]]), torch.tensor([[0., 1.]]), torch.tensor([[1., 1.]])],
                     [['x'], ['y'], ['z']])
    features = torch.tensor([1., 1.]).view(1, 2, 1, 1).expand(1, 2, 2, 2)
    labels = torch.tensor([[[0, 0], [1, 1]]])  # class 2 has a pool but is not in the image
    drawn = {tuple(round(w, 4) for w in pixel_weights(features, labels, pool)[0].flatten().tolist())
             for _ in range(30)}
    c = round(2**-0.5, 4)  # every pixel's cosine to either prototype
    # class 0 drawn: its pixels weigh 1 - |1 - c|, class-1 pixels 1 - |0 - c|; class 1 the other
    # way round; class 2 is never drawn: it is not in the pseudo-label
    assert drawn == {(c, c, round(1 - c, 4), round(1 - c, 4)),
                     (round(1 - c, 4), round(1 - c, 4), c, c)}


def test_class_mean_normalisation_by_hand():
    # two images; class 0 weights 0.2, 0.6 (image 0) and 0.4 (image 1): mean 0.4; class 1
    # weights 0.5, 1.0: mean 0.75; the ignored pixel keeps 0.3; class 2 all 0 keeps 0
    weights = torch.tensor([[[0.2, 0.6, 0.5, 0.3]], [[0.4, 1.0, 0.0, 0.0]]])
    labels = torch.tensor([[[0, 0, 1, IGNORE]], [[0, 1, 2, 2]]])
    normalised = class_mean_normalised(weights, labels)
    assert normalised[0, 0].tolist() == pytest.approx([0.5, 1.5, 0.5 / 0.75, 0.3])
    assert normalised[1, 0].tolist() == pytest.approx([1.0, 1.0 / 0.75, 0.0, 0.0])
    for c in (0, 1):
        assert normalised[labels == c].mean().item() == pytest.approx(1.0)
    with pytest.raises(ValueError, match='same shape'):
        class_mean_normalised(weights, labels[:1])
