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
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, List, Sequence, TypeVar, Union

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
    num_reliable = int(Decimal(repr(ratio)) * len(ranked))  # int() floors a non-negative Decimal
    return ReliabilitySplit(
        reliable_ids=[image_id for _, image_id in ranked[:num_reliable]],
        unreliable_ids=[image_id for _, image_id in ranked[num_reliable:]],
        threshold=ranked[num_reliable - 1][0] if num_reliable else -math.inf)
