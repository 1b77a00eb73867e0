"""The frozen coarse inpainter of the inpainting-aware segmentor (S_ia)."""
import copy
import os.path as osp
from typing import Optional, Union

from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
from torch import nn

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
    if isinstance(inpainter, nn.Module):
        model = inpainter
    else:
        cfg = copy.deepcopy(dict(inpainter))
        checkpoint = cfg.pop('checkpoint', None)
        if 'config' in cfg:
            model_cfg = Config.fromfile(cfg.pop('config')).model
            if cfg:
                raise ValueError(f'inpainter: unexpected keys {sorted(cfg)} next to config '
                                 'and checkpoint')
        elif 'type' in cfg:
            model_cfg = cfg
        else:
            raise ValueError("inpainter needs 'config' (an MMagic config file) or 'type' (a "
                             f'model config), got keys {sorted(cfg)}')
        from mmagic.registry import MODELS as MMAGIC_MODELS
        import mmagic.models  # noqa: F401  (registers MMagic's own models)
        with DefaultScope.overwrite_default_scope('mmagic'):
            model = MMAGIC_MODELS.build(model_cfg)
        if checkpoint is not None:
            if '://' not in str(checkpoint) and not osp.isfile(checkpoint):
                raise FileNotFoundError(
                    f'inpainter checkpoint {checkpoint} does not exist: train the coarse stage '
                    'first (tools/train.py <coarse config>) or point inpainter.checkpoint at '
                    'its .pth (paths are relative to the working directory)')
            load_checkpoint(model, checkpoint, map_location='cpu', strict=True,
                            revise_keys=[(r'^module\.', '')])
    if not callable(getattr(model, 'inpaint', None)):
        raise TypeError(f'the inpainter ({type(model).__name__}) has no inpaint(img, mask) '
                        'method; use CoarseInpaintor or a model with that entry point')
    model.eval()
    model.requires_grad_(False)
    # Never re-initialised by the segmentor's init_weights (it would wipe the checkpoint).
    model._is_init = True
    return model
