# Build the model of every shipped config and run one forward pass (val_step) on one sample of
# the config's own validation (or test) data; frozen stages whose checkpoints are not given (the
# pipeline sets them) or not trained yet are built untrained. Configs whose data is not on this
# machine are listed, not run.
#   python tools/check_configs.py [configs/ or config files...]
import argparse
import os.path as osp
import sys
from glob import glob

import torch
from mmagic.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope, init_default_scope

import fr_inpaint_plugin  # noqa: F401  (applies compat shims, registers our components)
from fr_inpaint_plugin.pipeline import load_plan


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


def untrain_stages(node, where='model'):
    """Set every frozen stage (``dict(config=..., checkpoint=...)``) whose checkpoint is not
    given or not on disk to ``checkpoint=None`` (built untrained: the check is about building
    and shapes); returns where they are."""
    found = []
    if isinstance(node, dict):
        if 'config' in node and not ('checkpoint' in node and (
                node['checkpoint'] is None or osp.isfile(node['checkpoint']))):
            node['checkpoint'] = None
            found.append(where)
        for key, value in node.items():
            found += untrain_stages(value, f'{where}.{key}')
    return found


def check(config_path):
    """A status line for a config that ran, or the reason it was skipped (starting 'skip')."""
    cfg = Config.fromfile(config_path)
    if 'phases' in cfg:  # a pipeline config: its phases' configs are checked on their own
        plan = load_plan(config_path)
        return f'ok   pipeline of {len(plan.phases)} phases (tools/train_pipeline.py)'
    if 'model' not in cfg and 'mmagic_inpaintors' in cfg:  # a tools/benchmark.py config
        named = [cfg.pipeline, *cfg.get('train_phases', {}).values()]
        missing = [path for path in named if not osp.isfile(path)]
        if missing:
            raise FileNotFoundError(f'{config_path} names configs that do not exist: {missing}')
        return f'ok   benchmark of {len(named)} configs (tools/benchmark.py)'
    data_root = data_root_of(cfg)
    if data_root is not None and not osp.isdir(data_root):
        return f'skip data not on this machine ({data_root})'
    untrained = untrain_stages(cfg.model)
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
    note = f' (untrained stages: {", ".join(untrained)})' if untrained else ''
    return f'ok   {type(model).__name__}: {num_params / 1e6:.1f}M parameters, ' \
        f'{len(outputs)} output(s) from {len(dataset)} val samples{note}'


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
