"""Similarity maps: cosine of every pixel feature to every class anchor (METHOD.md §3.3, 2).

Choices:

* The cosine is taken at feature resolution and the (N,K,h,w) maps are then upsampled
  (bilinear, ``align_corners=False``) to the label size, as CISC-R does: upsampling K maps is
  far cheaper than upsampling C feature channels, and bilinear weights are convex, so the maps
  stay within [-1, 1].
* A pixel whose feature is all zero (possible after the decoder's ReLU) has similarity 0 to
  every anchor: it carries no evidence for any class.
* Classes without an anchor (``present`` false) get similarity 0 everywhere, read as "no
  evidence for this class". :func:`.reliability.reliability_distances` skips these classes, so
  the value never enters a distance; it is only a defined, finite placeholder.
"""
from __future__ import annotations

from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from ._tensors import check_anchor_mask, check_same_device, validated_float_maps
from .anchors import ClassAnchors


def anchor_similarity_maps(features: Tensor, class_anchors: ClassAnchors,
                           output_size: Tuple[int, int]) -> Tensor:
    """(N,K,H,W) cosine similarity between each pixel feature and each class anchor.

    Args:
        features: (N,C,h,w) per-pixel decoder features, any floating dtype.
        class_anchors: ``(anchors (K,C), present (K,) bool)`` from
            :meth:`.anchors.ClassAnchorAccumulator.compute`, on the features' device.
        output_size: (H, W), the label size the maps are upsampled to.

    Returns:
        Similarities in [-1, 1] in float32 (float64 for float64 features); 0 for classes
        without an anchor.
    """
    features = validated_float_maps(features, 'features')
    anchors, present = class_anchors
    if anchors.dim() != 2 or anchors.shape[1] != features.shape[1]:
        raise ValueError(f'anchors must be (K,{features.shape[1]}) to match the features, got '
                         f'shape {tuple(anchors.shape)}')
    check_anchor_mask(present, anchors.shape[0])
    check_same_device(features, anchors, 'features and anchors')
    unit_features = F.normalize(features, dim=1)
    unit_anchors = F.normalize(anchors.to(features.dtype), dim=1)
    unit_anchors = unit_anchors * present.to(features.dtype).unsqueeze(1)
    similarity = torch.einsum('nchw,kc->nkhw', unit_features, unit_anchors)
    return F.interpolate(similarity, size=tuple(output_size), mode='bilinear',
                         align_corners=False)
