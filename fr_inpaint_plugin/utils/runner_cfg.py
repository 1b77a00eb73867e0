"""Config edits shared by tools/train.py, tools/test.py and the pipeline driver."""
import os.path as osp

import torch
from mmengine.config import Config


def default_work_dir(config_path: str) -> str:
    """``./work_dirs/<config name>``, MMagic's and MMSeg's default."""
    return osp.join('./work_dirs', osp.splitext(osp.basename(config_path))[0])


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
