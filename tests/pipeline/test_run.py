"""PipelineRunner with a fake tool command, and one real tools/train_pipeline.py run."""
import io
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from fr_inpaint_plugin.pipeline import PipelineRunner, load_plan
from fr_inpaint_plugin.pipeline.run import (
    CONFIG_FILE,
    DONE_FILE,
    LOG_FILE,
    TEST_MODULE,
    TRAIN_MODULE,
    fork_command,
    last_checkpoint,
    split_progress,
)

from ..conftest import REPO_ROOT, TINY_SIZE

# The fake tools never read the phase configs: a small one keeps resolving them fast.
SMALL = '''
load_from = None
train_dataloader = dict(batch_size=2, dataset=dict(type='D', data_root='data/demo'))
test_dataloader = dict(batch_size=4, dataset=dict(type='D', data_root='data/demo'))
custom_hooks = []
'''


def phases(config):
    return [
        dict(name='a', config=config),
        dict(name='b', config=config, set={
            'load_from': '{a.checkpoint}',
            'train_dataloader.dataset.pseudo_label_dirs': ['{a.work_dir}/round1',
                                                           '{work_root}/x']}),
        dict(name='test_b', test='b', set={'test_dataloader.batch_size': 1},
             report=dict(table='t', row='b')),
    ]


class FakeTools:
    """Stands in for ``run_command``: records argv; a train run writes a checkpoint and the
    ``last_checkpoint`` pointer in its ``--work-dir``, a test run its ``--out`` metrics."""

    def __init__(self):
        self.calls = []
        self.fail = set()  # phase names whose tool exits 1

    def __call__(self, argv, log_file):
        work_dir = argv[argv.index('--work-dir') + 1]
        phase = osp.basename(work_dir)
        self.calls.append((phase, list(argv), log_file))
        assert argv[1] == '-m' and argv[2] in (TRAIN_MODULE, TEST_MODULE)
        assert osp.isfile(argv[3]) and osp.basename(argv[3]) == CONFIG_FILE
        if phase in self.fail:
            return 1
        if argv[2] == TRAIN_MODULE:
            checkpoint = osp.join(work_dir, f'iter_{len(self.calls)}.pth')
            open(checkpoint, 'w').close()
            with open(osp.join(work_dir, 'last_checkpoint'), 'w') as file:
                file.write(checkpoint)
        else:
            with open(argv[argv.index('--out') + 1], 'w') as file:
                json.dump({'PSNR@all': 20.0 + len(self.calls)}, file)
        return 0

    def phases(self):
        return [phase for phase, _, _ in self.calls]

    def argv(self, phase):
        return [argv for name, argv, _ in self.calls if name == phase][-1]


@pytest.fixture
def plan(tmp_path):
    config = tmp_path / 'small.py'
    config.write_text(SMALL)
    path = tmp_path / 'pipeline.py'
    path.write_text(f"name = 'tiny'\ndata_root = 'data/demo'\nlabel_ratio = 0.5\n"
                    f'phases = {phases(str(config))!r}\n')
    return load_plan(str(path), work_root=str(tmp_path / 'w'))


@pytest.fixture
def tools():
    return FakeTools()


def done(plan, phase):
    return osp.isfile(osp.join(plan.work_dir(phase), DONE_FILE))


def test_phases_run_in_order_and_record_results(plan, tools):
    records = PipelineRunner(plan, python='py', command=tools).run()
    assert tools.phases() == ['a', 'b', 'test_b']
    argv = tools.argv('a')
    assert argv[:3] == ['py', '-m', 'fr_inpaint_plugin.cli.train']
    assert argv[3:] == [osp.join(plan.work_dir('a'), CONFIG_FILE), '--work-dir',
                        plan.work_dir('a')]
    assert tools.calls[0][2] == osp.join(plan.work_dir('a'), LOG_FILE)
    test = tools.argv('test_b')
    assert test[:3] == ['py', '-m', 'fr_inpaint_plugin.cli.test']
    assert test[4] == records['b']['checkpoint'] == osp.join(plan.work_dir('b'), 'iter_2.pth')
    assert test[-2:] == ['--out', osp.join(plan.work_dir('test_b'), 'metrics.json')]
    assert records['a']['checkpoint'] == osp.join(plan.work_dir('a'), 'iter_1.pth')
    assert records['test_b']['metrics'] == {'PSNR@all': 23.0}
    assert records['test_b']['checkpoint_tested'] == records['b']['checkpoint']
    for phase in ('a', 'b', 'test_b'):
        with open(osp.join(plan.work_dir(phase), DONE_FILE)) as file:
            assert json.load(file) == records[phase]
        assert records[phase]['kind'] == plan.phase(phase).kind


def test_checkpoints_flow_into_later_phase_configs(plan, tools):
    records = PipelineRunner(plan, command=tools).run()
    cfg = Config.fromfile(osp.join(plan.work_dir('b'), CONFIG_FILE))
    assert cfg.load_from == records['a']['checkpoint']
    assert cfg.train_dataloader.dataset.pseudo_label_dirs == [
        plan.work_dir('a') + '/round1', plan.work_root + '/x']
    assert cfg.work_dir == plan.work_dir('b')
    assert cfg.custom_hooks[-1] == dict(type='ProgressBarHook', desc='b')
    test = Config.fromfile(osp.join(plan.work_dir('test_b'), CONFIG_FILE))
    assert test.load_from == records['a']['checkpoint']  # b's overrides, then the test's
    assert test.test_dataloader.batch_size == 1


def test_finished_phases_are_skipped(plan, tools, capsys):
    first = PipelineRunner(plan, command=tools).run()
    tools.calls.clear()
    second = PipelineRunner(plan, command=tools).run()
    assert tools.calls == [] and second == first
    assert capsys.readouterr().out.count('finished earlier, skipped') == 3


def test_interrupted_train_phase_resumes(plan, tools):
    PipelineRunner(plan, command=tools).run(until='a')
    tools.calls.clear()
    os.makedirs(plan.work_dir('b'))
    tools.fail = {'b'}
    with pytest.raises(RuntimeError, match='phase b failed'):
        PipelineRunner(plan, command=tools).run()
    assert '--resume' not in tools.argv('b')
    # b wrote a checkpoint before it was interrupted
    checkpoint = osp.join(plan.work_dir('b'), 'iter_5.pth')
    open(checkpoint, 'w').close()
    with open(osp.join(plan.work_dir('b'), 'last_checkpoint'), 'w') as file:
        file.write(checkpoint)
    tools.fail, tools.calls = set(), []
    PipelineRunner(plan, command=tools).run()
    assert tools.phases() == ['b', 'test_b']
    assert tools.argv('b')[-2:] == ['--resume', checkpoint]


def test_force_reruns_that_phase_and_later_ones_from_scratch(plan, tools):
    records = PipelineRunner(plan, command=tools).run()
    tools.calls.clear()
    rerun = PipelineRunner(plan, command=tools).run(force='b')
    assert tools.phases() == ['b', 'test_b']
    assert '--resume' not in tools.argv('b')
    assert rerun['a'] == records['a'] and rerun['b'] != records['b']
    assert tools.argv('test_b')[4] == rerun['b']['checkpoint']


def test_interrupted_forced_run_does_not_resume_old_checkpoints(plan, tools):
    PipelineRunner(plan, command=tools).run()
    tools.calls.clear()
    tools.fail = {'b'}  # stopped before its first new checkpoint
    with pytest.raises(RuntimeError, match='phase b failed'):
        PipelineRunner(plan, command=tools).run(force='a')
    tools.fail, tools.calls = set(), []
    PipelineRunner(plan, command=tools).run()  # rerun without --force
    assert tools.phases() == ['b', 'test_b']
    assert '--resume' not in tools.argv('b')  # not the old run's final checkpoint


def test_until_stops_after_that_phase(plan, tools):
    records = PipelineRunner(plan, command=tools).run(until='b')
    assert tools.phases() == ['a', 'b'] and list(records) == ['a', 'b']
    assert not osp.exists(plan.work_dir('test_b'))
    with pytest.raises(KeyError, match="no phase named 'c'"):
        PipelineRunner(plan, command=tools).run(until='c')
    with pytest.raises(KeyError, match="no phase named 'c'"):
        PipelineRunner(plan, command=tools).run(force='c')


def test_failing_phase_raises_and_is_not_done(plan, tools):
    tools.fail = {'test_b'}
    with pytest.raises(RuntimeError, match='phase test_b failed .*exit code 1.*'
                       + LOG_FILE):
        PipelineRunner(plan, command=tools).run()
    assert done(plan, 'a') and done(plan, 'b') and not done(plan, 'test_b')
    assert osp.isfile(osp.join(plan.work_dir('test_b'), CONFIG_FILE))


def test_train_phase_without_checkpoint_fails(plan):
    with pytest.raises(RuntimeError, match='without a checkpoint'):
        PipelineRunner(plan, command=lambda argv, log: 0).run()
    assert not done(plan, 'a')


def test_not_quiet_logs_to_the_console(plan, tools):
    PipelineRunner(plan, quiet=False, command=tools).run(until='a')
    assert tools.calls[0][2] is None


def test_last_checkpoint_pointer(tmp_path):
    assert last_checkpoint(str(tmp_path)) is None
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'gone.pth') + '\n')
    assert last_checkpoint(str(tmp_path)) is None  # a pointer to a deleted file
    (tmp_path / 'gone.pth').write_bytes(b'')
    assert last_checkpoint(str(tmp_path)) == str(tmp_path / 'gone.pth')


def test_last_checkpoint_newer_than_its_pointer_wins(tmp_path):
    """Killed after saving iter_4.pth but before the hook named it in the pointer."""
    for number in (2, 4):
        (tmp_path / f'iter_{number}.pth').write_bytes(b'')
    assert last_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_4.pth')  # no pointer yet
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_2.pth'))
    assert last_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_4.pth')
    (tmp_path / 'iter_6.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_6.pth'))
    assert last_checkpoint(str(tmp_path)) == str(tmp_path / 'iter_6.pth')


def test_force_deletes_the_phase_checkpoints_it_must_not_resume(plan, tools):
    PipelineRunner(plan, command=tools).run()
    old = last_checkpoint(plan.work_dir('b'))
    tools.fail, tools.calls = {'b'}, []
    with pytest.raises(RuntimeError, match='phase b failed'):
        PipelineRunner(plan, command=tools).run(force='b')
    assert not osp.exists(old) and last_checkpoint(plan.work_dir('b')) is None
    assert last_checkpoint(plan.work_dir('a')) is not None  # earlier phases untouched


# ------------------------------------------------------------------- the real tool
@pytest.mark.parametrize('action, code', [(['ok'], 0), (['exit', '3'], 3), (['raise'], 1)])
def test_forked_phase_logs_like_a_process_and_returns_its_exit_code(tmp_path, capfd, action,
                                                                     code):
    log = tmp_path / 'phase_output.log'
    argv = [sys.executable, '-m', 'tests.pipeline.fake_entry', *action]
    assert fork_command(argv, str(log)) == code
    text = log.read_text()
    assert 'stdout of the phase' in text and 'UserWarning: from the phase' in text
    assert 'fake train' not in text  # the progress bar went to the console
    assert 'fake train: 100%' in capfd.readouterr().err
    assert ('ValueError: the phase failed' in text) == (action == ['raise'])
    assert 'FAKE_ENTRY_RAN' not in os.environ  # the child's state stays in the child


def tiny_pipeline(tmp_path):
    """coarse_tiny for 2 iterations and its test, as a pipeline config file."""
    size = [TINY_SIZE, TINY_SIZE]
    # 2 iterations, no validation during training (the test phase evaluates)
    tiny = {'train_cfg.max_iters': 2, 'train_cfg.val_interval': 3,
            'train_dataloader.num_workers': 0, 'val_dataloader.num_workers': 0,
            'test_dataloader.num_workers': 0, 'train_dataloader.dataset.img_size': size,
            'val_dataloader.dataset.img_size': size, 'test_dataloader.dataset.img_size': size}
    phases = [dict(name='coarse', config='configs/fr_inpaint/demo/coarse_tiny.py', set=tiny),
              dict(name='test_coarse', test='coarse',
                   report=dict(table='inpainting', row='G_c', prefix='I_inc '))]
    pipeline = tmp_path / 'pipeline.py'
    pipeline.write_text(f"name = 'e2e'\ndata_root = 'data/nowhere'\nlabel_ratio = 0.5\n"
                        f'phases = {phases!r}\n'
                        "tables = dict(inpainting=dict(title='Inpainting', "
                        "columns=['I_inc PSNR@all', 'I_inc SSIM@all']))\n")
    return pipeline


def test_train_pipeline_tool_end_to_end(demo_root, tmp_path):
    pipeline = tiny_pipeline(tmp_path)
    work_root = tmp_path / 'w'
    argv = [sys.executable, 'tools/train_pipeline.py', str(pipeline), '--data-root', demo_root,
            '--work-root', str(work_root)]

    def run(*extra):
        result = subprocess.run(argv + list(extra), cwd=REPO_ROOT, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    first = run('--until', 'coarse')  # stopped after the train phase, as if killed there
    assert '[1/1] coarse (train): training' in first.stdout
    assert 'coarse train' in first.stderr  # its progress bar stays on the console
    assert osp.isfile(work_root / 'coarse' / 'iter_2.pth')
    assert not osp.exists(work_root / 'results.md')
    second = run()
    assert '[1/2] coarse (train): finished earlier, skipped' in second.stdout
    assert '[2/2] test_coarse (test): testing' in second.stdout
    with open(work_root / 'test_coarse' / 'metrics.json') as file:
        metrics = json.load(file)
    assert 0 < metrics['PSNR@all'] < 100
    results = (work_root / 'results.md').read_text()
    assert results.startswith('### Inpainting\n\n| run | I_inc PSNR@all | I_inc SSIM@all |')
    assert f"| G_c | {metrics['PSNR@all']:.2f} | {metrics['SSIM@all']:.3f} |" in results
    assert (work_root / 'results.png').read_bytes().startswith(b'\x89PNG')  # the bucket chart
    # The test items side by side (masked, G_c, ground truth), from the test's grids.
    assert f"side by side (masked, each method, ground truth): {work_root / 'grids.png'}" \
        in second.stdout
    assert (work_root / 'grids.png').read_bytes().startswith(b'\x89PNG')
    cfg = Config.fromfile(str(work_root / 'coarse' / CONFIG_FILE))
    assert cfg.train_dataloader.dataset.data_root == demo_root
    assert cfg.test_dataloader.dataset.data_root == demo_root


def test_forked_phases_train_and_test_as_fresh_interpreters_do(demo_root, tmp_path):
    pipeline = tiny_pipeline(tmp_path)
    outcomes = []
    for name, extra in (('forked', []), ('fresh', ['--no-fork'])):
        work_root = tmp_path / name
        result = subprocess.run(
            [sys.executable, 'tools/train_pipeline.py', str(pipeline), '--data-root', demo_root,
             '--work-root', str(work_root), *extra], cwd=REPO_ROOT, capture_output=True,
            text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert 'Iter(train)' in (work_root / 'coarse' / LOG_FILE).read_text()
        state = torch.load(work_root / 'coarse' / 'iter_2.pth', map_location='cpu',
                           weights_only=False)['state_dict']
        metrics = json.loads((work_root / 'test_coarse' / 'metrics.json').read_text())
        outcomes.append((state, metrics))
    (forked, forked_metrics), (fresh, fresh_metrics) = outcomes
    assert forked.keys() == fresh.keys()
    assert all(torch.equal(forked[key], fresh[key]) for key in forked)
    assert forked_metrics == fresh_metrics


def test_progress_bars_reach_the_console_and_the_rest_the_log():
    stderr = io.BytesIO(b'UserWarning: deprecated\n'
                        b'seg train:  10%|#  | 1/10 [00:01]\rseg train: 100%|###| 10/10\n'
                        b'Traceback (most recent call last)\n')
    log, console = io.BytesIO(), io.BytesIO()
    split_progress(stderr, log, console)
    assert log.getvalue() == b'UserWarning: deprecated\nTraceback (most recent call last)\n'
    assert console.getvalue() == (b'\rseg train:  10%|#  | 1/10 [00:01]'
                                  b'\rseg train: 100%|###| 10/10\n')


def test_nproc_runs_train_phases_through_torchrun_and_tests_in_one_process(plan, tools):
    calls = []

    def record(argv, log_file):
        calls.append(argv)
        if TRAIN_MODULE in argv:  # without the torchrun prefix, as one process is called
            argv = argv[:1] + argv[argv.index(TRAIN_MODULE) - 1:]
        return tools(argv, log_file)

    PipelineRunner(plan, command=record, nproc=2).run(until='test_b')
    train, test = calls[0], calls[-1]
    assert train[1:4] == ['-m', 'torch.distributed.run', '--nproc_per_node=2']
    assert train[train.index(TRAIN_MODULE) - 1] == '-m' and '--launcher=pytorch' in train
    assert test[1:3] == ['-m', TEST_MODULE]
    with pytest.raises(ValueError, match='nproc'):
        PipelineRunner(plan, nproc=0)
