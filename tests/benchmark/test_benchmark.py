"""tools/benchmark.py on tiny models: every figure is measured and lands in the three outputs;
the timing and FLOP helpers against hand-computed values."""
import json
import os.path as osp

import pytest
import torch

from fr_inpaint_plugin.benchmark import conv_throughput, count_flops, time_call
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


def test_benchmark_cli_on_tiny_models(demo_root, tmp_path):
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
    benchmark.main([str(config), '--out-dir', str(out), '--threads', '1'])
    result = json.loads((out / 'benchmark.json').read_text())
    names = [row['name'] for row in result['inference']]
    assert names == ['coarse G_c', 'segmentor S', 'refiner G_s',
                     'whole pipeline (G_c + S + G_s)', 'whole pipeline, BatchNorm folded',
                     'whole pipeline, channels-last',
                     'whole pipeline, ONNX Runtime',
                     'MMagic AOT-GAN', 'OpenCV Telea']
    assert result['machine']['threads'] == 1 and result['conv_limit']['gflops_per_s'] > 0
    rows = {row['name']: row for row in result['inference']}
    assert rows['MMagic AOT-GAN']['latency_vs_reference'] == pytest.approx(1.0)
    whole, parts = rows['whole pipeline (G_c + S + G_s)'], ('coarse G_c', 'segmentor S',
                                                              'refiner G_s')
    # the pipeline's FLOPs are its stages' (torch counts the same convolutions)
    assert whole['gflops_per_image'] == pytest.approx(
        sum(rows[p]['gflops_per_image'] for p in parts), rel=1e-6)
    assert 'gflops_per_image' not in rows['OpenCV Telea']
    assert rows['coarse G_c']['throughput']['batch'] == 2
    assert set(result['training']) == {'coarse', 'refiner'}
    assert result['training']['coarse']['timing']['repeats'] == 2
    assert result['training']['coarse']['images_per_s'] > 0
    markdown = (out / 'benchmark.md').read_text()
    assert 'GFLOP/s' in markdown and 'MMagic AOT-GAN' in markdown and '| coarse (' in markdown
    assert (out / 'benchmark.png').read_bytes()[:4] == b'\x89PNG'
