"""benchmark.md and benchmark.png from a benchmark result (see ``cli/benchmark.py``)."""
import io


def _ms(row: dict, key: str) -> str:
    timing = row[key]['timing']
    return (f"{1000 * timing['median']:.1f} ({1000 * timing['low']:.1f}-"
            f"{1000 * timing['high']:.1f})")


def _name(row: dict, machine: dict) -> str:
    """The row's model, with its device where that is not the run's (OpenCV on a GPU run)."""
    return row['name'] + (f" ({row['device']})" if row['device'] != machine['device'] else '')


def benchmark_markdown(result: dict) -> str:
    machine = result['machine']
    limit = result['conv_limit']
    gpu = ''
    if 'gpu' in machine:  # the CPU's line stays: OpenCV, ONNX Runtime and data loading use it
        tf32 = ', TF32 convolutions' if machine['tf32_convolutions'] else ''
        gpu = f" ({machine['gpu']}{tf32}), CPU"
    lines = [
        f"# Benchmark: {result['config']}",
        '',
        f"Commit {result['commit']}, torch {result['torch']}, {machine['device']}{gpu} "
        f"({machine['processor']}), {machine['threads']} threads; images "
        f"{result['img_size'][0]}x{result['img_size'][1]}, untrained weights; median (fastest-"
        f"slowest) of {result['repeats']} calls after {result['warmup']} warm-up calls.",
        '',
        f"Machine limit: the best GFLOP/s of plain {limit['dtype']} 3x3 convolutions on "
        f"{limit['device']} ("
        + ', '.join(f"{'x'.join(map(str, m['shape']))}: {m['gflops_per_s']:.1f}"
                    for m in limit['all'])
        + f"), {limit['gflops_per_s']:.1f} GFLOP/s.",
        '',
    ]
    reference = result.get('reference')
    throughput_batch = result['inference'][0]['throughput']['batch']
    lines += [
        f'| model | latency ms, batch 1 | images/s, batch {throughput_batch} | GFLOP/image | '
        f'achieved GFLOP/s | of conv limit | latency / {reference or "-"} |',
        '|---|---|---|---|---|---|---|']
    for row in result['inference']:
        flops = row.get('gflops_per_image')
        lines.append(
            f"| {_name(row, machine)} | {_ms(row, 'latency')} | "
            f"{row['throughput']['images_per_s']:.2f} | "
            + (f"{flops:.2f} | {row['achieved_gflops_per_s']:.1f} | "
               f"{100 * row['fraction_of_conv_limit']:.0f} % | " if flops is not None
               else '- | - | - | ')
            + (f"{row['latency_vs_reference']:.2f} |" if 'latency_vs_reference' in row
               else '- |'))
    if result.get('training'):
        lines += ['', '| training phase | batch | s/iteration | images/s |', '|---|---|---|---|']
        for name, phase in result['training'].items():
            timing = phase['timing']
            lines.append(f"| {name} ({phase['config']}) | {phase['batch_size']} | "
                         f"{timing['median']:.2f} ({timing['low']:.2f}-{timing['high']:.2f}) | "
                         f"{phase['images_per_s']:.2f} |")
    return '\n'.join(lines) + '\n'


def benchmark_chart_png(result: dict) -> bytes:
    """Latency (batch 1) per model, one bar each, coloured by group."""
    import matplotlib
    matplotlib.use('Agg')  # files only, no display
    from matplotlib import pyplot as plt

    rows, machine = result['inference'], result['machine']
    colours = dict(ours='tab:blue', mmagic='tab:orange', opencv='tab:grey')
    figure, axis = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.2))
    names = [_name(row, machine) for row in rows][::-1]
    where = machine.get('gpu', f"{machine['threads']} threads")
    values = [1000 * row['latency']['timing']['median'] for row in rows][::-1]
    axis.barh(names, values, color=[colours[row['group']] for row in rows][::-1])
    axis.set_xscale('log')
    axis.set_xlabel(f"latency per image, batch 1 (ms, log scale), "
                    f"{result['img_size'][0]}x{result['img_size'][1]}, {where}")
    for name, value in zip(names, values):
        axis.text(value, name, f' {value:.1f}', va='center', fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=100)
    plt.close(figure)
    return buffer.getvalue()
