"""A frozen VGG trunk with offline weights whose intermediate activations are read by layer name.

Layer names follow the usual convention, ``conv<block>_<n>``, ``relu<block>_<n>`` and
``pool<block>``, where blocks are separated by max-pools and ``n`` counts the convs of a block.
They map to indices of torchvision's ``features`` as follows (derived from the module itself by
:func:`vgg_layer_names`, so no table can drift from the network):

=========  =====  =====
name       vgg16  vgg19
=========  =====  =====
relu1_1      1      1
relu2_1      6      6
relu3_1     11     11
relu4_1     18     20
relu5_1     25     29
=========  =====  =====

(VGG19's blocks 3-5 have four convs, VGG16's three, hence the shift from relu4_1 on.)
"""
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from fr_inpaint_plugin.weights import build_features

# torchvision's ImageNet statistics, for images in [0, 1].
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def vgg_layer_names(features: nn.Sequential) -> List[str]:
    """The name of every child of a torchvision VGG ``features`` module, in order."""
    names, block, conv = [], 1, 0
    for layer in features:
        if isinstance(layer, nn.Conv2d):
            conv += 1
            names.append(f'conv{block}_{conv}')
        elif isinstance(layer, nn.ReLU):
            names.append(f'relu{block}_{conv}')
        elif isinstance(layer, nn.MaxPool2d):
            names.append(f'pool{block}')
            block, conv = block + 1, 0
        else:
            raise ValueError(f'not a plain VGG trunk: unexpected layer {layer}')
    return names


class VGGFeatureExtractor(nn.Module):
    """Frozen VGG ``features`` (eval mode, no gradients to its weights) returning the
    activations of ``layers`` for images in [-1, 1].

    Args:
        layers: layer names to return, e.g. ``('relu1_1', 'relu3_1')``.
        backbone: 'vgg16' (offline weights from ``tools/prepare_weights.py``) or 'vgg19'
            (needs ``pretrained_path``).
        pretrained_path: a torchvision checkpoint of ``backbone`` (whole model or ``features``
            only); ``None`` reads the prepared offline weights. Missing files raise
            ``FileNotFoundError`` saying how to get them.
    """

    def __init__(self,
                 layers: Sequence[str],
                 backbone: str = 'vgg16',
                 pretrained_path: Optional[Union[str, Path]] = None):
        super().__init__()
        features = build_features(backbone, pretrained_path)
        names = vgg_layer_names(features)
        unknown = sorted(set(layers) - set(names))
        if unknown:
            raise ValueError(f'{backbone} has no layers {unknown}; choose from {names}')
        self.layers = tuple(layers)
        self.index_of = {name: names.index(name) for name in self.layers}
        # Layers past the deepest requested one would only cost time.
        self.features = features[:max(self.index_of.values()) + 1]
        for layer in self.features:
            if isinstance(layer, nn.ReLU):
                # torchvision's ReLUs work in place, which would overwrite a returned conv output.
                layer.inplace = False
        self.register_buffer('mean', torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def train(self, mode: bool = True) -> 'VGGFeatureExtractor':
        # The runner's ``model.train()`` reaches every submodule; the trunk stays frozen.
        return super().train(False)

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """The one place where [-1, 1] images become ImageNet-normalised VGG inputs."""
        return ((images + 1) / 2 - self.mean) / self.std

    def forward(self, images: torch.Tensor) -> Dict[str, torch.Tensor]:
        x = self.normalize(images)
        wanted = {index: name for name, index in self.index_of.items()}
        activations = {}
        for index, layer in enumerate(self.features):
            x = layer(x)
            if index in wanted:
                activations[wanted[index]] = x
        return activations
