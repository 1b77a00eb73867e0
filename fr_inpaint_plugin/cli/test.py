"""Test (evaluate) a model from an MMEngine config, like MMagic's and MMSeg's
``tools/test.py``. The checkpoint is optional so parameter-free models (the OpenCV baselines)
run without one; ``--out`` writes every metric to a JSON file."""
import argparse
import json
import os.path as osp
from typing import List, Optional

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from ..utils import write_text_atomically
from .args import add_runner_args, load_runner_config
from .distributed import finish_distributed, prepare_cpu_distributed


class KeepTestMetrics(Hook):
    """MMagic's ``MultiTestLoop.run`` returns None (so does ``Runner.test()``): keep the
    metrics the loop hands to its ``after_test_epoch`` hooks instead."""

    def __init__(self):
        self.metrics = None

    def after_test_epoch(self, runner, metrics=None):
        self.metrics = metrics


def test(cfg: Config, checkpoint: Optional[str] = None) -> Optional[dict]:
    """Evaluate ``cfg``'s model (loaded from ``checkpoint``) on its test data; returns the
    metrics (on rank 0; None elsewhere), as plain floats where they are numbers."""
    if checkpoint is not None:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
        cfg.load_from = checkpoint
    # Testing builds none of the training parts; dropping them lets test-only configs (the
    # parameter-free baselines, zoo models without our schedules) omit train_cfg/optim_wrapper.
    cfg.train_dataloader = cfg.train_cfg = cfg.optim_wrapper = cfg.param_scheduler = None
    prepare_cpu_distributed(cfg)
    runner = Runner.from_cfg(cfg)
    kept = KeepTestMetrics()
    runner.register_hook(kept)
    runner.test()
    if runner.rank != 0 or kept.metrics is None:
        return None
    return {k: float(v) if hasattr(v, '__float__') else v for k, v in kept.metrics.items()}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', nargs='?', help='checkpoint file (omit for parameter-free models)')
    parser.add_argument('--out', help='write all metrics to this JSON file')
    add_runner_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    metrics = test(load_runner_config(args), args.checkpoint)
    finish_distributed()
    if args.out is not None and metrics is not None:
        write_text_atomically(args.out, json.dumps(metrics, indent=2, sort_keys=True))
        print(f'metrics written to {args.out}')


if __name__ == '__main__':
    main()
