"""The cross-image consistency loss of supervised training (CISC-R; METHOD.md §3.3).

Labelled images are paired within the batch (each with the next labelled one, the last with the
first). For a pair (A, B) sharing classes, one shared class ``c`` is drawn; the prototype of
``c`` in B is the mask-weighted average of B's features over B's pixels of ``c``; every pixel
feature of A is compared with it by cosine similarity, and the binary cross-entropy of that map
against A's binary map of ``c`` (A's ignored pixels left out) is the pair's term; the same runs
from A to B. The loss is the mean over both directions of every pair that shares a class; it
makes the decoder features prototype-consistent across images, so that the class anchors of the
pseudo-label ranking mean something.

Choices: this runs at every training step, so it works at the decoder's resolution. A prototype
pools the features weighted by the fraction of each feature pixel's area that the class covers
in the label (the label's binary map area-averaged to the feature size), and the cosine map is
computed at feature resolution and upsampled (bilinear) to the label size for the BCE, as
:mod:`.similarity` does. (Upsampling the 256-d features to the label size first, as the offline
anchors do, cost 7 s per batch of 8 at 128x128 on 2 CPU cores; this costs milliseconds.) The
similarity becomes a probability by ``clamp(s, 0, 1)`` (post-ReLU features give cosines in
[0, 1] already); ``log`` is taken of probabilities clamped to ``[EPS, 1 - EPS]`` so a saturated
pixel gives a finite loss and gradient. The class is drawn with torch's global random
generator (MMEngine's ``randomness.seed`` fixes it).
"""
from __future__ import annotations

from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

from ._tensors import (
    IGNORE_INDEX,
    check_same_device,
    class_indicators,
    validated_float_maps,
    validated_label_map,
)

EPS = 1e-6


def masked_prototype(features: Tensor, mask: Tensor) -> Tensor:
    """(C,) mean of ``features`` (C,h,w) weighted by the fraction of each feature pixel that
    ``mask`` (H,W, a multiple of h,w or not) covers: the mask area-averaged to (h,w)."""
    weights = F.adaptive_avg_pool2d(mask[None, None].to(features.dtype),
                                    features.shape[-2:])[0, 0]
    return (features * weights).flatten(1).sum(1) / weights.sum().clamp(min=1e-12)


def prototype_bce(features: Tensor, prototype: Tensor, target: Tensor, valid: Tensor) -> Tensor:
    """Mean BCE, over the ``valid`` pixels of ``target`` (H,W), of the cosine similarity of every
    pixel of ``features`` (C,h,w) to ``prototype`` (C,), upsampled to (H,W) and clamped to
    [0, 1], against ``target``."""
    similarity = F.cosine_similarity(features, prototype[:, None, None], dim=0)
    if similarity.shape != target.shape:
        similarity = F.interpolate(similarity[None, None], size=target.shape, mode='bilinear',
                                   align_corners=False)[0, 0]
    probability = similarity.clamp(0, 1).clamp(EPS, 1 - EPS)
    bce = -torch.where(target, probability.log(), (1 - probability).log())
    return bce[valid].mean()


def draw_pairs(present: Tensor, labelled: List[int]) -> List[Tuple[int, int, int]]:
    """``(a, b, class)`` per pair of consecutive labelled images (cyclic) sharing a class, the
    class drawn uniformly among the shared ones."""
    pairs = []
    if len(labelled) < 2:
        return pairs
    for position, a in enumerate(labelled):
        b = labelled[(position + 1) % len(labelled)]
        if len(labelled) == 2 and position == 1:
            break  # two images make one pair, not the same pair twice
        shared = (present[a] & present[b]).nonzero().flatten()
        if len(shared):
            pairs.append((a, b, int(shared[torch.randint(len(shared), ())])))
    return pairs


def cross_image_consistency_loss(features: Tensor, labels: Tensor, num_classes: int,
                                 labelled: Optional[Tensor] = None,
                                 ignore_index: int = IGNORE_INDEX) -> Tensor:
    """The loss of a batch.

    Args:
        features: (N,C,h,w) decoder features (post-ReLU in DeepLabV3+), with their graph.
        labels: (N,H,W) or (N,1,H,W) class ids, ``ignore_index`` for unlabelled pixels.
        labelled: (N,) bool, the items whose labels are ground truth (pseudo-labelled items
            take no part); default: every item with a labelled pixel.

    Returns:
        A scalar; zero (still attached to ``features``) when no pair shares a class.
    """
    validated_float_maps(features, 'features')  # checks only: keep the caller's dtype/graph
    labels = validated_label_map(labels, num_classes, ignore_index, 'labels')
    check_same_device(features, labels, 'features and labels')
    if features.shape[0] != labels.shape[0]:
        raise ValueError(f'features hold {features.shape[0]} images, labels {labels.shape[0]}')
    valid = labels != ignore_index
    present = class_indicators(labels, num_classes).any(dim=2)  # (N,K)
    candidates = valid.flatten(1).any(dim=1)
    if labelled is not None:
        candidates &= labelled.to(candidates.device).bool()
    pairs = draw_pairs(present, candidates.nonzero().flatten().tolist())
    if not pairs:
        return features.sum() * 0
    terms = []
    for a, b, c in pairs:
        for query, support in ((a, b), (b, a)):
            prototype = masked_prototype(features[support], labels[support] == c)
            terms.append(prototype_bce(features[query], prototype, labels[query] == c,
                                       valid[query]))
    return torch.stack(terms).mean()
