"""Input checks and label-map helpers shared by the consistency functions.

Every public entry point validates through here, so a wrong shape, dtype or device fails the
same clear way everywhere instead of deep inside a ``bmm`` or ``interpolate``.
"""
from __future__ import annotations

import torch
from torch import Tensor

from ..utils import IGNORE_INDEX  # noqa: F401  (the default of every ignore_index here)


def working_dtype(dtype: torch.dtype) -> torch.dtype:
    """The dtype to compute in: float32, or float64 when the input already is.

    Half precision is widened because the sums run over whole label maps: float16 tops out at
    65504 and keeps ~3 significant digits, so a 256x256 mask-weighted sum would overflow or round.
    """
    return torch.float64 if dtype == torch.float64 else torch.float32


def validated_float_maps(maps: Tensor, name: str) -> Tensor:
    """``maps`` (N,C,h,w) of any floating dtype, returned in the working dtype."""
    if not isinstance(maps, Tensor):
        raise TypeError(f'{name} must be a torch.Tensor, got {type(maps).__name__}')
    if maps.dim() != 4:
        raise ValueError(f'{name} must be (N,C,h,w), got shape {tuple(maps.shape)}')
    if not maps.is_floating_point():
        raise TypeError(f'{name} must be floating point, got {maps.dtype}')
    return maps.to(working_dtype(maps.dtype))


def validated_label_map(labels: Tensor, num_classes: int, ignore_index: int,
                        name: str) -> Tensor:
    """``labels`` (N,H,W) or (N,1,H,W) integer class ids, returned as (N,H,W) int64.

    Every value must be a class id in ``[0, num_classes)`` or ``ignore_index``: an out-of-range
    id means the label and the class count disagree, which would otherwise vanish silently.
    """
    if 0 <= ignore_index < num_classes:
        raise ValueError(f'ignore_index {ignore_index} is a class id of [0, {num_classes})')
    if not isinstance(labels, Tensor):
        raise TypeError(f'{name} must be a torch.Tensor, got {type(labels).__name__}')
    if labels.dim() == 4 and labels.shape[1] == 1:  # the package's (N,1,H,W) semantic maps
        labels = labels[:, 0]
    if labels.dim() != 3:
        raise ValueError(f'{name} must be (N,H,W) or (N,1,H,W), got shape {tuple(labels.shape)}')
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(f'{name} must hold integer class ids, got {labels.dtype}')
    labels = labels.long()
    out_of_range = (labels < 0) | (labels >= num_classes)
    out_of_range &= labels != ignore_index
    if bool(out_of_range.any()):
        bad = torch.unique(labels[out_of_range]).tolist()
        raise ValueError(f'{name} holds ids {bad[:10]} outside [0, {num_classes}) that are not '
                         f'the ignore index {ignore_index}')
    return labels


def check_anchor_mask(present: Tensor, num_classes: int) -> None:
    """``present`` must be the (K,) bool mask of the classes that have an anchor."""
    if not isinstance(present, Tensor):
        raise TypeError(f'present must be a torch.Tensor, got {type(present).__name__}')
    if present.shape != (num_classes,) or present.dtype != torch.bool:
        raise ValueError(f'present must be a ({num_classes},) bool mask, got '
                         f'{tuple(present.shape)} {present.dtype}')


def check_same_device(first: Tensor, second: Tensor, names: str) -> None:
    """Refuse tensors on different devices rather than copy a batch behind the caller's back."""
    if first.device != second.device:
        raise ValueError(f'{names} must be on the same device, got {first.device} and '
                         f'{second.device}')


def class_indicators(labels: Tensor, num_classes: int) -> Tensor:
    """(N,K,H*W) bool: ``[n, k, p]`` is true where pixel ``p`` of image ``n`` is labelled ``k``.

    Ignored pixels are false for every class (``ignore_index`` lies outside ``[0, K)``, checked by
    :func:`validated_label_map`), so they fall out of every per-class sum.
    """
    class_ids = torch.arange(num_classes, device=labels.device).view(1, num_classes, 1)
    return labels.flatten(1).unsqueeze(1) == class_ids
