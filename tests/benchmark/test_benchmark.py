"""tools/benchmark.py on tiny models: every figure is measured and lands in the three outputs;
the timing and FLOP helpers against hand-computed values; --device, whose CUDA paths run here
against a stand-in for ``torch.cuda.synchronize``."""
import json
import os.path as osp
import time

import pytest
import torch
from mmengine.config import Config

from fr_inpaint_plugin.benchmark import conv_throughput, count_flops, time_call
from fr_inpaint_plugin.benchmark.report import benchmark_markdown
from fr_inpaint_plugin.benchmark.training import IterationTimer
from fr_inpaint_plugin.cli import benchmark
from tests.conftest import REPO_ROOT

DEMO = osp.join(REPO_ROOT, 'configs/fr_inpaint/demo')


def test_time_call_warms_up_then_times_each_repeat():
    calls = []
    timing = time_call(lambda: calls.append(1), warmup=2, repeats=3)
    assert len(calls) == 5 and timing.repeats == 3
    assert 0 <= timing.low <= timing.median <= timing.high
    with pytest.raises(ValueError, match='repeats'):
        time_call(lambda: None, warmup=0, repeats=0)


SYNC_SECONDS = 0.02


@pytest.fixture
def synchronized(monkeypatch):
    """The devices ``torch.cuda.synchronize`` is called for; each call takes SYNC_SECONDS, as a
    GPU finishing queued kernels would, so a timing that includes it shows it."""
    devices = []

    def synchronize(device=None):
        time.sleep(SYNC_SECONDS)
        devices.append(device)

    monkeypatch.setattr(torch.cuda, 'synchronize', synchronize)
    return devices


def test_time_call_waits_for_a_cuda_device_inside_each_timed_call(synchronized):
    timing = time_call(lambda: None, warmup=2, repeats=3, device='cuda:0')
    # once after the warm-up, then once per timed call before the clock is read
    assert synchronized == [torch.device('cuda', 0)] * 4
    assert timing.low >= SYNC_SECONDS


def test_time_call_on_the_cpu_never_synchronizes(synchronized):
    time_call(lambda: None, warmup=1, repeats=2)
    time_call(lambda: None, warmup=1, repeats=2, device='cpu')
    assert synchronized == []


def test_training_iterations_wait_for_a_cuda_device(synchronized):
    timer = IterationTimer('cuda')
    timer.before_train_iter(None, 0)
    timer.after_train_iter(None, 0)
    assert synchronized == [torch.device('cuda')] and timer.seconds[0] >= SYNC_SECONDS


def test_device_option_parses(monkeypatch, capsys):
    assert benchmark.parse_args(['b.py']).device == torch.device('cpu')
    assert benchmark.parse_args(['b.py', '--device', 'cpu']).device == torch.device('cpu')
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 1)
    assert benchmark.parse_args(['b.py', '--device', 'cuda']).device == torch.device('cuda')
    assert benchmark.parse_args(['b.py', '--device', 'cuda:0']).device == torch.device('cuda', 0)
    for wrong, message in (('gpu', 'takes cpu, cuda or cuda:N'), ('cuda:1', '1 CUDA GPU')):
        with pytest.raises(SystemExit):
            benchmark.parse_args(['b.py', '--device', wrong])
        assert message in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason='this machine has CUDA')
def test_cuda_device_without_cuda_fails_before_any_work(capsys, tmp_path):
    out = tmp_path / 'out'
    # the config does not exist: reading it would be the first work
    with pytest.raises(SystemExit):
        benchmark.main([str(tmp_path / 'missing.py'), '--device', 'cuda', '--out-dir', str(out)])
    error = capsys.readouterr().err
    assert 'drop --device cuda' in error and 'CUDA build of torch' in error
    assert not out.exists()


def test_gpu_run_names_the_gpu_and_the_rows_left_on_the_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'get_device_name', lambda device=None: 'NVIDIA H200')
    machine = benchmark.machine(torch.device('cuda', 0))
    assert machine['device'] == 'cuda:0' and machine['gpu'] == 'NVIDIA H200'
    timing = dict(median=0.01, low=0.01, high=0.01, repeats=1)
    rows = [dict(name=name, group=group, device=device,
                 latency=dict(batch=1, timing=timing, images_per_s=100.0),
                 throughput=dict(batch=2, timing=timing, images_per_s=200.0))
            for name, group, device in (('coarse G_c', 'ours', 'cuda:0'),
                                        ('OpenCV Telea', 'opencv', 'cpu'))]
    limit = dict(shape=[1, 4, 8, 8], gflops_per_s=1.0, device='cuda:0', dtype='float32')
    markdown = benchmark_markdown(dict(
        config='b.py', commit='abc', torch=torch.__version__, machine=machine, img_size=[8, 8],
        warmup=0, repeats=1, reference=None, conv_limit=dict(limit, all=[limit]),
        inference=rows))
    assert 'cuda:0 (NVIDIA H200' in markdown and 'float32 3x3 convolutions on cuda:0' in markdown
    assert '| OpenCV Telea (cpu) |' in markdown and '| coarse G_c |' in markdown


def test_flops_of_a_convolution_are_two_per_multiply_add():
    conv = torch.nn.Conv2d(4, 8, 3, padding=1, bias=False)
    inputs = torch.randn(2, 4, 10, 12)
    assert count_flops(lambda: conv(inputs)) == 2 * 2 * 8 * 10 * 12 * 4 * 9


def test_conv_limit_is_its_flops_over_its_median_time():
    limit = conv_throughput(warmup=0, repeats=2, batch=1, shapes=((8, 16), (4, 32)))
    assert [m['flops'] for m in limit['all']] == [2 * 8 * 16 * 16 * 8 * 9, 2 * 4 * 32 * 32 * 4 * 9]
    for measured in limit['all']:
        assert measured['gflops_per_s'] == pytest.approx(
            measured['flops'] / measured['timing']['median'] / 1e9)
    assert limit['gflops_per_s'] == max(m['gflops_per_s'] for m in limit['all'])
    assert (limit['device'], limit['dtype']) == ('cpu', 'float32')
    double = conv_throughput(warmup=0, repeats=1, batch=1, shapes=((4, 8),), dtype=torch.float64)
    assert double['dtype'] == 'float64'


def test_each_subject_is_prepared_and_timed_under_its_own_grad_mode(monkeypatch):
    """The no_grad row must not run inside inference mode (it would time inference mode)."""
    from fr_inpaint_plugin.benchmark.subjects import Subject
    modes = {}

    def recording(name):
        def call(batch):
            prepared = (torch.is_inference_mode_enabled(), torch.is_grad_enabled())

            def run():
                modes[name] = (prepared, (torch.is_inference_mode_enabled(),
                                          torch.is_grad_enabled()))
            return run
        return call

    subjects = [Subject('inference', 'ours', recording('inference'), torch_model=False),
                Subject('no_grad', 'ours', recording('no_grad'), torch_model=False,
                        grad_mode=torch.no_grad)]
    monkeypatch.setattr(benchmark, 'build_subjects', lambda cfg, device: subjects)
    cfg = Config(dict(warmup=0, repeats=1, throughput_batch=2))
    rows = benchmark.inference(cfg, limit_gflops=1.0, device=torch.device('cpu'))
    assert [row['name'] for row in rows] == ['inference', 'no_grad']
    assert modes == {'inference': ((True, False), (True, False)),
                     'no_grad': ((False, False), (False, False))}


def test_benchmark_cli_on_tiny_models(demo_root, tmp_path, monkeypatch):
    config = tmp_path / 'tiny_benchmark.py'
    data = {f'{loader}.dataset.data_root': demo_root
            for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')}
    data.update({'train_dataloader.num_workers': 0, 'train_dataloader.dataset.img_size': 64,
                 'train_dataloader.batch_size': 2})
    config.write_text(
        'img_size = (64, 64)\nwarmup = 0\nrepeats = 2\nthroughput_batch = 2\n'
        f"pipeline = '{DEMO}/refine_tiny.py'\n"
        "mmagic_inpaintors = {'MMagic AOT-GAN': "
        "'mmagic::aot_gan/aot-gan_smpgan_4xb4_places-512x512.py'}\n"
        "opencv = ['telea']\nreference = 'MMagic AOT-GAN'\n"
        f"train_phases = dict(coarse='{DEMO}/coarse_tiny.py', refiner='{DEMO}/refine_tiny.py')\n"
        f'train_options = dict(coarse={data!r}, refiner={data!r})\n'
        'train_warmup = 1\ntrain_repeats = 2\n')
    out = tmp_path / 'out'

    def no_synchronize(device=None):
        raise AssertionError('the CPU run synchronized a CUDA device')

    monkeypatch.setattr(torch.cuda, 'synchronize', no_synchronize)
    benchmark.main([str(config), '--out-dir', str(out), '--threads', '1'])
    result = json.loads((out / 'benchmark.json').read_text())
    names = [row['name'] for row in result['inference']]
    assert names == ['coarse G_c', 'segmentor S', 'refiner G_s',
                     'whole pipeline (G_c + S + G_s)',
                     'whole pipeline, no_grad instead of inference_mode',
                     'whole pipeline, BatchNorm folded',
                     'whole pipeline, channels-last',
                     'whole pipeline, ONNX Runtime',
                     'MMagic AOT-GAN', 'OpenCV Telea']
    assert result['machine']['threads'] == 1 and result['conv_limit']['gflops_per_s'] > 0
    # the default device: every subject, the convolution and training on the CPU, no GPU named
    assert result['machine']['device'] == 'cpu' and 'gpu' not in result['machine']
    assert {row['device'] for row in result['inference']} == {'cpu'}
    assert result['conv_limit']['device'] == 'cpu'
    assert {phase['device'] for phase in result['training'].values()} == {'cpu'}
    rows = {row['name']: row for row in result['inference']}
    assert rows['MMagic AOT-GAN']['latency_vs_reference'] == pytest.approx(1.0)
    whole, parts = rows['whole pipeline (G_c + S + G_s)'], ('coarse G_c', 'segmentor S',
                                                              'refiner G_s')
    # the pipeline's FLOPs are its stages' (torch counts the same convolutions)
    assert whole['gflops_per_image'] == pytest.approx(
        sum(rows[p]['gflops_per_image'] for p in parts), rel=1e-6)
    assert rows['whole pipeline, no_grad instead of inference_mode']['gflops_per_image'] == \
        pytest.approx(whole['gflops_per_image'])
    assert 'gflops_per_image' not in rows['OpenCV Telea']
    assert rows['coarse G_c']['throughput']['batch'] == 2
    assert set(result['training']) == {'coarse', 'refiner'}
    assert result['training']['coarse']['timing']['repeats'] == 2
    assert result['training']['coarse']['images_per_s'] > 0
    markdown = (out / 'benchmark.md').read_text()
    assert 'GFLOP/s' in markdown and 'MMagic AOT-GAN' in markdown and '| coarse (' in markdown
    assert '| OpenCV Telea |' in markdown  # no device note where every row ran on the CPU
    assert (out / 'benchmark.png').read_bytes()[:4] == b'\x89PNG'
