"""LPIPS (Zhang et al. 2018) per hole-ratio bucket, and a one-pair ``lpips_distance``, offline.

The network is the ``lpips`` package's own ``lpips.LPIPS`` (v0.1, ``lpips=True``,
``spatial=False``): its linear heads come from the weights shipped inside the pip package, and
its backbone is built with ``pnet_rand=True`` (so torchvision never downloads anything) and then
receives the ImageNet conv weights prepared offline by ``tools/prepare_weights.py``
(:mod:`fr_inpaint_plugin.weights`). The backbone is ``'alex'`` (the LPIPS default, the one
usually reported) or ``'vgg'``.

Images go in as the LPIPS documentation prescribes for 8-bit images (``lpips.im2tensor``): RGB,
``x / 127.5 - 1`` in [-1, 1], compared with ``normalize=False``.
"""
from __future__ import annotations

import threading
import warnings
from importlib.metadata import PackageNotFoundError, version
from typing import List, Optional, Union

import lpips
import numpy as np
import torch
from mmagic.registry import METRICS

from .. import weights
from .base import MaskRatioMetric, stack_by_shape

LPIPS_NETS = ('alex', 'vgg')
_BACKBONES = {'alex': 'alexnet', 'vgg': 'vgg16'}
# The smallest side each backbone's five taps survive (measured on lpips 0.1.4).
MIN_SIZE = {'alex': 31, 'vgg': 16}
_MODEL_CACHE = {}
_MODEL_CACHE_LOCK = threading.Lock()


def _check_net(net: str) -> str:
    if net not in LPIPS_NETS:
        raise ValueError(f'LPIPS net must be one of {LPIPS_NETS} (offline weights exist only for '
                         f'these), got {net!r}')
    return net


def build_lpips(net: str = 'alex', weights_path: Optional[str] = None) -> lpips.LPIPS:
    """``lpips.LPIPS(net=net)`` with its shipped linear heads and our offline backbone weights,
    frozen, in eval mode, on the CPU.

    ``weights_path`` overrides the prepared backbone file (a torchvision ``features`` state dict
    of AlexNet / VGG16). Missing weights raise ``FileNotFoundError`` naming
    ``tools/prepare_weights.py``.
    """
    _check_net(net)
    with warnings.catch_warnings():
        # torchvision deprecates lpips' `pretrained=` argument; with pnet_rand=True it is False.
        warnings.simplefilter('ignore', UserWarning)
        model = lpips.LPIPS(pretrained=True, net=net, version='0.1', lpips=True, spatial=False,
                            pnet_rand=True, verbose=False)
    try:
        weights.load_features_into_lpips(model, weights_path)
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f'LPIPS (net={net!r}) needs the offline {_BACKBONES[net]} conv weights: {error}'
        ) from error
    return model.eval().requires_grad_(False)


def _cached_lpips(net: str, device: Union[str, torch.device]) -> lpips.LPIPS:
    """One model per (net, weights directory, device), for :func:`lpips_distance`."""
    device = torch.device(device)
    key = (net, str(weights.weights_dir()), str(device))
    with _MODEL_CACHE_LOCK:
        if key not in _MODEL_CACHE:
            _MODEL_CACHE[key] = build_lpips(net).to(device)
        return _MODEL_CACHE[key]


@torch.no_grad()
def lpips_scores(model: lpips.LPIPS, images0: torch.Tensor, images1: torch.Tensor,
                 batch_size: Optional[int] = None) -> torch.Tensor:
    """LPIPS distance per pair of (N,3,H,W) RGB float images in [0, 255], on the model's device,
    ``batch_size`` pairs at a time (all at once when None). Returns an (N,) float tensor."""
    smallest = MIN_SIZE.get(model.pnet_type, 0)
    if min(images0.shape[-2:]) < smallest:
        raise ValueError(f'LPIPS (net={model.pnet_type!r}) needs images of at least '
                         f'{smallest}x{smallest} pixels, got {tuple(images0.shape[-2:])}')
    device = next(model.parameters()).device
    step = batch_size or len(images0)
    distances = []
    with torch.autocast(device_type=device.type, enabled=False):
        for start in range(0, len(images0), step):
            x0 = images0[start:start + step].to(device, torch.float32) / 127.5 - 1
            x1 = images1[start:start + step].to(device, torch.float32) / 127.5 - 1
            distances.append(model(x0, x1, normalize=False).flatten())
    return torch.cat(distances)


def _check_uint8_rgb(image, name: str) -> None:
    if not isinstance(image, np.ndarray):
        raise ValueError(f'{name} must be a numpy array, got {type(image).__name__}')
    if image.dtype != np.uint8:
        raise ValueError(f'{name} must be uint8 (0-255), got dtype {image.dtype}')
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f'{name} must be an HxWx3 RGB image, got shape {image.shape}')


def lpips_distance(a: np.ndarray, b: np.ndarray, net: str = 'alex',
                   device: Union[str, torch.device] = 'cpu') -> float:
    """LPIPS distance between two uint8 RGB HxWx3 images of equal size (lower = more alike).

    Uses the same model and preprocessing as the ``LPIPS`` metric. Raises ``ValueError`` for
    anything but two equal-sized uint8 HxWx3 arrays or an unknown ``net``, and
    ``FileNotFoundError`` (naming ``tools/prepare_weights.py``) when the weights are missing.
    """
    _check_net(net)
    _check_uint8_rgb(a, 'a')
    _check_uint8_rgb(b, 'b')
    if a.shape != b.shape:
        raise ValueError(f'the images differ in size: {a.shape} vs {b.shape}')
    a, b = (torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)[None]
            for image in (a, b))
    return float(lpips_scores(_cached_lpips(net, device), a, b)[0])


@METRICS.register_module(name=['LPIPS', 'MaskRatioLPIPS'])
class MaskRatioLPIPS(MaskRatioMetric):
    """LPIPS per hole-ratio bucket (lower is better): keys ``LPIPS@0-20`` ... ``LPIPS@all``.

    The backbone is logged with the results and kept in ``self.net``; put it in the keys with
    ``prefix`` if a table needs it (``prefix='alex'`` gives ``alex/LPIPS@0-20``).

    Args:
        net: LPIPS backbone, ``'alex'`` (default) or ``'vgg'``.
        weights_path: A backbone file to use instead of the prepared one (see
            :func:`build_lpips`).
        device: Where to run the network: None (default) runs it where the images are (CUDA if
            the model's outputs are on the GPU, else CPU); or an explicit device.
        batch_size: Pairs per forward pass; None = each ``process`` batch at once.
        **kwargs: See :class:`~fr_inpaint_plugin.evaluation.base.MaskRatioMetric` (buckets,
            strict, keys, channel_order, prefix, ...).
    """
    metric = 'LPIPS'

    def __init__(self, *args, net: str = 'alex', weights_path: Optional[str] = None,
                 device: Optional[Union[str, torch.device]] = None,
                 batch_size: Optional[int] = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.net = _check_net(net)
        self.device = device
        self.batch_size = batch_size
        # Built now, so that missing weights fail when the runner builds the evaluator rather
        # than after the first validation epoch's inference.
        self.model = build_lpips(net, weights_path)

    def describe(self) -> str:
        try:
            package = f'lpips {version("lpips")}'
        except PackageNotFoundError:
            package = 'lpips'
        return (f'LPIPS (net={self.net}: {_BACKBONES[self.net]} conv weights prepared offline, '
                f'{package} v{self.model.version} linear heads)')

    def score_batch(self, gts: List[torch.Tensor], preds: List[torch.Tensor]) -> List[float]:
        scores = [0.0] * len(gts)
        for indices, gt, pred in stack_by_shape(gts, preds):
            device = torch.device(self.device) if self.device is not None else gt.device
            model = self.model.to(device)
            # Reference first, as lpips' documentation writes it; LPIPS is symmetric anyway.
            distances = lpips_scores(model, gt, pred, self.batch_size).cpu().tolist()
            for index, distance in zip(indices, distances):
                scores[index] = distance
        return scores
