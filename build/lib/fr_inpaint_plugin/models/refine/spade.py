"""SPADE: spatially-adaptive normalisation conditioned on a semantic map (Park et al. 2019), as
used on the skip connections of G_s (Ye et al. 2025, §3.4)."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from torch import nn

from ...utils import IGNORE_INDEX
from ..init_weights import GANInitModule

_PARAMETER_FREE_NORMS = {'batch': nn.BatchNorm2d, 'instance': nn.InstanceNorm2d}


def label_to_onehot(label: torch.Tensor, num_classes: int,
                    ignore_index: int = IGNORE_INDEX) -> torch.Tensor:
    """Turn an integer semantic map (N,1,H,W) into a float one-hot map (N,K,H,W).

    Pixels equal to ``ignore_index`` become all-zero vectors: SPADE then modulates them with its
    label-independent biases only, instead of with an arbitrary class.
    """
    if label.dim() != 4 or label.shape[1] != 1:
        raise ValueError(f'expected an integer label map of shape (N,1,H,W), got '
                         f'{tuple(label.shape)}')
    label = label[:, 0].long()
    ignored = label == ignore_index
    out_of_range = ~ignored & ((label < 0) | (label >= num_classes))
    if out_of_range.any():
        raise ValueError(
            f'label map holds values outside [0, {num_classes}) that are not the ignore index '
            f'{ignore_index}: {label[out_of_range].unique().tolist()}')
    onehot = F.one_hot(label.masked_fill(ignored, 0), num_classes)
    onehot = onehot.masked_fill(ignored[..., None], 0)
    return onehot.permute(0, 3, 1, 2).float()


@MODELS.register_module()
class SPADE(GANInitModule):
    """``out = norm(x) * (1 + gamma(label)) + beta(label)``.

    ``norm`` has no learnable parameters (the semantic map supplies the affine transform);
    ``gamma`` and ``beta`` are 3x3 convs on a shared ``ReLU(conv3x3(label))`` embedding of the
    label map, resized with nearest neighbour to the feature size so that class boundaries stay
    hard.

    Args:
        num_features: channels of the feature map being normalised.
        label_channels: K, the channels of the one-hot label map. Soft maps (e.g. a segmentor's
            class probabilities) work as well.
        hidden_channels: width of the shared embedding, 128 in the paper.
        norm: 'batch' (SPADE's default) or 'instance'; either way ``affine=False``.
    """

    def __init__(self,
                 num_features: int,
                 label_channels: int,
                 hidden_channels: int = 128,
                 norm: str = 'batch',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if norm not in _PARAMETER_FREE_NORMS:
            raise ValueError(f'norm must be one of {sorted(_PARAMETER_FREE_NORMS)}, got {norm!r}')
        self.norm = _PARAMETER_FREE_NORMS[norm](num_features, affine=False)
        self.shared = nn.Sequential(
            nn.Conv2d(label_channels, hidden_channels, 3, padding=1), nn.ReLU(inplace=True))
        self.gamma = nn.Conv2d(hidden_channels, num_features, 3, padding=1)
        self.beta = nn.Conv2d(hidden_channels, num_features, 3, padding=1)

    def forward(self, x: torch.Tensor, label: torch.Tensor) -> torch.Tensor:
        label = F.interpolate(label.to(x.dtype), size=x.shape[-2:], mode='nearest')
        embedding = self.shared(label)
        return self.norm(x) * (1 + self.gamma(embedding)) + self.beta(embedding)
