"""Class anchors: each class's mean decoder feature over the labelled set (METHOD.md §3.3, 1).

For each labelled image and each class in its label, the image's class vector is the
mask-weighted average of its pixel features (CISC-R's ``Weighted_GAP``); a class anchor is the
mean of those vectors over the images in which the class appears.

Choices:

* Resolution: the features are upsampled (bilinear, ``align_corners=False``) to the label size
  and pooled there, as CISC-R's ``Weighted_GAP`` does. Downsampling labels with nearest
  neighbours instead would drop thin or small regions (poles, eyes) at the decoder's 1/4 scale
  and pick pixels by aliasing; pooling at label size uses every labelled pixel, and it is the
  same feature-to-label interpolation the similarity maps use (:mod:`.similarity`). The cost is
  an (N,C,H,W) tensor per batch (~67 MB per 256x256 image at C=256, float32): stream the
  labelled set in modest batches.
* Averaging over images, not pixels: each image where a class appears adds one vector, so a
  large region in one image does not outweigh small regions in many. Images without the class
  add nothing to its anchor and are not counted (CISC-R counts every batch, which dilutes rare
  classes towards zero).
* Ignore pixels (``ignore_index``) belong to no class.
* Accumulation runs in float64, so streaming a set in batches matches one big batch to rounding;
  half-precision features are widened first (see ``_tensors.working_dtype``). The anchors come
  out in float32.
"""
from __future__ import annotations

from typing import NamedTuple, Tuple, Union

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


class ClassAnchors(NamedTuple):
    """The anchors and which classes have one; unpacks as ``anchors, present = ...``."""
    anchors: Tensor  # (K,C) float32; rows of classes never seen are zero
    present: Tensor  # (K,) bool; true where at least one labelled image contained the class


def per_image_class_means(features: Tensor, labels: Tensor, num_classes: int,
                          ignore_index: int = IGNORE_INDEX) -> Tuple[Tensor, Tensor]:
    """Mask-weighted average feature of every class in every image.

    Args:
        features: (N,C,h,w) per-pixel decoder features, any floating dtype.
        labels: (N,H,W) or (N,1,H,W) integer class ids, ``ignore_index`` for unlabelled pixels.

    Returns:
        ``(means, in_image)``: (N,K,C) means in the working dtype (zero where the class is absent)
        and (N,K) bool, true where the image has at least one pixel of the class.
    """
    features = validated_float_maps(features, 'features')
    labels = validated_label_map(labels, num_classes, ignore_index, 'labels')
    check_same_device(features, labels, 'features and labels')
    if features.shape[0] != labels.shape[0]:
        raise ValueError(f'features hold {features.shape[0]} images, labels '
                         f'{labels.shape[0]}')
    upsampled = F.interpolate(features, size=labels.shape[-2:], mode='bilinear',
                              align_corners=False)
    indicators = class_indicators(labels, num_classes).to(upsampled.dtype)  # (N,K,HW)
    # one batched matmul with the one-hot masks: deterministic, unlike scatter_add on CUDA
    class_sums = torch.bmm(indicators, upsampled.flatten(2).transpose(1, 2))  # (N,K,C)
    pixel_counts = indicators.sum(dim=2)  # (N,K)
    means = class_sums / pixel_counts.clamp(min=1).unsqueeze(2)
    return means, pixel_counts > 0


class ClassAnchorAccumulator:
    """Streams labelled batches into class anchors: ``update`` per batch, then ``compute``.

    Both running totals are additive, so under DDP each rank updates on its own shard and, before
    ``compute()``, sums them over ranks in place::

        torch.distributed.all_reduce(accumulator.mean_feature_sums)
        torch.distributed.all_reduce(accumulator.image_counts)

    after which every rank computes the anchors of the whole set. Build the accumulator on the
    rank's CUDA device for NCCL (``device=``); all ranks must use the same ``num_classes`` and
    ``num_channels`` (the totals are allocated up front so that a rank without batches still has
    tensors to reduce). A ``DistributedSampler`` pads shards with repeated images, which then
    count twice; use an unpadded sampler when exact anchors matter.

    Args:
        num_classes: K, the number of classes of the labels.
        num_channels: C, the channels of the features.
        ignore_index: label id of unlabelled pixels.
        device: where the running totals live; each batch may be on any device.
    """

    def __init__(self, num_classes: int, num_channels: int, ignore_index: int = IGNORE_INDEX,
                 device: Union[str, torch.device] = 'cpu') -> None:
        if num_classes < 1 or num_channels < 1:
            raise ValueError(f'num_classes and num_channels must be positive, got {num_classes} '
                             f'and {num_channels}')
        self.num_classes = num_classes
        self.num_channels = num_channels
        self.ignore_index = ignore_index
        # sum over images of each image's class mean, and the number of images holding the class
        self.mean_feature_sums = torch.zeros(num_classes, num_channels, dtype=torch.float64,
                                             device=device)
        self.image_counts = torch.zeros(num_classes, dtype=torch.int64, device=device)

    def update(self, features: Tensor, labels: Tensor) -> None:
        """Add a batch: ``features`` (N,C,h,w), ``labels`` (N,H,W) or (N,1,H,W) on its device."""
        means, in_image = per_image_class_means(features, labels, self.num_classes,
                                                self.ignore_index)
        if means.shape[2] != self.num_channels:
            raise ValueError(f'features have {means.shape[2]} channels, the accumulator '
                             f'{self.num_channels}')
        device = self.mean_feature_sums.device
        self.mean_feature_sums += means.to(torch.float64).sum(dim=0).to(device)
        self.image_counts += in_image.sum(dim=0).to(device)

    def compute(self) -> ClassAnchors:
        """The (K,C) float32 anchors and the (K,) mask of classes seen in at least one image."""
        present = self.image_counts > 0
        anchors = self.mean_feature_sums / self.image_counts.clamp(min=1).unsqueeze(1)
        return ClassAnchors(anchors.to(torch.float32), present)
