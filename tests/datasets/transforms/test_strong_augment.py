import numpy as np
import pytest
import torch

from fr_inpaint_plugin.datasets import PseudoLabelStrongAugment

IGNORE = 255


def item(pseudo_label_path='round1/a.png', seed=0):
    rng = np.random.default_rng(seed)
    return dict(gt=rng.integers(0, 256, (32, 40, 3), dtype=np.uint8),
                gt_seg_map=rng.integers(0, 3, (32, 40), dtype=np.uint8),
                pseudo_label_path=pseudo_label_path, ignore_index=IGNORE, gt_path='a.png')


def only(**probs):
    off = dict(jitter_prob=0., grayscale_prob=0., blur_prob=0., cutout_prob=0.)
    return PseudoLabelStrongAugment(**{**off, **probs})


def test_labelled_items_pass_unchanged():
    results = item(pseudo_label_path=None)
    before = {k: v.copy() for k, v in results.items() if isinstance(v, np.ndarray)}
    out = PseudoLabelStrongAugment(jitter_prob=1, grayscale_prob=1, blur_prob=1,
                                   cutout_prob=1)(results)
    assert all((out[k] == v).all() for k, v in before.items())
    results = item()
    del results['pseudo_label_path']  # a phase without LoadPseudoLabel
    assert (PseudoLabelStrongAugment()(results)['gt'] == item()['gt']).all()


def test_labelled_prob_augments_that_share_of_labelled_items_and_zero_draws_nothing():
    torch.manual_seed(0)
    state = torch.get_rng_state()
    PseudoLabelStrongAugment()(item(pseudo_label_path=None))
    assert torch.equal(torch.get_rng_state(), state)  # the default's random stream is kept
    def turned_grey(labelled_prob):
        gt = only(grayscale_prob=1., labelled_prob=labelled_prob)(
            item(pseudo_label_path=None))['gt']
        return (gt[..., 0] == gt[..., 2]).all()

    assert turned_grey(1.)
    share = np.mean([turned_grey(0.25) for _ in range(400)])
    assert 0.18 < share < 0.32  # a quarter of them, within 3.5 binomial std


def test_all_probabilities_zero_is_the_identity_on_pseudo_labelled_items():
    results = item()
    out = only()(dict(results, gt=results['gt'].copy()))
    assert (out['gt'] == results['gt']).all()
    assert (out['gt_seg_map'] == results['gt_seg_map']).all()


def test_grayscale_makes_three_equal_channels_and_keeps_the_label():
    results = item()
    out = only(grayscale_prob=1.)(dict(results, gt=results['gt'].copy()))
    assert out['gt'].dtype == np.uint8 and out['gt'].shape == (32, 40, 3)
    assert (out['gt'][..., 0] == out['gt'][..., 1]).all()
    assert (out['gt'][..., 1] == out['gt'][..., 2]).all()
    assert (out['gt_seg_map'] == results['gt_seg_map']).all()


def test_blur_smooths_the_image():
    results = item()
    out = only(blur_prob=1., blur_sigma=(1.5, 1.5))(dict(results, gt=results['gt'].copy()))
    assert np.diff(out['gt'].astype(float), axis=1).std() < \
        0.5 * np.diff(results['gt'].astype(float), axis=1).std()


def test_cutout_ignores_the_label_exactly_where_the_image_is_replaced():
    torch.manual_seed(0)
    results = item()
    label = np.zeros((32, 40), np.uint8)  # no 255 before, so the box is all that is ignored
    out = only(cutout_prob=1., cutout_area=(0.1, 0.1), cutout_aspect=(1., 1.))(
        dict(results, gt=results['gt'].copy(), gt_seg_map=label))
    box = out['gt_seg_map'] == IGNORE
    rows, cols = np.nonzero(box)
    assert box.sum() == (np.ptp(rows) + 1) * (np.ptp(cols) + 1)  # one rectangle
    assert abs(box.sum() - 0.1 * 32 * 40) <= 20  # a tenth of the image, square
    assert (out['gt'][~box] == results['gt'][~box]).all()
    assert (out['gt'][box] != results['gt'][box]).mean() > 0.9


def test_draws_follow_torch_seed_and_jitter_changes_colours():
    transform = PseudoLabelStrongAugment(jitter_prob=1., grayscale_prob=0.)
    outs = []
    for _ in range(2):
        torch.manual_seed(3)
        results = item()
        outs.append(transform(results)['gt'])
    assert (outs[0] == outs[1]).all()
    assert (outs[0] != item()['gt']).mean() > 0.5


def test_bad_probability_and_bad_image_are_refused():
    with pytest.raises(ValueError, match='blur_prob'):
        PseudoLabelStrongAugment(blur_prob=1.5)
    with pytest.raises(ValueError, match='labelled_prob'):
        PseudoLabelStrongAugment(labelled_prob=-0.1)
    results = item()
    results['gt'] = results['gt'][..., 0]
    with pytest.raises(ValueError, match='a.png.*8-bit 3-channel'):
        PseudoLabelStrongAugment()(results)
