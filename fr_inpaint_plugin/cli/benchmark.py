"""Speed of the method next to MMagic's inpaintors and the machine's limit, in one run on the
same inputs: inference latency (batch 1) and throughput (batch N) of the coarse stage, the
segmentor, the refiner and the whole pipeline, of MMagic's AOT-GAN, DeepFillv2 and GLCIC
(their mmagic:: configs, untrained: weights do not change speed) and of OpenCV; FLOPs (torch's
counter) and the achieved fraction of a 3x3 convolution's measured GFLOP/s; training
throughput of each phase. The torch models, the convolution and training run on --device (the
CPU by default, or a CUDA GPU); OpenCV and ONNX Runtime always run on the CPU. Writes
benchmark.json, benchmark.md and benchmark.png.

    python tools/benchmark.py configs/benchmarks/camvid_cpu.py [--device cpu|cuda|cuda:N]
        [--out-dir DIR] [--threads N] [--skip-training]
"""
import argparse
import json
import os.path as osp
import platform
import re
import subprocess
from typing import List, Optional

import torch
from mmengine.config import Config

from ..benchmark import build_subjects, conv_throughput, count_flops, time_call
from ..benchmark.report import benchmark_chart_png, benchmark_markdown
from ..benchmark.training import train_throughput
from ..utils import write_bytes_atomically, write_text_atomically
from .args import CfgOptionsAction


def benchmark_device(name: str) -> torch.device:
    """``--device``: ``cpu`` or ``cuda[:N]``, a CUDA one only where torch sees that GPU (checked
    here, so a wrong choice fails before minutes of CPU work)."""
    if not re.fullmatch(r'cpu|cuda(:\d+)?', name):
        raise argparse.ArgumentTypeError(f'takes cpu, cuda or cuda:N, got {name!r}')
    device = torch.device(name)
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise argparse.ArgumentTypeError(
            f'{name}: torch {torch.__version__} sees no CUDA GPU here; drop --device {name} to '
            'benchmark the CPU, or run on a machine with a GPU and a CUDA build of torch')
    if device.type == 'cuda' and (device.index or 0) >= torch.cuda.device_count():
        raise argparse.ArgumentTypeError(
            f'{name}: torch sees {torch.cuda.device_count()} CUDA GPU(s) here, numbered from 0')
    return device


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', help='benchmark config, e.g. configs/benchmarks/camvid_cpu.py')
    parser.add_argument('--out-dir', help='default: work_dirs/benchmark/<config name>')
    parser.add_argument('--device', type=benchmark_device, default='cpu',
                        help='where the torch models run: cpu (default), cuda or cuda:N')
    parser.add_argument('--threads', type=int, help='torch threads (default: torch\'s own)')
    parser.add_argument('--skip-training', action='store_true',
                        help='inference only (training throughput needs the data sets)')
    parser.add_argument('--cfg-options', nargs='+', action=CfgOptionsAction,
                        help='override benchmark settings, e.g. repeats=3')
    return parser.parse_args(argv)


def _commit() -> str:
    try:
        return subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def machine(device: torch.device) -> dict:
    """Where the run happened: the CPU always (OpenCV, ONNX Runtime and data loading use it),
    the GPU's name on CUDA."""
    record = dict(processor=platform.processor() or platform.machine(),
                  threads=torch.get_num_threads(), device=str(device))
    if device.type == 'cuda':
        # float32 convolutions run on TF32 tensor cores unless torch is told otherwise: the
        # GFLOP/s are those of that precision.
        record.update(gpu=torch.cuda.get_device_name(device),
                      tf32_convolutions=torch.backends.cudnn.allow_tf32)
    return record


def inference(cfg: Config, limit_gflops: float, device: torch.device) -> List[dict]:
    rows = []
    # Built under no_grad, not inference mode, so their weights are ordinary tensors (as in the
    # inferencer) and the no_grad row is not timed on inference tensors.
    with torch.no_grad():
        subjects = build_subjects(cfg, device)
    for subject in subjects:
        row = dict(name=subject.name, group=subject.group, device=str(subject.device))
        with subject.grad_mode():
            for key, batch in (('latency', 1), ('throughput', cfg.throughput_batch)):
                timing = time_call(subject.call(batch), cfg.warmup, cfg.repeats, subject.device)
                row[key] = dict(batch=batch, timing=timing.as_dict(),
                                images_per_s=batch / timing.median)
            if subject.torch_model:
                flops = count_flops(subject.call(1))
                achieved = flops / row['latency']['timing']['median'] / 1e9
                row.update(gflops_per_image=flops / 1e9, achieved_gflops_per_s=achieved,
                           fraction_of_conv_limit=achieved / limit_gflops)
        rows.append(row)
        print(f"{subject.name}: {1000 * row['latency']['timing']['median']:.1f} ms/image "
              f"(batch 1), {row['throughput']['images_per_s']:.2f} images/s "
              f"(batch {cfg.throughput_batch})", flush=True)
    reference = next((r for r in rows if r['name'] == cfg.get('reference')), None)
    for row in rows:
        if reference is not None:
            row['latency_vs_reference'] = (row['latency']['timing']['median']
                                           / reference['latency']['timing']['median'])
    return rows


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.threads:
        torch.set_num_threads(args.threads)
    out_dir = args.out_dir or osp.join('work_dirs/benchmark',
                                       osp.splitext(osp.basename(args.config))[0])
    limit = conv_throughput(cfg.warmup, cfg.repeats, device=args.device)
    print(f"3x3 convolution: {limit['gflops_per_s']:.1f} GFLOP/s on {args.device}", flush=True)
    result = dict(
        config=args.config, commit=_commit(), torch=torch.__version__,
        machine=machine(args.device), img_size=list(cfg.img_size), warmup=cfg.warmup,
        repeats=cfg.repeats, reference=cfg.get('reference'), conv_limit=limit,
        inference=inference(cfg, limit['gflops_per_s'], args.device))
    if not args.skip_training:
        result['training'] = {
            name: train_throughput(config, cfg.train_warmup, cfg.train_repeats,
                                   cfg.get('train_options', {}).get(name), args.device)
            for name, config in cfg.get('train_phases', {}).items()}
    write_text_atomically(osp.join(out_dir, 'benchmark.json'),
                          json.dumps(result, indent=2) + '\n')
    write_text_atomically(osp.join(out_dir, 'benchmark.md'), benchmark_markdown(result))
    write_bytes_atomically(osp.join(out_dir, 'benchmark.png'), benchmark_chart_png(result))
    print(f'wrote {out_dir}/benchmark.{{json,md,png}}')


if __name__ == '__main__':
    main()
