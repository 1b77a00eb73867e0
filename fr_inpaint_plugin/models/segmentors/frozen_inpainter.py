"""The frozen coarse inpainter of the inpainting-aware segmentor (S_ia)."""
from typing import Optional, Union

from torch import nn

from ..frozen_stage import build_frozen_stage

InpainterCfg = Union[None, dict, nn.Module]


def build_frozen_inpainter(inpainter: InpainterCfg) -> Optional[nn.Module]:
    """Build (or take) the inpainter, load its checkpoint, freeze it and put it in eval mode.

    ``inpainter`` is one of
    * ``dict(config='configs/.../coarse.py', checkpoint='work_dirs/.../iter_N.pth')``: the
      ``model`` of that MMagic config, built in MMagic's scope;
    * ``dict(type='CoarseInpaintor', ..., checkpoint=None)``: a model config (MMagic scope);
    * an already built module (tests, or a caller that holds the inpainter);
    * None: no inpainting-aware mode.
    The module must offer ``inpaint(img, mask) -> (raw, composite)`` (images in [-1, 1], mask
    (N,1,H,W), 1 = hole), as ``CoarseInpaintor`` does.
    """
    if inpainter is None:
        return None
    from mmagic.registry import MODELS as MMAGIC_MODELS
    import mmagic.models  # noqa: F401  (registers MMagic's own models)
    model = build_frozen_stage(
        inpainter, MMAGIC_MODELS, 'inpainter',
        hint='train the coarse stage first (tools/train.py <coarse config>) or point '
        'inpainter.checkpoint at its .pth')
    if not callable(getattr(model, 'inpaint', None)):
        raise TypeError(f'the inpainter ({type(model).__name__}) has no inpaint(img, mask) '
                        'method; use CoarseInpaintor or a model with that entry point')
    return model
