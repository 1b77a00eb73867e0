"""tools/dist_train.sh on a machine without CUDA: two torchrun processes on gloo, the same
code path as multi-GPU training (subprocesses, tiny configs)."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from fr_inpaint_plugin.cli.distributed import prepare_cpu_distributed
from fr_inpaint_plugin.consistency.query_pool import load_query_pool
from fr_inpaint_plugin.pipeline.run import free_port
from tests.conftest import REPO_ROOT, TINY_SIZE, set_img_size

from .test_cli import run_tool

pytestmark = pytest.mark.slow  # multi-process / whole-pipeline runs (CI runs them)

SEG_TINY = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/seg_tiny.py')


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


def test_pseudo_label_round_under_two_processes_equals_the_one_process_round(
        demo_root, tmp_path):
    """The hook under torchrun: rank 0 writes the round once (the other rank waits at the
    barrier), identical to a 1-process round of the same teacher: byte-equal PNGs, the same
    scores.csv and split.json, no temporary file left."""
    cfg = tiny_seg_cfg(demo_root, tmp_path / 'teacher')
    config = tmp_path / 'seg.py'
    cfg.dump(str(config))
    run_tool('tools/train.py', str(config), '--cfg-options', 'train_cfg.max_iters=2')
    cfg.custom_hooks = [dict(type='CrossImagePseudoLabelHook', when='before_train',
                             out_dir='round', reliable_ratio=0.5)]
    cfg.load_from = str(tmp_path / 'teacher' / 'iter_2.pth')
    config = tmp_path / 'seg_round.py'
    cfg.dump(str(config))
    round_options = ['--cfg-options', 'train_cfg.max_iters=1',
                     'default_hooks.checkpoint.interval=1']
    # torchrun with 1 process: the same thread count (1) as the 2-process run, so the query
    # pool's float prototypes can be compared bit for bit
    dist_train(config, tmp_path / 'one', 1, *round_options)
    log = dist_train(config, tmp_path / 'two', 2, *round_options)
    assert 'Distributed training: True' in log
    one, two = tmp_path / 'one' / 'round', tmp_path / 'two' / 'round'
    files = sorted(p.relative_to(one) for p in one.rglob('*') if p.is_file())
    assert sorted(p.relative_to(two) for p in two.rglob('*') if p.is_file()) == files
    assert any(p.suffix == '.png' for p in files) and not any('.tmp' in p.name for p in files)
    for relative in files:
        if relative.suffix == '.pth':  # the query pool: the same prototypes and images
            first, second = (load_query_pool(str(root / relative)) for root in (one, two))
            assert first.image_keys == second.image_keys
            assert all(torch.equal(a, b) for a, b in zip(first.prototypes, second.prototypes))
        else:
            assert (one / relative).read_bytes() == (two / relative).read_bytes(), relative


def largest_weight_difference(first, second):
    first, second = (torch.load(path, map_location='cpu', weights_only=False)['state_dict']
                     for path in (first, second))
    assert first.keys() == second.keys()
    return max((first[k].float() - second[k].float()).abs().max().item()
               for k in first if first[k].is_floating_point())


@pytest.mark.parametrize('norm, tolerance', [('GN', 1e-5), ('BN', None)])
def test_two_processes_of_batch_b_train_like_one_process_of_batch_2b(
        norm, tolerance, demo_root, tmp_path, record_figure):
    """Both runs see the same 2b images per step (no shuffling, no random augmentation, no
    dropout, no cross-image consistency loss, which pairs images within a process's batch) and
    DDP averages the two processes' gradients. With per-sample normalisation (GroupNorm) the
    weights agree to float rounding; BatchNorm normalises each process's b images with their
    own statistics, so there they differ (the figure is recorded, not bounded)."""
    cfg = tiny_seg_cfg(demo_root, tmp_path / 'unused')
    norm_cfg = dict(type='GN', num_groups=4) if norm == 'GN' else dict(type='BN')
    for part in ('backbone', 'decode_head', 'auxiliary_head'):
        cfg.model[part].norm_cfg = norm_cfg
    for head in ('decode_head', 'auxiliary_head'):  # each process draws its own dropout masks
        cfg.model[head].dropout_ratio = 0.0
    cfg.model.consistency_loss_weight = 0.0  # pairs images within each process's batch
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None  # weights only are compared
    loader = cfg.train_dataloader
    loader.sampler = dict(type='InfiniteSampler', shuffle=False)
    loader.dataset.label_filter = 'labelled'  # no all-ignore items: equal per-process means
    loader.dataset.pipeline = [step for step in loader.dataset.pipeline
                               if step['type'] not in ('AlignedFlip', 'GenerateIrregularMask',
                                                       'GetMaskedImage')]
    for step in loader.dataset.pipeline:
        if step['type'] == 'PackInputs':
            step['keys'] = []
    config = tmp_path / 'seg.py'
    cfg.dump(str(config))
    iters = ['train_cfg.max_iters=3', 'default_hooks.checkpoint.interval=3']
    run_tool('tools/train.py', str(config), '--work-dir', str(tmp_path / 'one'),
             '--cfg-options', 'train_dataloader.batch_size=4', *iters)
    dist_train(config, tmp_path / 'two', 2, '--cfg-options', 'train_dataloader.batch_size=2',
               *iters)
    worst = largest_weight_difference(tmp_path / 'one' / 'iter_3.pth',
                                      tmp_path / 'two' / 'iter_3.pth')
    record_figure(f'2 processes x batch 2 vs 1 x batch 4, 3 SGD steps, {norm}: largest weight '
                  f'difference {worst:.1e}')
    if tolerance is not None:
        assert worst < tolerance
    else:
        assert worst > 1e-5  # BatchNorm's per-process statistics do change the result


def test_pipeline_driver_runs_train_phases_in_two_processes(demo_root, tmp_path):
    """``tools/train_pipeline.py --nproc 2``: each train phase through torchrun (gloo), its
    checkpoint then tested in one process."""
    from tests.robustness.test_kill_and_resume import ITERS, write_pipeline
    result = subprocess.run(
        [sys.executable, 'tools/train_pipeline.py', write_pipeline(tmp_path), '--data-root',
         demo_root, '--work-root', str(tmp_path / 'work'), '--nproc', '2'], cwd=REPO_ROOT,
        env=dict(os.environ, OMP_NUM_THREADS='1'), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = (tmp_path / 'work' / 'coarse' / 'phase_output.log').read_text()
    assert 'Distributed training: True' in log and "backend='gloo'" in log
    assert osp.isfile(tmp_path / 'work' / 'coarse' / f'iter_{ITERS}.pth')
    assert osp.isfile(tmp_path / 'work' / 'test_coarse' / 'metrics.json')
