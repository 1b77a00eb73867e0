"""tools/dist_train.sh on a machine without CUDA: two torchrun processes on gloo, the same
code path as multi-GPU training (subprocesses, tiny configs)."""
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
from mmengine.config import Config

from fr_inpaint_plugin.cli.distributed import prepare_cpu_distributed
from tests.conftest import REPO_ROOT, TINY_SIZE, set_img_size

from .test_cli import run_tool

SEG_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/seg_tiny.py')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def dist_train(config, work_dir, nproc, *options):
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()), OMP_NUM_THREADS='1')
    result = subprocess.run(['bash', 'tools/dist_train.sh', str(config), str(nproc),
                             '--work-dir', str(work_dir), *options], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def tiny_seg_cfg(demo_root, work_dir):
    cfg = Config.fromfile(SEG_TINY)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = demo_root
        cfg[loader].num_workers = 0
    set_img_size(cfg, (TINY_SIZE, TINY_SIZE))
    cfg.work_dir = str(work_dir)
    return cfg


@pytest.mark.parametrize('stage', ['coarse', 'segmentor'])
def test_two_cpu_processes_train_and_one_process_loads_their_checkpoint(
        stage, tiny_coarse_cfg, demo_root, tmp_path):
    cfg = tiny_coarse_cfg if stage == 'coarse' else tiny_seg_cfg(demo_root, tmp_path / 'w')
    config = tmp_path / f'{stage}.py'
    cfg.dump(str(config))
    work_dir = tmp_path / 'run'
    log = dist_train(config, work_dir, 2, '--cfg-options', 'train_cfg.max_iters=2',
                     'default_hooks.checkpoint.interval=2')
    assert 'Distributed training: True' in log and "backend='gloo'" in log
    assert osp.isfile(work_dir / 'iter_2.pth')
    run_tool('tools/test.py', str(config), str(work_dir / 'iter_2.pth'), '--work-dir',
             str(tmp_path / 'test'))


def test_cpu_distributed_setup_leaves_other_runs_alone(monkeypatch):
    monkeypatch.setattr('torch.cuda.is_available', lambda: False)
    cfg = Config(dict(launcher='none'))
    prepare_cpu_distributed(cfg)
    assert 'model_wrapper_cfg' not in cfg and 'env_cfg' not in cfg
    with pytest.raises(ValueError, match='torchrun'):
        prepare_cpu_distributed(Config(dict(launcher='slurm')))
