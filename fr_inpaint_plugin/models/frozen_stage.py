"""Frozen stages: a trained model of an earlier phase, rebuilt from its config + checkpoint, that a
later phase uses but never trains (G_c inside S_ia and the feedback model, S_ia inside the
feedback model)."""
import copy
import os.path as osp
from typing import Sequence, Union

from mmengine.config import Config
from mmengine.registry import DefaultScope, Registry
from mmengine.runner import load_checkpoint
from torch import nn

StageCfg = Union[dict, nn.Module]


def freeze(model: nn.Module) -> nn.Module:
    """Eval mode, no gradients, and marked initialised so that no ``init_weights`` of a parent
    model re-initialises it (that would wipe its checkpoint)."""
    model.eval()
    model.requires_grad_(False)
    model._is_init = True
    return model


def build_frozen_stage(stage: StageCfg, registry: Registry, what: str, hint: str,
                       drop_keys: Sequence[str] = ()) -> nn.Module:
    """Build (or take) a model, load its checkpoint and :func:`freeze` it.

    ``stage`` is one of
    * ``dict(config='configs/.../x.py', checkpoint='work_dirs/.../iter_N.pth')``: the ``model`` of
      that config;
    * ``dict(type=..., ..., checkpoint=...)``: a model config;
    * an already built module (tests, or a caller that holds the model), frozen as it is.
    ``checkpoint=None`` (or absent) leaves the freshly built weights: the caller loads a state
    dict afterwards. Models are built with ``registry`` in its own scope (``mmagic`` or
    ``mmseg``), so nested components resolve where the stage was trained. ``drop_keys`` are
    removed from the model config first (arguments of the stage's training mode that its user
    does not want). ``what`` names the stage in errors, ``hint`` says how to get a missing
    checkpoint.
    """
    if isinstance(stage, nn.Module):
        return freeze(stage)
    cfg = copy.deepcopy(dict(stage))
    checkpoint = cfg.pop('checkpoint', None)
    if 'config' in cfg:
        model_cfg = Config.fromfile(cfg.pop('config')).model
        if cfg:
            raise ValueError(f'{what}: unexpected keys {sorted(cfg)} next to config and '
                             'checkpoint')
    elif 'type' in cfg:
        model_cfg = cfg
    else:
        raise ValueError(f"{what} needs 'config' (a config file) or 'type' (a model config), "
                         f'got keys {sorted(cfg)}')
    for key in drop_keys:
        model_cfg.pop(key, None)
    with DefaultScope.overwrite_default_scope(registry.scope):
        model = registry.build(model_cfg)
    if checkpoint is not None:
        if '://' not in str(checkpoint) and not osp.isfile(checkpoint):
            raise FileNotFoundError(f'{what} checkpoint {checkpoint} does not exist: {hint} '
                                    '(paths are relative to the working directory)')
        load_checkpoint(model, checkpoint, map_location='cpu', strict=True,
                        revise_keys=[(r'^module\.', '')])
    return freeze(model)
