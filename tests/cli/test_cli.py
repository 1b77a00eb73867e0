"""tools/train.py and tools/test.py as a user runs them (subprocesses, tiny config)."""
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint

from fr_inpaint_plugin.cli.args import enable_amp
from tests.conftest import REPO_ROOT


def run_tool(*args):
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_train_resume_and_test_cli(tiny_coarse_cfg, tmp_path):
    config = tmp_path / 'tiny.py'
    tiny_coarse_cfg.dump(str(config))
    work_dir = tmp_path / 'run'
    run_tool('tools/train.py', str(config), '--work-dir', str(work_dir),
             '--cfg-options', 'train_cfg.max_iters=2')
    assert osp.isfile(work_dir / 'iter_2.pth')
    result = run_tool('tools/train.py', str(config), '--work-dir', str(work_dir), '--resume',
                      '--cfg-options', 'train_cfg.max_iters=3')
    assert 'resumed' in (result.stdout + result.stderr).lower()
    assert _load_checkpoint(str(work_dir / 'iter_3.pth'), map_location='cpu')['meta']['iter'] == 3

    out = tmp_path / 'metrics.json'
    run_tool('tools/test.py', str(config), str(work_dir / 'iter_3.pth'), '--work-dir',
             str(work_dir), '--out', str(out))
    metrics = json.loads(out.read_text())
    assert metrics and all(isinstance(v, float) for v in metrics.values())


def test_enable_amp_converts_every_optimizer_wrapper(monkeypatch):
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse.py'))
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    enable_amp(cfg)
    assert cfg.optim_wrapper.generator.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.disc.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.constructor == 'MultiOptimWrapperConstructor'


def test_enable_amp_without_gpu_says_so(monkeypatch):
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/fr_inpaint/demo/coarse.py'))
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    with pytest.raises(RuntimeError, match='--amp needs a CUDA device'):
        enable_amp(cfg)


def test_parameter_free_baseline_needs_no_checkpoint(demo_root, tmp_path):
    out = tmp_path / 'floor.json'
    size = '(64,64)'
    run_tool('tools/test.py', 'configs/baselines/opencv_telea_demo_scenes.py',
             '--work-dir', str(tmp_path / 'run'), '--out', str(out), '--cfg-options',
             f'test_dataloader.dataset.data_root={demo_root}',
             f'test_dataloader.dataset.img_size={size}', 'test_dataloader.num_workers=0')
    metrics = json.loads(out.read_text())
    expected = {f'{m}@{b}' for m in ('PSNR', 'SSIM', 'LPIPS')
                for b in ('0-20', '20-40', '40-60', 'all')}
    assert set(metrics) == expected
    # Bigger holes are harder (each image is scored once per bucket, so this is a fair
    # comparison even on two images).
    assert metrics['PSNR@0-20'] > metrics['PSNR@20-40'] > metrics['PSNR@40-60']


def test_pipeline_results_carry_the_audits_of_its_train_phases(tmp_path):
    from fr_inpaint_plugin.cli.train_pipeline import audit_table
    from fr_inpaint_plugin.pipeline.plan import Phase, PipelinePlan
    summary = dict(num_audited=10, reliable_miou=0.5, unreliable_miou=0.4,
                   random_half_miou=0.45, random_half_p95=0.47,
                   spearman_distance_miou_error=0.33)
    round_dir = tmp_path / 'seg_step1_s0' / 'pseudo_round1_reliable'
    round_dir.mkdir(parents=True)
    (round_dir / 'audit.json').write_text(json.dumps(dict(summary=summary, images=[])))
    phases = [Phase('seg_step1_s0', 'x.py', 'train'),
              Phase('test_seg_step1_s0_clean', 'x.py', 'test', tested_phase='seg_step1_s0')]
    plan = PipelinePlan('p', 'data', 0.5, str(tmp_path), phases, {})
    table = audit_table(plan)
    assert '| seg_step1_s0/pseudo_round1_reliable | 10 | 50.00 | 40.00 | 45.00 | 47.00 | 0.330 |' \
        in table
    assert audit_table(PipelinePlan('p', 'data', 0.5, str(tmp_path / 'none'), phases, {})) == ''


def test_pipeline_results_carry_the_recorrection_audits_of_its_students(tmp_path):
    from fr_inpaint_plugin.cli.train_pipeline import recorrection_table
    from fr_inpaint_plugin.pipeline.plan import Phase, PipelinePlan
    summary = dict(images=12, accuracy=0.8696, weighted_accuracy=0.8812,
                   mean_weight_right=0.88, mean_weight_wrong=0.791, auc=0.64,
                   within_class_auc=0.5644)
    (tmp_path / 'seg_step5_sia').mkdir()
    (tmp_path / 'seg_step5_sia' / 'recorrection_audit.json').write_text(
        json.dumps(dict(summary=summary, classes=[])))
    phases = [Phase('seg_step5_sia', 'x.py', 'train'), Phase('seg_nofilter_sia', 'x.py', 'train')]
    plan = PipelinePlan('p', 'data', 0.5, str(tmp_path), phases, {})
    table = recorrection_table(plan)
    assert '| seg_step5_sia | 12 | 86.96 | 88.12 | 0.880 | 0.791 | 0.640 | 0.564 |' in table
    assert 'seg_nofilter_sia' not in table
    assert recorrection_table(PipelinePlan('p', 'data', 0.5, str(tmp_path / 'none'), phases,
                                           {})) == ''


@pytest.mark.parametrize('option', [
    "train_dataloader.batch_sampler=dict(type='LabelledPseudoBatchSampler')",
    "custom_hooks=[dict(type='ProgressBarHook')]",
])
def test_cfg_options_refuse_a_dict_value(option, capsys):
    from fr_inpaint_plugin.cli.train import parse_args
    with pytest.raises(SystemExit):
        parse_args(['config.py', '--cfg-options', option])
    error = capsys.readouterr().err
    assert 'reads dict(...) as a string' in error and option.split('=')[0] in error


def test_cfg_options_keep_mmengine_parsing():
    from fr_inpaint_plugin.cli.train import parse_args
    args = parse_args(['config.py', '--cfg-options', 'custom_hooks=[]', 'load_from=None',
                       "model.mode='separate'", 'train_dataloader.batch_sampler.type=Name'])
    assert args.cfg_options == {'custom_hooks': [], 'load_from': None, 'model.mode': 'separate',
                                'train_dataloader.batch_sampler.type': 'Name'}
