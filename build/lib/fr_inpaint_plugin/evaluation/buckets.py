"""Grouping per-image scores by the hole ratio of their mask (METHOD.md, §4.1 protocol).

The paper reports every metric per hole-ratio bucket, (0,20%], (20,40%], (40,60%], plus the
average over all test images. This module knows nothing about images or metrics: it turns
(hole ratio, score) pairs into the reported numbers; the hole ratio, the buckets and their
half-open ``(low, high]`` rule come from :mod:`fr_inpaint_plugin.datasets.hole_masks`, where the
mask lists and the mask transforms get them. Every bucketed metric of
:mod:`fr_inpaint_plugin.evaluation` uses it.

Choices (documented here once, for all metrics):

* ``<metric>@all`` averages every scored image, including images whose ratio lies outside every
  bucket; the metrics warn once about such images (or raise with ``strict=True``).
* A bucket without images reports ``nan`` (its key is always present, so tables and
  ``save_best`` keys stay stable); ``nan`` never looks like a real score.
"""
from __future__ import annotations

import math
from typing import Iterable, List, Optional, Sequence, Tuple

import numpy as np

from ..datasets.hole_masks import HOLE_RATIO_BUCKETS, bucket_of

ALL_LABEL = 'all'


def _percent(value: float) -> str:
    """0.2 -> '20', 0.125 -> '12.5' (rounded away from float noise such as 60.000000000000007)."""
    return f'{round(value * 100, 6):g}'


class MaskRatioBuckets:
    """Half-open hole-ratio buckets ``(low, high]`` and the per-bucket summary of scores.

    Args:
        buckets: ``(low, high)`` pairs with ``0 <= low < high <= 1``, in increasing order and not
            overlapping (gaps are allowed). Their labels are the percentages, e.g. ``'0-20'``.
    """

    def __init__(self, buckets: Sequence[Sequence[float]] = HOLE_RATIO_BUCKETS) -> None:
        bounds = []
        for bucket in buckets:
            if isinstance(bucket, (str, bytes)) or len(bucket) != 2:
                raise ValueError(f'a bucket is a (low, high) pair of ratios, got {bucket!r}')
            low, high = (float(edge) for edge in bucket)
            if not 0.0 <= low < high <= 1.0:
                raise ValueError(
                    f'a bucket needs 0 <= low < high <= 1 (ratios, not percentages), got '
                    f'({low}, {high})')
            bounds.append((low, high))
        if not bounds:
            raise ValueError('at least one bucket is needed')
        for (_, previous_high), (low, _) in zip(bounds, bounds[1:]):
            if low < previous_high:
                raise ValueError(f'buckets must be increasing and must not overlap: {bounds}')
        self.bounds: Tuple[Tuple[float, float], ...] = tuple(bounds)
        self.labels: Tuple[str, ...] = tuple(f'{_percent(low)}-{_percent(high)}'
                                             for low, high in bounds)
        if len(set(self.labels)) != len(self.labels):
            raise ValueError(f'bucket labels collide: {self.labels}')

    def __repr__(self) -> str:
        return f'{type(self).__name__}({list(self.bounds)})'

    def find(self, ratio: float) -> Optional[str]:
        """The label of the bucket ``(low, high]`` holding ``ratio``, or None if none does."""
        index = bucket_of(ratio, self.bounds)
        return None if index is None else self.labels[index]

    def keys(self, metric: str) -> List[str]:
        """The result keys for ``metric``: one per bucket, then ``<metric>@all``."""
        return [f'{metric}@{label}' for label in (*self.labels, ALL_LABEL)]

    def summarise(self, metric: str, ratios: Iterable[float],
                  scores: Iterable[float]) -> dict:
        """Mean score per bucket and over all images, keyed ``<metric>@<label>``.

        Images outside every bucket count in ``@all`` only; a bucket without images is ``nan``.
        """
        grouped = {label: [] for label in (*self.labels, ALL_LABEL)}
        for ratio, score in zip(ratios, scores, strict=True):
            score = float(score)
            grouped[ALL_LABEL].append(score)
            label = self.find(float(ratio))
            if label is not None:
                grouped[label].append(score)
        return {f'{metric}@{label}': (float(np.mean(values)) if values else math.nan)
                for label, values in grouped.items()}

    def counts(self, ratios: Iterable[float]) -> dict:
        """How many images fall in each bucket, outside every bucket (``None``), and in all."""
        counts = {label: 0 for label in self.labels}
        counts[None] = 0
        total = 0
        for ratio in ratios:
            counts[self.find(float(ratio))] += 1
            total += 1
        counts[ALL_LABEL] = total
        return counts
