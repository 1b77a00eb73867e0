"""Distributed runs without CUDA: the same torchrun path as on GPUs, on the gloo backend."""
import datetime
import gc

import torch
import torch.distributed as dist
from mmengine.config import Config


def prepare_cpu_distributed(cfg: Config) -> None:
    """Make ``--launcher pytorch`` (torchrun, ``tools/dist_train.sh``) work on a CPU-only machine.

    mmengine 0.10.7's pytorch launcher calls ``torch.cuda.set_device`` before it starts the
    process group, and gives DistributedDataParallel ``device_ids=[LOCAL_RANK]``, which DDP
    refuses for CPU modules. Without CUDA we start the gloo process group from torchrun's
    environment ourselves (the Runner then skips its own start) and wrap the model with no
    device ids. With CUDA, or without a launcher, nothing changes.
    """
    if cfg.launcher == 'none' or torch.cuda.is_available():
        return
    if cfg.launcher != 'pytorch':
        raise ValueError(f'--launcher {cfg.launcher} needs CUDA; on a machine without a GPU '
                         'start the processes with torchrun (tools/dist_train.sh), '
                         '--launcher pytorch, which runs on the gloo backend')
    dist_cfg = cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    dist_cfg['backend'] = 'gloo'
    if not dist.is_initialized():
        timeout = datetime.timedelta(seconds=dist_cfg.get('timeout', 1800))
        dist.init_process_group(backend='gloo', timeout=timeout)
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel', broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper


def finish_distributed() -> None:
    """Leave a distributed run cleanly once every rank is done: wait for the others, then
    destroy the process group. Left to the interpreter's exit, a gloo worker thread can still be
    joinable when its C++ object is destroyed, which aborts the process after a finished run
    ('terminate called without an active exception', SIGABRT, seen in 2 of about 10 two-process
    CPU runs here). The finished Runner is collected first: its DistributedDataParallel wrapper
    (in reference cycles, so not freed when ``main`` drops it) holds the group, which would
    otherwise outlive ``destroy_process_group`` until the interpreter's teardown. Without a
    process group it does nothing."""
    if dist.is_available() and dist.is_initialized():
        gc.collect()
        dist.barrier()
        dist.destroy_process_group()
