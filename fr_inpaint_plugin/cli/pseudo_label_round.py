"""Write a pseudo-label round from a trained teacher with chosen settings, and audit it.

    python tools/pseudo_label_round.py CONFIG CHECKPOINT OUT_DIR [--hook-options k=v ...]

``CONFIG`` is the config the teacher trained with (a pipeline phase's ``phase_config.py``): its
training set gives the labelled items (class anchors) and the unlabelled items to label.
``CrossImagePseudoLabelHook`` runs once on the checkpoint, outside training, with
``keep='reliable'``, ``audit=True`` and no query pool unless ``--hook-options`` say otherwise
(e.g. ``selection=per_class align_class_distribution=labels``); ``OUT_DIR`` receives the
round (PNGs, ``scores.csv``, ``split.json``, the audit) and the runner's log. A student then
trains on it: ``python tools/train.py STUDENT_CONFIG --cfg-options
"train_dataloader.dataset.pseudo_label_dirs=['OUT_DIR']"``. Relative paths in the hook
options (``restrict_to.split_file``) are taken from ``OUT_DIR``.
"""
import argparse
import os.path as osp
from typing import List, Optional

from mmengine.config import Config
from mmengine.runner import Runner

from ..engine.hooks import CrossImagePseudoLabelHook
from .args import CfgOptionsAction

ROUND_DEFAULTS = dict(keep='reliable', audit=True, query_pool_ratio=None)


def write_round(config: str, checkpoint: str, out_dir: str,
                hook_options: Optional[dict] = None,
                cfg_options: Optional[dict] = None) -> dict:
    """Run the round; returns its ``split.json`` content."""
    for path, what in ((config, 'config'), (checkpoint, 'checkpoint')):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{what} {path} does not exist: give the teacher\'s '
                                    "phase_config.py and one of its iter_*.pth")
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    out_dir = osp.abspath(out_dir)
    cfg.work_dir = out_dir
    cfg.launcher = 'none'
    cfg.resume = False
    cfg.pop('load_from', None)
    cfg.custom_hooks = [dict(type='CrossImagePseudoLabelHook', out_dir=out_dir,
                             when='after_train', **{**ROUND_DEFAULTS, **(hook_options or {})})]
    runner = Runner.from_cfg(cfg)
    runner.load_checkpoint(checkpoint)
    hook = next(h for h in runner.hooks if isinstance(h, CrossImagePseudoLabelHook))
    return hook.run(runner)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help="the teacher's config (a phase's phase_config.py)")
    parser.add_argument('checkpoint', help="the teacher's checkpoint")
    parser.add_argument('out_dir', help='where to write the round')
    parser.add_argument('--hook-options', nargs='+', action=CfgOptionsAction, default={},
                        help='CrossImagePseudoLabelHook arguments, e.g. selection=per_class')
    parser.add_argument('--cfg-options', nargs='+', action=CfgOptionsAction,
                        help='override settings in the config')
    args = parser.parse_args(argv)
    summary = write_round(args.config, args.checkpoint, args.out_dir, args.hook_options,
                          args.cfg_options)
    print(f"{summary['num_images']} images scored, {len(summary['reliable'])} reliable, "
          f"{summary['num_written']} written ({summary['keep']}) to {osp.abspath(args.out_dir)}")
