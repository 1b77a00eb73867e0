"""Resume works on this torch (>=2.6 loads checkpoints with weights_only=True)."""
import os.path as osp

from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint


class RecordIters(Hook):
    def __init__(self):
        self.iters = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.iters.append(runner.iter)


def train(cfg):
    runner = Runner.from_cfg(cfg.copy())
    recorder = RecordIters()
    runner.register_hook(recorder)
    runner.train()
    return runner, recorder.iters


def test_train_checkpoint_resume_continues(tiny_coarse_cfg):
    cfg = tiny_coarse_cfg
    cfg.train_cfg.max_iters = 2
    cfg.default_hooks.checkpoint.interval = 2
    _, iters = train(cfg)
    assert iters == [0, 1]
    checkpoint = osp.join(cfg.work_dir, 'iter_2.pth')
    saved = _load_checkpoint(checkpoint, map_location='cpu')  # how Runner.resume reads it
    assert saved['meta']['iter'] == 2

    cfg.train_cfg.max_iters = 4
    cfg.resume = True
    resumed, iters = train(cfg)
    assert iters == [2, 3]  # continued, not restarted
    assert resumed.iter == 4
    after = _load_checkpoint(osp.join(cfg.work_dir, 'iter_4.pth'), map_location='cpu')
    assert after['meta']['iter'] == 4
    # The optimizer state came back too: Adam's step count kept counting.
    assert after['optimizer']['generator']['state'][0]['step'] > \
        saved['optimizer']['generator']['state'][0]['step']
