"""Train a model from an MMEngine config, with the options of MMagic's and MMSeg's
``tools/train.py``: --work-dir, --resume, --amp, --cfg-options, --launcher."""
import argparse
from typing import List, Optional

from mmengine.runner import Runner

from .args import add_runner_args, enable_amp, load_runner_config
from .distributed import finish_distributed, prepare_cpu_distributed


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint; without a path, resume from '
        'the latest checkpoint in the work dir')
    parser.add_argument(
        '--amp', action='store_true', help='enable automatic mixed precision training')
    add_runner_args(parser)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    cfg = load_runner_config(args)
    if args.amp:
        enable_amp(cfg)
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    prepare_cpu_distributed(cfg)
    Runner.from_cfg(cfg).train()
    finish_distributed()


if __name__ == '__main__':
    main()
