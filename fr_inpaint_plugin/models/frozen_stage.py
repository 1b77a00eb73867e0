"""Frozen stages: a trained model of an earlier phase, rebuilt from its config + checkpoint, that a
later phase uses but never trains (G_c inside S_ia and the feedback model, S_ia inside the
feedback model)."""
import copy
import os.path as osp
from typing import List, Optional, Sequence, Union

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


def build_frozen_stage(stage: StageCfg, registry: Registry, what: str,
                       drop_keys: Sequence[str] = ()) -> nn.Module:
    """Build (or take) a model, load its checkpoint and :func:`freeze` it.

    ``stage`` (the value of ``model.<what>`` in a config) is one of
    * ``dict(config='configs/.../x.py', checkpoint='work_dirs/.../iter_N.pth')``: the ``model`` of
      that config;
    * ``dict(type=..., ..., checkpoint=...)``: a model config;
    * an already built module (tests, or a caller that holds the model), frozen as it is.
    ``checkpoint`` must be given: a file, or None to keep the freshly built weights (the caller
    loads a state dict afterwards); a stage config without it (the pipeline fills it in from the
    phase that trained the stage) is refused rather than silently left untrained. Models are
    built with ``registry`` in its own scope (``mmagic`` or ``mmseg``), so nested components
    resolve where the stage was trained. ``drop_keys`` are removed from the model config first
    (arguments of the stage's training mode that its user does not want).
    """
    if isinstance(stage, nn.Module):
        return freeze(stage)
    cfg = copy.deepcopy(dict(stage))
    if 'checkpoint' not in cfg:
        raise ValueError(
            f'model.{what}.checkpoint is not set: give the .pth of the trained {what} stage '
            '(tools/train_pipeline.py sets it from the phase that trained it; alone: '
            f'--cfg-options model.{what}.checkpoint=...), or None to build it untrained')
    checkpoint = cfg.pop('checkpoint')
    source = f"config {cfg['config']}" if 'config' in cfg else 'inline config'
    if 'config' in cfg:
        model_cfg = Config.fromfile(cfg.pop('config')).model
        if cfg:
            raise ValueError(f'model.{what}: unexpected keys {sorted(cfg)} next to config and '
                             'checkpoint')
    elif 'type' in cfg:
        model_cfg = cfg
    else:
        raise ValueError(f"model.{what} needs 'config' (a config file) or 'type' (a model "
                         f'config), got keys {sorted(cfg)}')
    for key in drop_keys:
        model_cfg.pop(key, None)
    with DefaultScope.overwrite_default_scope(registry.scope):
        model = registry.build(model_cfg)
    if checkpoint is not None:
        if '://' not in str(checkpoint) and not osp.isfile(checkpoint):
            raise FileNotFoundError(
                f'{what} checkpoint {checkpoint} does not exist: train that stage first '
                f'(tools/train.py <its config>, or tools/train_pipeline.py) or point '
                f'model.{what}.checkpoint at its .pth (paths are relative to the working '
                'directory)')
        try:
            load_checkpoint(model, checkpoint, map_location='cpu', strict=True,
                            revise_keys=[(r'^module\.', '')])
        except RuntimeError as error:  # mmengine's strict load names neither file nor fix
            raise ValueError(
                f'{what} checkpoint {checkpoint} does not fit the model of its {source}: '
                f'{first_lines(error)}. Check that it is a checkpoint of that stage and that '
                'the config (class count, widths) is the one it was trained with') from error
    return freeze(model)


def build_frozen_inpainter(stage: Optional[StageCfg], what: str) -> Optional[nn.Module]:
    """A frozen coarse inpainter (``CoarseInpaintor``), built in MMagic's scope (see
    :func:`build_frozen_stage`); None stays None. It must offer ``inpaint(img, mask) -> (raw,
    composite)`` (images in [-1, 1], mask (N,1,H,W), 1 = hole)."""
    if stage is None:
        return None
    import mmagic.models  # noqa: F401  (registers MMagic's own models)
    from mmagic.registry import MODELS
    model = build_frozen_stage(stage, MODELS, what)
    if not callable(getattr(model, 'inpaint', None)):
        raise TypeError(f'the {what} stage ({type(model).__name__}) has no inpaint(img, mask) '
                        'method; use CoarseInpaintor or a model with that entry point')
    return model


class FrozenStagesMixin:
    """For a model that holds frozen stages (listed by :meth:`frozen_stages`): they stay in eval
    mode even when the loop calls ``train()`` (their BatchNorm statistics never move), and
    ``init_weights`` never re-initialises them, even when an ``init_cfg`` of the model would
    reach their layers. Put it before the model's base class."""

    def frozen_stages(self) -> List[nn.Module]:
        raise NotImplementedError

    def train(self, mode: bool = True):
        super().train(mode)
        for stage in self.frozen_stages():
            stage.eval()
        return self

    def init_weights(self):
        saved = [{k: v.clone() for k, v in stage.state_dict().items()}
                 for stage in self.frozen_stages()]
        super().init_weights()
        for stage, state in zip(self.frozen_stages(), saved):
            stage.load_state_dict(state)


def first_lines(error: Exception, lines: int = 3) -> str:
    return ' '.join(str(error).strip().splitlines()[:lines]).rstrip('.')
