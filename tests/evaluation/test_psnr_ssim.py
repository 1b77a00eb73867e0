import math

import numpy as np
import pytest
import torch
from mmagic.evaluation import PSNR, SSIM

from fr_inpaint_plugin.evaluation import PSNR_CAP_DB, MaskRatioPSNR, MaskRatioSSIM
from fr_inpaint_plugin.evaluation import base as base_module

from .samples import hole_mask, make_sample, perturbed, smooth_image

SIZE = 20  # 400 pixels: 80 and 160 holes are exactly 20% and 40%


def offset_sample(offset: int, holes: int):
    """gt = 100 everywhere, pred = gt + offset: MSE = offset**2, PSNR = 20 log10(255 / offset)."""
    gt = np.full((SIZE, SIZE, 3), 100, np.uint8)
    return make_sample(gt, gt + np.uint8(offset), hole_mask(SIZE, SIZE, holes))


def known_psnr(offset: int) -> float:
    return 20 * math.log10(255 / offset)


def run(metric, samples):
    metric.process(None, [sample.to_dict() for sample in samples])
    return metric.evaluate()


def test_per_bucket_psnr_on_hand_made_predictions(monkeypatch):
    warnings = []
    monkeypatch.setattr(base_module, 'print_log',
                        lambda message, **kwargs: warnings.append(message))
    samples = [offset_sample(1, 40), offset_sample(2, 80),     # 10%, 20% (edge -> 0-20)
               offset_sample(4, 120), offset_sample(8, 160),   # 30%, 40% (edge -> 20-40)
               offset_sample(16, 200),                          # 50%
               offset_sample(0, 0), offset_sample(0, 300)]      # 0% and 75%: outside, capped
    metrics = run(MaskRatioPSNR(), samples)
    assert list(metrics) == ['PSNR@0-20', 'PSNR@20-40', 'PSNR@40-60', 'PSNR@all']
    assert metrics['PSNR@0-20'] == pytest.approx((known_psnr(1) + known_psnr(2)) / 2, abs=1e-4)
    assert metrics['PSNR@20-40'] == pytest.approx((known_psnr(4) + known_psnr(8)) / 2, abs=1e-4)
    assert metrics['PSNR@40-60'] == pytest.approx(known_psnr(16), abs=1e-4)
    expected_all = (sum(known_psnr(d) for d in (1, 2, 4, 8, 16)) + 2 * PSNR_CAP_DB) / 7
    assert metrics['PSNR@all'] == pytest.approx(expected_all, abs=1e-4)
    outside = [message for message in warnings if 'outside every bucket' in message
               and 'warned once' in message]
    assert len(outside) == 1  # two images outside, one warning


def test_identical_images_cap_psnr_instead_of_inf():
    metrics = run(MaskRatioPSNR(), [offset_sample(0, 40), offset_sample(0, 100)])
    assert PSNR_CAP_DB == 100.0
    assert metrics['PSNR@0-20'] == 100.0 and metrics['PSNR@20-40'] == 100.0
    assert metrics['PSNR@all'] == 100.0
    assert run(MaskRatioPSNR(max_db=60), [offset_sample(0, 40)])['PSNR@all'] == 60.0


def test_empty_bucket_is_nan_and_prefix_applies():
    metrics = run(MaskRatioPSNR(prefix='val'), [offset_sample(1, 40)])
    assert list(metrics) == ['val/PSNR@0-20', 'val/PSNR@20-40', 'val/PSNR@40-60', 'val/PSNR@all']
    assert math.isnan(metrics['val/PSNR@20-40']) and math.isnan(metrics['val/PSNR@40-60'])


def test_strict_rejects_images_outside_every_bucket():
    with pytest.raises(ValueError, match='outside every bucket'):
        run(MaskRatioPSNR(strict=True), [offset_sample(1, 0)])


def test_custom_buckets():
    metrics = run(MaskRatioSSIM(buckets=[(0, 0.5), (0.5, 1)]), [offset_sample(1, 40)])
    assert list(metrics) == ['SSIM@0-50', 'SSIM@50-100', 'SSIM@all']


def natural_samples(count=4, size=32):
    masks = [hole_mask(size, size, holes) for holes in (100, 300, 500, 20)]
    return [make_sample(smooth_image(size, i), perturbed(smooth_image(size, i), 10 + i, 4 + 6 * i),
                        masks[i % len(masks)]) for i in range(count)]


@pytest.mark.parametrize('convert_to', [None, 'Y'])
def test_ssim_and_psnr_equal_mmagics_own(convert_to):
    samples = natural_samples()
    for ours, theirs, key in ((MaskRatioSSIM, SSIM, 'SSIM'), (MaskRatioPSNR, PSNR, 'PSNR')):
        ours_metric = ours(convert_to=convert_to, crop_border=2)
        theirs_metric = theirs(convert_to=convert_to, crop_border=2)
        for sample in samples:  # one at a time: per-image agreement
            ours_metric.process(None, [sample.to_dict()])
            theirs_metric.process(None, [sample.to_dict()])
        ours_scores = [result[key] for result in ours_metric.results]
        theirs_scores = [float(result[key]) for result in theirs_metric.results]
        assert ours_scores == pytest.approx(theirs_scores, rel=1e-9, abs=1e-9)
        assert ours_metric.evaluate()[f'{key}@all'] == pytest.approx(
            theirs_metric.compute_metrics(theirs_metric.results)[key], rel=1e-9)


def test_channel_order_is_checked_against_metainfo():
    with pytest.raises(ValueError, match="BGR according to its metainfo.*'RGB'"):
        run(MaskRatioPSNR(channel_order='RGB'), [offset_sample(1, 40)])
    # Without metainfo the configured order is trusted.
    sample = make_sample(*[np.zeros((SIZE, SIZE, 3), np.uint8)] * 2, hole_mask(SIZE, SIZE, 40),
                         with_metainfo=False)
    assert run(MaskRatioPSNR(channel_order='RGB'), [sample])['PSNR@0-20'] == 100.0


def test_invalid_samples_raise_clear_errors():
    good = offset_sample(1, 40).to_dict()
    with pytest.raises(ValueError, match='differ in shape'):
        bad = dict(good, output={'pred_img': torch.zeros(3, SIZE, SIZE + 1)})
        MaskRatioPSNR().process(None, [bad])
    with pytest.raises(ValueError, match=r'\[0, 255\]'):
        bad = dict(good, output={'pred_img': torch.full((3, SIZE, SIZE), -1.0)})
        MaskRatioPSNR().process(None, [bad])
    with pytest.raises(ValueError, match='3-channel'):
        MaskRatioPSNR().process(None, [dict(good, gt_img=torch.zeros(1, SIZE, SIZE))])
    with pytest.raises(ValueError, match='does not match the image size'):
        MaskRatioPSNR().process(None, [dict(good, mask=torch.zeros(1, 4, 4))])
    with pytest.raises(KeyError, match="'mask'"):
        MaskRatioPSNR().process(None, [{k: v for k, v in good.items() if k != 'mask'}])
    with pytest.raises(ValueError, match='channel_order'):
        MaskRatioPSNR(channel_order='YUV')


def test_hwc_input_order_and_numpy_images():
    gt = np.full((SIZE, SIZE, 3), 100, np.float32)
    mask = np.zeros((SIZE, SIZE, 1))
    mask[:2] = 1  # 10% holes
    sample = {'gt_img': gt, 'mask': mask, 'output': {'pred_img': gt + 1}}
    metric = MaskRatioPSNR(input_order='HWC')
    metric.process(None, [sample])
    assert metric.evaluate()['PSNR@0-20'] == pytest.approx(known_psnr(1), abs=1e-4)
