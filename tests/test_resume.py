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


class CountDraws(Hook):
    """Counts the batches drawn from the train loader (replayed or trained on)."""

    def __init__(self):
        self.draws = 0

    def before_train(self, runner):
        loader = runner.train_loop.dataloader_iterator
        counter = self

        class Counting:
            def __next__(self):
                counter.draws += 1
                return next(loader)

        if hasattr(loader, '_dataloader'):  # the real iterator, not an earlier replacement
            runner.train_loop.dataloader_iterator = Counting()


def test_resuming_a_finished_run_reruns_its_hooks_without_replaying_its_data(tiny_coarse_cfg):
    cfg = tiny_coarse_cfg
    cfg.train_cfg.max_iters = 2
    cfg.default_hooks.checkpoint.interval = 2
    train(cfg)
    cfg.resume = True
    runner = Runner.from_cfg(cfg.copy())
    draws, finished = CountDraws(), []
    runner.register_hook(draws)

    class AfterTrain(Hook):
        def after_train(self, runner):
            finished.append(runner.iter)

    runner.register_hook(AfterTrain())
    runner.train()
    assert finished == [2]  # after_train hooks (pseudo-label rounds) ran again
    assert draws.draws == 0  # no batch of the finished run was loaded again


def test_resuming_mid_run_still_replays_the_data_order(tiny_coarse_cfg):
    cfg = tiny_coarse_cfg
    cfg.train_cfg.max_iters = 2
    cfg.default_hooks.checkpoint.interval = 2
    train(cfg)
    cfg.train_cfg.max_iters = 3
    cfg.resume = True
    runner = Runner.from_cfg(cfg.copy())
    draws = CountDraws()
    runner.register_hook(draws)
    runner.train()
    assert draws.draws == 3  # 2 replayed + 1 trained
