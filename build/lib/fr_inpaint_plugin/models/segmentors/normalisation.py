"""The one place where images move between the inpainting range and a segmentor's input.

Inpainting models work on RGB tensors in [-1, 1]; an MMSeg segmentor expects what its own
``SegDataPreProcessor`` produces: pixel values in [0, 255], in the channel order the network
was trained on, then ``(x - mean) / std``. The network's channel order follows from the
preprocessor's flags (MMSeg's preprocessor converts the channels *before* normalising, so
``mean``/``std`` are given in the network's order):

* ``bgr_to_rgb=True``: the preprocessor expects BGR input, the network sees RGB;
* ``rgb_to_bgr=True``: the preprocessor expects RGB input, the network sees BGR;
* neither: the network sees the loader's order, which is BGR for MMSeg's ``LoadImageFromFile``
  (MMSeg's convention); our datasets are handled by ``InpaintSegDataPreprocessor``, which goes
  through :func:`inpaint_to_seg_input` and so follows the same rule.
"""
import torch
from torch import nn


def seg_channel_order(data_preprocessor: nn.Module) -> str:
    """``'RGB'`` or ``'BGR'``: the channel order the segmentor's network sees.

    Needs a preprocessor that records its flags (``InpaintSegDataPreprocessor``): MMSeg's own
    ``SegDataPreProcessor`` keeps only ``channel_conversion``, which does not tell the direction.
    """
    if not hasattr(data_preprocessor, 'bgr_to_rgb'):
        raise TypeError(
            f'{type(data_preprocessor).__name__} does not record its channel order; use '
            "InpaintSegDataPreprocessor (a SegDataPreProcessor that does) as the segmentor's "
            'data_preprocessor')
    return 'RGB' if data_preprocessor.bgr_to_rgb else 'BGR'


def _mean_std(data_preprocessor: nn.Module, like: torch.Tensor):
    if not getattr(data_preprocessor, '_enable_normalize', False):
        return None, None
    mean = data_preprocessor.mean.to(like).view(1, -1, 1, 1)
    std = data_preprocessor.std.to(like).view(1, -1, 1, 1)
    return mean, std


def _check(x: torch.Tensor, what: str) -> None:
    if x.ndim != 4 or x.shape[1] != 3:
        raise ValueError(f'{what} must be an (N,3,H,W) tensor, got shape {tuple(x.shape)}')


def inpaint_to_seg_input(x: torch.Tensor, data_preprocessor: nn.Module) -> torch.Tensor:
    """RGB (N,3,H,W) in [-1, 1] -> the segmentor's normalised input (same size, no padding):
    ``x_seg = (x + 1) * 127.5``, channels flipped to the network's order, ``(x_seg - mean) /
    std`` with the preprocessor's mean/std."""
    _check(x, 'the inpainting-range image')
    x = (x.float() + 1.) * 127.5
    if seg_channel_order(data_preprocessor) == 'BGR':
        x = x.flip(1)
    mean, std = _mean_std(data_preprocessor, x)
    return x if mean is None else (x - mean) / std


def seg_input_to_inpaint(x_seg: torch.Tensor, data_preprocessor: nn.Module) -> torch.Tensor:
    """Exact inverse of :func:`inpaint_to_seg_input` (padding, if any, is kept as it is)."""
    _check(x_seg, 'the segmentor input')
    mean, std = _mean_std(data_preprocessor, x_seg)
    x = x_seg if mean is None else x_seg * std + mean
    if seg_channel_order(data_preprocessor) == 'BGR':
        x = x.flip(1)
    return x / 127.5 - 1.
