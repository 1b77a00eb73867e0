"""The coarse stage with MMEngine's EMAHook (configs/fr_inpaint/camvid/coarse_cpu_ema.py): its
checkpoints hold the averaged weights, which is what a later phase freezes, and a resumed run
trains the raw weights on."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.hooks import EMAHook
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint

from fr_inpaint_plugin.models.frozen_stage import build_frozen_inpainter
from tests.conftest import REPO_ROOT

WEIGHT = 'generator.encoder.0.0.weight'


def ema_hooks():
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/fr_inpaint/camvid/coarse_cpu_ema.py'))
    return cfg.custom_hooks


def train(cfg, max_iters):
    cfg.train_cfg.max_iters = max_iters
    runner = Runner.from_cfg(cfg.copy())
    runner.train()
    ema_hook = next(hook for hook in runner.hooks if isinstance(hook, EMAHook))
    return runner, ema_hook


def test_checkpoint_holds_the_averaged_weights_and_the_frozen_stage_loads_them(tiny_coarse_cfg):
    cfg = tiny_coarse_cfg
    cfg.custom_hooks = ema_hooks()
    cfg.default_hooks.checkpoint.interval = 2
    runner, ema_hook = train(cfg, 2)
    averaged = ema_hook.ema_model.module.state_dict()
    raw = runner.model.state_dict()
    assert not torch.equal(averaged[WEIGHT], raw[WEIGHT])  # 2 steps at momentum 0.002 moved little

    path = osp.join(cfg.work_dir, 'iter_2.pth')
    saved = _load_checkpoint(path, map_location='cpu')
    assert torch.equal(saved['state_dict'][WEIGHT], averaged[WEIGHT])
    assert torch.equal(saved['ema_state_dict']['module.' + WEIGHT], raw[WEIGHT])

    frozen = build_frozen_inpainter(dict(cfg.model, checkpoint=path), 'coarse')
    assert torch.equal(frozen.state_dict()[WEIGHT], averaged[WEIGHT])


def test_resume_trains_the_raw_weights_on(tiny_coarse_cfg):
    cfg = tiny_coarse_cfg
    cfg.custom_hooks = ema_hooks()
    cfg.default_hooks.checkpoint.interval = 2
    first, _ = train(cfg, 2)
    raw_at_2 = first.model.state_dict()[WEIGHT].clone()

    cfg.resume = True
    cfg.load_from = osp.join(cfg.work_dir, 'iter_2.pth')
    resumed = Runner.from_cfg(cfg.copy())
    resumed.call_hook('before_run')  # Runner.train's order: the hook builds its average first
    resumed.load_or_resume()
    assert torch.equal(resumed.model.state_dict()[WEIGHT], raw_at_2)
    ema_hook = next(hook for hook in resumed.hooks if isinstance(hook, EMAHook))
    saved = _load_checkpoint(cfg.load_from, map_location='cpu')
    assert torch.equal(ema_hook.ema_model.module.state_dict()[WEIGHT], saved['state_dict'][WEIGHT])
