"""Timing with warm-up and repeats, FLOPs from torch's own counter, and the machine's measured
3x3-convolution throughput (the limit the models' achieved GFLOP/s are compared with), on the
CPU or a CUDA device."""
import statistics
import time
from typing import Callable, List, NamedTuple, Sequence, Tuple, Union

import torch
from torch.utils.flop_counter import FlopCounterMode


class Timing(NamedTuple):
    """Seconds per call over ``repeats`` timed calls after the warm-up."""
    median: float
    low: float  # fastest call
    high: float  # slowest call
    repeats: int

    def as_dict(self) -> dict:
        return self._asdict()


Device = Union[str, torch.device]


def wait_for(device: Device) -> None:
    """Return once ``device`` has finished its queued work: CUDA runs kernels asynchronously,
    so a clock read right after a call would time only their launch. A no-op on the CPU."""
    device = torch.device(device)
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def time_call(call: Callable[[], object], warmup: int, repeats: int,
              device: Device = 'cpu') -> Timing:
    """Seconds of ``call`` on ``device``, each call timed until its work there is done."""
    if repeats < 1 or warmup < 0:
        raise ValueError(f'need repeats >= 1 and warmup >= 0, got {repeats}, {warmup}')
    for _ in range(warmup):
        call()
    wait_for(device)  # the warm-up's and the inputs' queued work is not the first call's
    seconds: List[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        wait_for(device)
        seconds.append(time.perf_counter() - start)
    return Timing(statistics.median(seconds), min(seconds), max(seconds), repeats)


def count_flops(call: Callable[[], object]) -> int:
    """Floating-point operations of one call (a multiply-add counts 2), by torch's
    ``FlopCounterMode`` (convolutions, matmuls, attention; element-wise ops are not counted)."""
    counter = FlopCounterMode(display=False)
    with counter:
        call()
    return int(counter.get_total_flops())


def conv_throughput(warmup: int = 2, repeats: int = 5, batch: int = 8,
                    shapes: Sequence[Tuple[int, int]] = ((64, 128), (128, 64), (256, 32)),
                    device: Device = 'cpu', dtype: torch.dtype = torch.float32) -> dict:
    """GFLOP/s plain 3x3 convolutions sustain on ``device`` in ``dtype`` (the models'), for
    (channels, size) ``shapes`` of the widths and resolutions these models use: the best is the
    machine's practical limit for conv nets, against which each model's achieved GFLOP/s is
    set."""
    measured = []
    for channels, size in shapes:
        conv = torch.nn.Conv2d(channels, channels, 3, padding=1).eval().to(device, dtype)
        inputs = torch.randn(batch, channels, size, size, device=device, dtype=dtype)
        with torch.inference_mode():
            timing = time_call(lambda: conv(inputs), warmup, repeats, device)
            flops = count_flops(lambda: conv(inputs))
        measured.append(dict(shape=[batch, channels, size, size], flops=flops,
                             timing=timing.as_dict(),
                             gflops_per_s=flops / timing.median / 1e9))
    best = max(measured, key=lambda m: m['gflops_per_s'])
    return dict(best, all=measured, device=str(device), dtype=str(dtype).split('.')[-1])
