"""The query pool and the pixel-level recorrection of pseudo-labels (CISC-R; METHOD.md §3.3).

Query pool: for each class, the labelled images whose features agree best with the class anchor
(the lowest class term of :func:`.reliability.class_consistency_terms` against their true
label; the best ``ratio`` of the images holding the class, at least one). Each pooled image
contributes its prototype of the class: the mask-weighted mean of its features over its pixels
of the class (:func:`.anchors.per_image_class_means`).

Pixel weights: a pseudo-labelled image is paired with a pooled image of one of the classes of
its pseudo-label (class and image drawn at random, with torch's global generator, per training
step); the frozen teacher's similarity map of the image's features to that prototype weights the
student's per-pixel cross-entropy by ``1 - |1[pseudo == c] - clamp(similarity, 0, 1)|``: pixels
whose feature agrees with what the pseudo-label says about the class keep their weight, the
others are turned down. An image none of whose classes has a pool keeps weight 1.

Class-mean normalisation (:func:`class_mean_normalised`, opt-in, not CISC-R): the weights divided
by their mean over the pixels of the same pseudo-label class, so every class keeps the total
weight plain cross-entropy gives it and only the ranking of its pixels against each other
remains. Audited, CISC-R's weights mostly follow the class (about 0.93 on road, 0.73 on the rare
classes) and separate right from wrong pseudo-labels little within a class; this keeps the
latter alone.
"""
from __future__ import annotations

import io
import math
from typing import List, NamedTuple, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from ..utils import safe_torch_load, write_bytes_atomically
from ._tensors import IGNORE_INDEX, validated_float_maps, validated_label_map

QUERY_POOL_FILE = 'query_pool.pth'


class QueryPool(NamedTuple):
    prototypes: List[Tensor]  # per class: (M_c, C) float32 prototypes (M_c may be 0)
    image_keys: List[List[str]]  # per class: the pooled images, best first


def build_query_pool(terms: Tensor, in_label: Tensor, class_means: Tensor,
                     image_keys: Sequence[str], ratio: float = 0.5) -> QueryPool:
    """The pool from every labelled image's (N,K) class ``terms``, (N,K) ``in_label`` and
    (N,K,C) ``class_means``; ties in the ranking are broken by image key."""
    if not 0 < ratio <= 1:
        raise ValueError(f'the query-pool ratio must lie in (0, 1], got {ratio}')
    if not (terms.shape == in_label.shape == class_means.shape[:2]
            and len(image_keys) == terms.shape[0]):
        raise ValueError(f'terms {tuple(terms.shape)}, in_label {tuple(in_label.shape)}, '
                         f'class_means {tuple(class_means.shape)} and {len(image_keys)} image '
                         'keys do not match')
    prototypes, keys = [], []
    for c in range(terms.shape[1]):
        holders = in_label[:, c].nonzero().flatten().tolist()
        ranked = sorted(holders, key=lambda n: (float(terms[n, c]), image_keys[n]))
        kept = ranked[:math.ceil(ratio * len(ranked))]
        prototypes.append(class_means[kept, c].float())
        keys.append([image_keys[n] for n in kept])
    return QueryPool(prototypes, keys)


def save_query_pool(pool: QueryPool, path: str) -> None:
    buffer = io.BytesIO()
    torch.save(dict(prototypes=pool.prototypes, image_keys=pool.image_keys), buffer)
    write_bytes_atomically(path, buffer.getvalue())


def load_query_pool(path: str) -> QueryPool:
    try:
        content = safe_torch_load(path)
    except FileNotFoundError:
        raise FileNotFoundError(f'query pool {path} does not exist: it is written by '
                                'CrossImagePseudoLabelHook with the pseudo-label round (run the '
                                "teacher's phase first)") from None
    return QueryPool(content['prototypes'], content['image_keys'])


def pixel_weights(features: Tensor, pseudo_labels: Tensor, pool: QueryPool,
                  ignore_index: int = IGNORE_INDEX) -> Tensor:
    """(N,H,W) weights in [0, 1] for the pseudo-labels of a batch.

    Args:
        features: (N,C,h,w) the frozen teacher's decoder features of the images.
        pseudo_labels: (N,H,W) or (N,1,H,W) class ids; ``ignore_index`` pixels get weight 1
            (they carry no loss anyway).
    """
    features = validated_float_maps(features, 'features')
    num_classes = len(pool.prototypes)
    labels = validated_label_map(pseudo_labels, num_classes, ignore_index, 'pseudo_labels')
    weights = torch.ones(labels.shape, dtype=features.dtype, device=features.device)
    pooled = torch.tensor([len(p) > 0 for p in pool.prototypes], device=labels.device)
    for n in range(labels.shape[0]):
        present = torch.zeros(num_classes, dtype=torch.bool, device=labels.device)
        valid = labels[n][labels[n] != ignore_index]
        present[valid.unique()] = True
        candidates = (present & pooled).nonzero().flatten()
        if not len(candidates):
            continue
        c = int(candidates[torch.randint(len(candidates), ())])
        prototypes = pool.prototypes[c]
        prototype = prototypes[torch.randint(len(prototypes), ())].to(features)
        if prototype.shape[0] != features.shape[1]:
            raise ValueError(f'the query pool holds {prototype.shape[0]}-d prototypes, the '
                             f'teacher gives {features.shape[1]}-d features')
        similarity = F.cosine_similarity(features[n], prototype[:, None, None], dim=0)
        similarity = F.interpolate(similarity[None, None], size=labels.shape[-2:],
                                   mode='bilinear', align_corners=False)[0, 0].clamp(0, 1)
        weights[n] = 1 - ((labels[n] == c).to(similarity) - similarity).abs()
    return weights


def class_mean_normalised(weights: Tensor, pseudo_labels: Tensor,
                          ignore_index: int = IGNORE_INDEX) -> Tensor:
    """``weights`` (N,H,W) divided, class by class, by their mean over the pixels of
    ``pseudo_labels`` (N,H,W) of that class (all N images together), so each class's mean
    weight is 1; ``ignore_index`` pixels keep their weight. A class whose weights are all 0
    keeps them."""
    if weights.shape != pseudo_labels.shape:
        raise ValueError(f'weights {tuple(weights.shape)} and pseudo_labels '
                         f'{tuple(pseudo_labels.shape)} must have the same shape')
    normalised = weights.clone()
    for c in pseudo_labels.unique().tolist():
        if c == ignore_index:
            continue
        pixels = pseudo_labels == c
        mean = weights[pixels].mean()
        if mean > 0:
            normalised[pixels] = weights[pixels] / mean
    return normalised
