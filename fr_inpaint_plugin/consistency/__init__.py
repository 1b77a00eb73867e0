"""Cross-image semantic consistency (METHOD.md §3.3, after CISC-R): tensors in, tensors out.

The pseudo-label hook streams the labelled set through :class:`ClassAnchorAccumulator`, scores
each unlabelled batch with :func:`anchor_similarity_maps` and :func:`reliability_distances`, and
splits the unlabelled set with :func:`split_by_reliability`. Nothing here knows datasets,
models or hooks.
"""
from .anchors import ClassAnchorAccumulator, ClassAnchors, per_image_class_means
from .ranking import (
                      DEFAULT_RELIABLE_RATIO,
                      ReliabilitySplit,
                      split_by_reliability,
                      split_per_class,
                      validated_reliable_ratio,
)
from .reliability import ReliabilityScores, reliability_distances
from .similarity import anchor_similarity_maps

__all__ = [
    'ClassAnchorAccumulator', 'ClassAnchors', 'per_image_class_means',
    'DEFAULT_RELIABLE_RATIO', 'ReliabilitySplit', 'split_by_reliability', 'split_per_class',
    'validated_reliable_ratio', 'ReliabilityScores', 'reliability_distances',
    'anchor_similarity_maps'
]
