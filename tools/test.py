# Test (evaluate) a model from an MMEngine config, like MMagic's and MMSeg's tools/test.py.
# The checkpoint is optional so parameter-free models (e.g. the OpenCV baselines) run without one.
import argparse
import json
import os
import os.path as osp

from mmengine.hooks import Hook
from mmengine.runner import Runner

import fr_inpaint_plugin  # noqa: F401  (applies compat shims, registers our components)
from fr_inpaint_plugin.utils import add_runner_args, load_runner_config


class KeepTestMetrics(Hook):
    """MMagic's ``MultiTestLoop.run`` returns None (so does ``Runner.test()``): keep the
    metrics the loop hands to its ``after_test_epoch`` hooks instead."""

    def __init__(self):
        self.metrics = None

    def after_test_epoch(self, runner, metrics=None):
        self.metrics = metrics


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', nargs='?', help='checkpoint file (omit for parameter-free models)')
    parser.add_argument('--out', help='write all metrics to this JSON file')
    add_runner_args(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_runner_config(args)
    if args.checkpoint is not None:
        if not osp.isfile(args.checkpoint):
            raise FileNotFoundError(f'checkpoint {args.checkpoint} does not exist')
        cfg.load_from = args.checkpoint

    # Testing builds none of the training parts; dropping them lets test-only configs (the
    # parameter-free baselines, zoo models without our schedules) omit train_cfg/optim_wrapper.
    cfg.train_dataloader = cfg.train_cfg = cfg.optim_wrapper = cfg.param_scheduler = None

    runner = Runner.from_cfg(cfg)
    kept = KeepTestMetrics()
    runner.register_hook(kept)
    runner.test()
    metrics = kept.metrics

    if args.out is not None and runner.rank == 0:
        out_dir = osp.dirname(osp.abspath(args.out))
        os.makedirs(out_dir, exist_ok=True)
        tmp = f'{args.out}.tmp'
        with open(tmp, 'w') as f:
            json.dump({k: float(v) if hasattr(v, '__float__') else v for k, v in metrics.items()},
                      f, indent=2, sort_keys=True)
        os.replace(tmp, args.out)
        print(f'metrics written to {args.out}')


if __name__ == '__main__':
    main()
