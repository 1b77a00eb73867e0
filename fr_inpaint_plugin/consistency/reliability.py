"""Reliability distance of a pseudo-labelled image (METHOD.md §3.3, 3-4); lower = more reliable.

For every class ``c`` in an image's pseudo-label (the segmentor's argmax), the class term is the
mean binary cross-entropy between the class's similarity map, mapped to [0, 1], and the mask
``1[pseudo == c]``, over the image's non-ignored pixels; the distance sums these terms over the
classes of the image, as CISC-R's ``select_reliable`` does.

Choices:

* Similarity -> probability: ``clamp(s, 0, 1)``, not ``(s + 1) / 2``. CISC-R feeds the raw
  cosine to ``binary_cross_entropy``, which only works because DeepLabV3+'s fused feature is
  post-ReLU: features and anchors are non-negative, so the cosine already lies in [0, 1] and the
  clamp leaves it untouched. For signed features the clamp maps "anti-similar" to 0, the right
  target for pixels of other classes. ``(s + 1) / 2`` would send orthogonal features (the
  typical other-class pixel of ReLU features) to 0.5, charging every such pixel log 2 and
  compressing the ranking.
* The BCE takes ``-log`` capped at 100, the cap of ``torch.nn.functional.binary_cross_entropy``
  that CISC-R relied on; it is written out because that function refuses to run under CUDA
  autocast.
* A class in the pseudo-label without an anchor (never seen in the labelled set) is skipped and
  counted in ``skipped_classes``: there is nothing to compare it with, and scoring it with the
  placeholder similarity would charge the image for a gap in the labelled set.
* An image with no scored class (all pixels ignored, or only anchor-less classes) gets distance
  ``inf``: nothing supports its pseudo-label, so it ranks as the least reliable (CISC-R: 1e16).
* The terms are summed, not averaged, over classes, as in CISC-R, so an image with more classes
  tends to score higher. Each term averages over all non-ignored pixels of the image (the
  class's region and the rest), so every class present, however small, adds a term of its own.
* Which classes are scored: those of the pseudo-label (CISC-R), or, with
  ``class_scope='anchored'`` (not CISC-R's), every class with an anchor, an absent class against
  an all-zero map. Then an image whose features resemble a class its pseudo-label omits (a
  missed small object: the error per-image mIoU punishes most) is charged for it, and every
  image is scored on the same classes, so the sum no longer favours images with few classes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Tuple

import torch
from torch import Tensor

from ._tensors import (
    IGNORE_INDEX,
    check_anchor_mask,
    check_same_device,
    class_indicators,
    validated_float_maps,
    validated_label_map,
)

MAX_NEG_LOG = 100.0  # torch's binary_cross_entropy clamps log(p) at -100


@dataclass(frozen=True)
class ReliabilityScores:
    """Per-image results of :func:`reliability_distances`: (N,), and (N,K) per class."""
    distances: Tensor        # float; sum of the class terms, inf when no class was scored
    scored_classes: Tensor   # int64; classes of the pseudo-label with an anchor
    skipped_classes: Tensor  # int64; classes of the pseudo-label without an anchor
    class_terms: Tensor      # (N,K) float; every class's term, scored or not
    scored: Tensor           # (N,K) bool; the classes the distance scored


def class_consistency_terms(similarity: Tensor, labels: Tensor,
                            ignore_index: int = IGNORE_INDEX) -> Tuple[Tensor, Tensor]:
    """Per image and class: the mean BCE, over the image's non-ignored pixels, of the class's
    similarity map (clamped to [0, 1]) against the label's binary map of the class.

    Args:
        similarity: (N,K,H,W) maps from :func:`.similarity.anchor_similarity_maps`.
        labels: (N,H,W) or (N,1,H,W) class ids (pseudo-labels or true labels).

    Returns:
        ``(terms, in_label)``: (N,K) terms in the working dtype, and (N,K) bool, true where the
        class occurs in the image's label.
    """
    similarity = validated_float_maps(similarity, 'similarity')
    num_classes = similarity.shape[1]
    labels = validated_label_map(labels, num_classes, ignore_index, 'labels')
    if similarity.shape[0] != labels.shape[0] or similarity.shape[2:] != labels.shape[1:]:
        raise ValueError(f'similarity {tuple(similarity.shape)} and labels '
                         f'{tuple(labels.shape)} must share N, H and W')
    check_same_device(similarity, labels, 'similarity and labels')
    probabilities = similarity.clamp(0, 1).flatten(2)  # (N,K,HW)
    in_class = class_indicators(labels, num_classes)  # (N,K,HW)
    # BCE against a 0/1 target is -log of the probability given to the target
    likelihood = torch.where(in_class, probabilities, 1 - probabilities)
    bce = (-torch.log(likelihood)).clamp(max=MAX_NEG_LOG)
    valid = (labels != ignore_index).flatten(1)  # (N,HW)
    bce_sums = (bce * valid.unsqueeze(1)).sum(dim=2)  # (N,K)
    return bce_sums / valid.sum(dim=1).clamp(min=1).unsqueeze(1), in_class.any(dim=2)


CLASS_REDUCTIONS = ('sum', 'mean')
CLASS_SCOPES = ('pseudo_label', 'anchored')


def reliability_distances(similarity: Tensor, pseudo_labels: Tensor, present: Tensor,
                          ignore_index: int = IGNORE_INDEX,
                          class_reduction: str = 'sum',
                          class_scope: str = 'pseudo_label') -> ReliabilityScores:
    """Score every image of a batch.

    Args:
        similarity: (N,K,H,W) maps from :func:`.similarity.anchor_similarity_maps`.
        pseudo_labels: (N,H,W) or (N,1,H,W) integer argmax predictions, ``ignore_index`` for
            pixels left out.
        present: (K,) bool, the classes that have an anchor.
        class_reduction: ``'sum'`` of the class terms (CISC-R) or their ``'mean'`` (an image
            with many classes is then not charged for their number).
        class_scope: ``'pseudo_label'``: the classes of the image's pseudo-label (CISC-R);
            ``'anchored'``: every class in ``present`` (of an image with a non-ignored pixel).
    """
    if class_reduction not in CLASS_REDUCTIONS:
        raise ValueError(f'class_reduction must be one of {CLASS_REDUCTIONS}, got '
                         f'{class_reduction!r}')
    if class_scope not in CLASS_SCOPES:
        raise ValueError(f'class_scope must be one of {CLASS_SCOPES}, got {class_scope!r}')
    class_terms, in_pseudo_label = class_consistency_terms(similarity, pseudo_labels,
                                                           ignore_index)
    check_anchor_mask(present, similarity.shape[1])
    check_same_device(similarity, present, 'similarity and present')
    if class_scope == 'pseudo_label':
        scored = in_pseudo_label & present
    else:  # an image whose pixels are all ignored has no class in its label: nothing to score
        scored = in_pseudo_label.any(dim=1, keepdim=True) & present
    distances = (class_terms * scored).sum(dim=1)
    if class_reduction == 'mean':
        distances = distances / scored.sum(dim=1).clamp(min=1)
    distances = torch.where(scored.any(dim=1), distances, torch.full_like(distances, math.inf))
    return ReliabilityScores(distances=distances, scored_classes=scored.sum(dim=1),
                             skipped_classes=(in_pseudo_label & ~present).sum(dim=1),
                             class_terms=class_terms, scored=scored)
