"""Command-line and config handling shared by the train and test entry points."""
import argparse
import os
import os.path as osp
from typing import Any, Iterator

import torch
from mmengine.config import Config, DictAction


def default_work_dir(config_path: str) -> str:
    """``./work_dirs/<config name>``, MMagic's and MMSeg's default."""
    return osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


class CfgOptionsAction(DictAction):
    """mmengine's ``DictAction``, refusing a ``key=dict(...)`` value.

    ``DictAction`` parses numbers, booleans, None, lists and tuples but keeps ``dict(...)`` as a
    string, which fails far from the command line (``batch_sampler='dict(...)'`` reaches torch's
    DataLoader as an object) or is silently kept as a wrong setting.
    """

    def __call__(self, parser, namespace, values, option_string=None):
        super().__call__(parser, namespace, values, option_string)
        for key, value in getattr(namespace, self.dest).items():
            if any(isinstance(leaf, str) and leaf.startswith('dict(') for leaf in _leaves(value)):
                parser.error(
                    f'{option_string} {key}={value!r}: mmengine reads dict(...) as a string. '
                    f'Set the fields one by one (e.g. {key}.type=NAME {key}.ARG=VALUE), or for '
                    "a list of dicts write a small config with _base_ = ['<this config>'].")


def add_runner_args(parser: argparse.ArgumentParser) -> None:
    """The options MMagic's and MMSeg's train/test tools share."""
    parser.add_argument('--work-dir', help='the dir to save logs, checkpoints and results')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=CfgOptionsAction,
        help='override settings in the config, e.g. train_cfg.max_iters=100')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_runner_config(args: argparse.Namespace) -> Config:
    """``args.config`` with the shared options applied (see :func:`add_runner_args`)."""
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = default_work_dir(args.config)
    return cfg


def enable_amp(cfg: Config) -> None:
    """Switch every optimizer wrapper of ``cfg`` to mmengine's ``AmpOptimWrapper``.

    Handles a single wrapper and the per-network dict used with
    ``MultiOptimWrapperConstructor`` (generator/discriminator). Models must step
    through ``optim_wrapper.update_params``/``optim_context`` for this to take effect.
    """
    if not torch.cuda.is_available():
        raise RuntimeError(
            '--amp needs a CUDA device: mmengine 0.10.7 builds AmpOptimWrapper only on '
            'gpu/npu/mlu/musa. Drop --amp to train in float32 on the CPU.')
    wrapper_cfg = cfg.optim_wrapper
    if 'type' in wrapper_cfg or 'optimizer' in wrapper_cfg:
        wrappers = [wrapper_cfg]
    else:
        wrappers = [v for k, v in wrapper_cfg.items() if k != 'constructor' and isinstance(v, dict)]
    for wrapper in wrappers:
        if wrapper.get('type', 'OptimWrapper') not in ('OptimWrapper', 'AmpOptimWrapper'):
            raise ValueError(
                f'--amp cannot convert optimizer wrapper type {wrapper["type"]!r}; '
                'set AmpOptimWrapper in the config instead.')
        wrapper['type'] = 'AmpOptimWrapper'
        wrapper.setdefault('loss_scale', 'dynamic')
