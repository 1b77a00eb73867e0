"""Ranking pseudo-labelled images by reliability distance, and the split (METHOD.md §3.3, 5).

Choices:

* Order: ascending distance (lower = more reliable), ties broken by ascending image id, so the
  split depends only on the (id, distance) pairs, not on the order they arrive in (e.g. after
  gathering the shards of several ranks).
* Size: the reliable set holds ``floor(ratio * n)`` images (CISC-R: ``n // 2`` at 0.5). The
  product is taken on the ratio as written (``0.29 * 100`` is 29, not float's 28.999...).
* ``threshold`` is the distance of the last reliable image, so every reliable distance is
  ``<= threshold`` and every unreliable one ``>= threshold`` (ties at the threshold can fall on
  both sides, by id). With no reliable image it is ``-inf``.
* ``inf`` distances (images :mod:`.reliability` could not score) rank last; ``nan`` is refused.
* Ids are all ``str`` or all ``int`` (mixed types have no order) and must be unique.

:func:`split_per_class` (not CISC-R's) fills a reliable set of the same size class by class,
so that the classes held by few images are not left out of it (see its docstring).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, List, Sequence, TypeVar, Union

import torch
from torch import Tensor

DEFAULT_RELIABLE_RATIO = 0.5  # CISC-R keeps the more reliable half

ImageId = TypeVar('ImageId', str, int)


@dataclass(frozen=True)
class ReliabilitySplit(Generic[ImageId]):
    """The ranked ids, most reliable first, cut into the reliable and the unreliable part."""
    reliable_ids: List[ImageId]
    unreliable_ids: List[ImageId]
    threshold: float


def validated_reliable_ratio(ratio: float) -> float:
    """``ratio`` as a float, if it is a real number in [0, 1]."""
    if isinstance(ratio, bool) or not isinstance(ratio, numbers.Real):
        raise TypeError(f'the reliable ratio must be a number in [0, 1], got {ratio!r}')
    if not 0 <= ratio <= 1:  # also refuses nan
        raise ValueError(f'the reliable ratio must lie in [0, 1], got {ratio!r}')
    return float(ratio)


def reliable_count(ratio: float, num_images: int) -> int:
    """``floor(ratio * num_images)``, the product taken on the ratio as written."""
    return int(Decimal(repr(ratio)) * num_images)  # int() floors a non-negative Decimal


def split_by_reliability(image_ids: Sequence[ImageId], distances: Union[Sequence[float], Tensor],
                         reliable_ratio: float = DEFAULT_RELIABLE_RATIO
                         ) -> ReliabilitySplit[ImageId]:
    """Rank images by ascending distance (ties by id) and keep the first ``floor(ratio * n)``.

    Args:
        image_ids: one unique id per image, all ``str`` or all ``int``.
        distances: the images' reliability distances, a sequence or a 1-D tensor.
        reliable_ratio: the fraction of images to call reliable, in [0, 1].
    """
    ratio = validated_reliable_ratio(reliable_ratio)
    ids = list(image_ids)
    if isinstance(distances, Tensor):
        if distances.dim() != 1:
            raise ValueError(f'distances must be 1-D, got shape {tuple(distances.shape)}')
        values = distances.detach().cpu().tolist()
    else:
        values = [float(distance) for distance in distances]
    if len(values) != len(ids):
        raise ValueError(f'{len(ids)} image ids but {len(values)} distances')
    id_types = {type(image_id) for image_id in ids}
    if not id_types <= {str} and not id_types <= {int}:
        type_names = sorted(id_type.__name__ for id_type in id_types)
        raise TypeError(f'image ids must be all str or all int, got {type_names}')
    if len(set(ids)) != len(ids):
        raise ValueError('image ids must be unique')
    if any(math.isnan(value) for value in values):
        raise ValueError('distances contain nan')

    ranked = sorted(zip(values, ids))
    num_reliable = reliable_count(ratio, len(ranked))
    return ReliabilitySplit(
        reliable_ids=[image_id for _, image_id in ranked[:num_reliable]],
        unreliable_ids=[image_id for _, image_id in ranked[num_reliable:]],
        threshold=ranked[num_reliable - 1][0] if num_reliable else -math.inf)


def split_per_class(image_ids: Sequence[ImageId], distances: Union[Sequence[float], Tensor],
                    class_terms: Tensor, scored: Tensor,
                    reliable_ratio: float = DEFAULT_RELIABLE_RATIO) -> ReliabilitySplit[ImageId]:
    """A reliable set of :func:`split_by_reliability`'s size, filled class by class.

    Not CISC-R's selection: a summed distance ranks images with few classes first, so the
    images holding the rare classes (street signs, poles) can all fall in the unreliable half
    and the students never see those classes pseudo-labelled. Here the classes take turns, the
    class held by the fewest images first (ties by class index); on its turn a class adds its
    most consistent image not chosen yet, the lowest of that class's term (ties by the images'
    order under ``distances``). When every holder of every class is chosen and room is left,
    the rest are taken in that order. The unreliable part keeps that order too. ``threshold`` is
    nan: no single distance separates the parts.

    Args:
        image_ids, distances, reliable_ratio: as for :func:`split_by_reliability`.
        class_terms: (N,K) the images' class terms (``ReliabilityScores.class_terms``).
        scored: (N,K) bool, the classes each image was scored on (an image holds a class).
    """
    ranked = split_by_reliability(image_ids, distances, 1.0).reliable_ids
    num_reliable = reliable_count(validated_reliable_ratio(reliable_ratio), len(ranked))
    ids = list(image_ids)
    if class_terms.dim() != 2 or tuple(scored.shape) != tuple(class_terms.shape) or (
            class_terms.shape[0] != len(ids)):
        raise ValueError(f'class_terms {tuple(class_terms.shape)} and scored '
                         f'{tuple(scored.shape)} must both be ({len(ids)}, num_classes)')
    if scored.dtype != torch.bool:
        raise TypeError(f'scored must be a bool tensor, got {scored.dtype}')
    if bool(torch.isnan(class_terms[scored]).any()):
        raise ValueError('class_terms contain nan')
    global_rank = {image_id: rank for rank, image_id in enumerate(ranked)}
    terms, scored = class_terms.detach().cpu().tolist(), scored.detach().cpu().tolist()
    queues = []
    for cls in range(len(terms[0]) if terms else 0):
        holders = [index for index in range(len(ids)) if scored[index][cls]]
        queues.append([ids[index] for index in sorted(
            holders, key=lambda index: (terms[index][cls], global_rank[ids[index]]))])
    queues = sorted((queue for queue in queues if queue), key=len)  # stable: ties by class

    chosen: List[ImageId] = []
    chosen_set = set()

    def choose(image_id) -> None:
        chosen.append(image_id)
        chosen_set.add(image_id)

    cursors = [0] * len(queues)
    while len(chosen) < num_reliable:
        took = False
        for turn, queue in enumerate(queues):
            while cursors[turn] < len(queue) and queue[cursors[turn]] in chosen_set:
                cursors[turn] += 1
            if cursors[turn] < len(queue) and len(chosen) < num_reliable:
                choose(queue[cursors[turn]])
                took = True
        if not took:
            break
    for image_id in ranked:
        if len(chosen) >= num_reliable:
            break
        if image_id not in chosen_set:
            choose(image_id)
    return ReliabilitySplit(reliable_ids=chosen,
                            unreliable_ids=[i for i in ranked if i not in chosen_set],
                            threshold=math.nan)
