import math

import numpy as np
import pytest
import torch

from fr_inpaint_plugin.datasets.hole_masks import HOLE_RATIO_BUCKETS, hole_ratio
from fr_inpaint_plugin.evaluation import MaskRatioBuckets

from .samples import hole_mask


def test_default_buckets_and_keys():
    buckets = MaskRatioBuckets()
    assert buckets.bounds == HOLE_RATIO_BUCKETS
    assert buckets.labels == ('0-20', '20-40', '40-60')
    assert buckets.keys('PSNR') == ['PSNR@0-20', 'PSNR@20-40', 'PSNR@40-60', 'PSNR@all']


@pytest.mark.parametrize('ratio, label', [
    (0.0, None),          # (0, ...] excludes a mask without holes
    (1e-9, '0-20'),
    (0.2, '0-20'),        # an edge goes to the lower bucket
    (0.2000001, '20-40'),
    (0.4, '20-40'),
    (0.6, '40-60'),
    (0.61, None),
    (1.0, None),
])
def test_find_is_half_open(ratio, label):
    assert MaskRatioBuckets().find(ratio) == label


def test_mask_ratios_exactly_on_edges_go_to_the_lower_bucket():
    buckets = MaskRatioBuckets()
    # 20 and 40 holes of 100 pixels: the float64 mean is exactly 0.2 / 0.4.
    assert hole_ratio(hole_mask(10, 10, 20)) == 0.2
    assert buckets.find(hole_ratio(hole_mask(10, 10, 20))) == '0-20'
    assert buckets.find(hole_ratio(hole_mask(10, 10, 40))) == '20-40'
    assert buckets.find(hole_ratio(hole_mask(10, 10, 60))) == '40-60'
    assert buckets.find(hole_ratio(hole_mask(10, 10, 0))) is None


def test_hole_ratio_accepts_shapes_dtypes_and_rejects_bad_masks():
    mask = hole_mask(4, 5, 5)
    assert hole_ratio(mask) == 0.25
    assert hole_ratio(mask.float().view(4, 5, 1).numpy()) == 0.25
    assert hole_ratio(mask.bool()) == 0.25
    assert hole_ratio(np.full((2, 2), 0.5)) == 0.5
    with pytest.raises(ValueError, match=r'\[0, 1\]'):
        hole_ratio(mask * 255)
    with pytest.raises(ValueError, match='empty'):
        hole_ratio(torch.zeros(0))


def test_custom_buckets_labels_and_validation():
    buckets = MaskRatioBuckets([[0.0, 0.125], [0.5, 1]])
    assert buckets.labels == ('0-12.5', '50-100')
    assert buckets.find(0.3) is None
    with pytest.raises(ValueError, match='ratios, not percentages'):
        MaskRatioBuckets([(0, 20)])
    with pytest.raises(ValueError, match='overlap'):
        MaskRatioBuckets([(0, 0.3), (0.2, 0.4)])
    with pytest.raises(ValueError, match='pair'):
        MaskRatioBuckets([(0, 0.1, 0.2)])
    with pytest.raises(ValueError, match='at least one'):
        MaskRatioBuckets([])


def test_summarise_means_all_and_empty_buckets():
    buckets = MaskRatioBuckets()
    ratios = [0.1, 0.2, 0.3, 0.0, 0.9]
    scores = [1.0, 3.0, 5.0, 7.0, 9.0]
    summary = buckets.summarise('X', ratios, scores)
    assert list(summary) == buckets.keys('X')
    assert summary['X@0-20'] == 2.0
    assert summary['X@20-40'] == 5.0
    assert math.isnan(summary['X@40-60'])           # empty bucket -> nan
    assert summary['X@all'] == 5.0                   # includes the out-of-bucket images
    assert buckets.counts(ratios) == {'0-20': 2, '20-40': 1, '40-60': 0, None: 2, 'all': 5}
