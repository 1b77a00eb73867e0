"""Training throughput of a phase: a few iterations of its config through the MMEngine Runner
(data loading included, as in a real run), the frozen stages untrained, on a chosen device."""
import statistics
import tempfile
import time
from typing import Optional

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from .timing import Device, Timing, wait_for


class IterationTimer(Hook):
    """Wall-clock seconds of every training iteration (data loading included), each until its
    work on ``device`` is done."""
    priority = 'VERY_LOW'

    def __init__(self, device: Device):
        self.device = device
        self.seconds = []
        self._start = None

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self._start = time.perf_counter()

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        wait_for(self.device)
        self.seconds.append(time.perf_counter() - self._start)


def _benchmark_config(config: str, iterations: int, work_dir: str,
                      options: Optional[dict]) -> Config:
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    for stage in ('coarse', 'segmentor', 'inpainter'):
        if isinstance(cfg.model.get(stage), dict) and 'config' in cfg.model[stage]:
            cfg.model[stage].checkpoint = None
    cfg.train_cfg.max_iters = iterations
    cfg.train_cfg.val_interval = iterations + 1
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.param_scheduler = None
    cfg.custom_hooks = []
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=iterations + 1,
                                        save_last=False)
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=iterations + 1)
    cfg.default_hooks.pop('visualization', None)
    cfg.load_from, cfg.resume, cfg.work_dir = None, False, work_dir
    return cfg


def train_throughput(config: str, warmup: int, repeats: int,
                     options: Optional[dict] = None, device: Device = 'cpu') -> dict:
    """Images per second of ``config``'s training step on ``device`` (median over ``repeats``
    iterations after ``warmup``), with its batch size."""
    with tempfile.TemporaryDirectory() as work_dir:
        cfg = _benchmark_config(config, warmup + repeats, work_dir, options)
        runner = Runner.from_cfg(cfg)
        # The Runner has moved the model to MMEngine's default device (CUDA whenever there is
        # one); train() builds the optimizers from the parameters where they are then.
        runner.model.to(device)
        timer = IterationTimer(device)
        runner.register_hook(timer)
        runner.train()
    timed = timer.seconds[warmup:]
    timing = Timing(statistics.median(timed), min(timed), max(timed), len(timed))
    batch = cfg.train_dataloader.batch_size
    return dict(config=config, device=str(device), batch_size=batch, timing=timing.as_dict(),
                images_per_s=batch / timing.median)
