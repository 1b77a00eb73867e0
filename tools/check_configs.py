# Build the model of every shipped config and run one forward pass (val_step) on one sample of
# the config's own validation (or test) data. Configs whose data is not on this machine are
# listed, not run.
#   python tools/check_configs.py [configs/ or config files...]
import argparse
import os.path as osp
import sys
from glob import glob

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope, init_default_scope

import fr_inpaint_plugin  # noqa: F401  (applies compat shims, registers our components)
from fr_inpaint_plugin.pipeline import load_plan
from mmagic.registry import DATASETS, MODELS


def find_configs(paths):
    configs = []
    for path in paths:
        if osp.isdir(path):
            configs += sorted(
                p for p in glob(osp.join(path, '**', '*.py'), recursive=True)
                if f'{osp.sep}_base_{osp.sep}' not in p and '__pycache__' not in p)
        else:
            configs.append(path)
    return configs


def eval_loader(cfg):
    """The val dataloader, or the test one for configs that do not validate while training."""
    return cfg.get('val_dataloader') or cfg.get('test_dataloader') or {}


def data_root_of(cfg):
    return eval_loader(cfg).get('dataset', {}).get('data_root')


def missing_checkpoints(node):
    """Checkpoint files a model config names (e.g. a frozen stage) that are not on disk."""
    if isinstance(node, dict):
        found = [node['checkpoint']] if isinstance(node.get('checkpoint'), str) and \
            not osp.isfile(node['checkpoint']) else []
        return found + [p for value in node.values() for p in missing_checkpoints(value)]
    if isinstance(node, (list, tuple)):
        return [p for value in node for p in missing_checkpoints(value)]
    return []


def check(config_path):
    """A status line for a config that ran, or the reason it was skipped (starting 'skip')."""
    cfg = Config.fromfile(config_path)
    if 'phases' in cfg:  # a pipeline config: its phases' configs are checked on their own
        plan = load_plan(config_path)
        return f'ok   pipeline of {len(plan.phases)} phases (tools/train_pipeline.py)'
    data_root = data_root_of(cfg)
    if data_root is not None and not osp.isdir(data_root):
        return f'skip data not on this machine ({data_root})'
    checkpoints = missing_checkpoints(cfg.model)
    if checkpoints:
        return f'skip needs {", ".join(checkpoints)} (train that stage first)'
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'mmagic')):
        model = MODELS.build(cfg.model)
        model.init_weights()
        model.eval()
        dataset = DATASETS.build(eval_loader(cfg).dataset)
        batch = pseudo_collate([dataset[0]])
        with torch.no_grad():
            outputs = model.val_step(batch)
    num_params = sum(p.numel() for p in model.parameters())
    return f'ok   {type(model).__name__}: {num_params / 1e6:.1f}M parameters, ' \
        f'{len(outputs)} output(s) from {len(dataset)} val samples'


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('paths', nargs='*', default=['configs'])
    args = parser.parse_args()
    failures = 0
    for config_path in find_configs(args.paths):
        try:
            status = check(config_path)
        except Exception as exc:  # report every config, then fail at the end
            failures += 1
            status = f'FAIL {type(exc).__name__}: {exc}'
        print(f'{config_path}: {status}', flush=True)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
