"""Markdown tables of a pipeline's test phases (and of loose tools/test.py --out files)."""
import io
import math
import statistics
from typing import Dict, List, Mapping, Optional, Sequence, Union

Cell = Union[None, float, str, Sequence[float]]

INPAINTING_COLUMNS = tuple(f'{metric}@{bucket}' for metric in ('PSNR', 'SSIM', 'LPIPS')
                           for bucket in ('0-20', '20-40', '40-60', 'all'))


def format_value(key: str, value: Cell) -> str:
    """A number with the metric's precision; several numbers (one per seed) as their
    ``mean ± std`` (sample standard deviation)."""
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return format_value(key, value[0])
        return (f'{format_value(key, statistics.fmean(value))} ± '
                f'{format_value(key, statistics.stdev(value))}')
    if not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
        return '-' if value is None or isinstance(value, float) else str(value)
    if isinstance(value, int):  # a count
        return str(value)
    if 'PSNR' in key or 'IoU' in key or 'Acc' in key:  # also prefixed ('I_inc PSNR@all')
        return f'{value:.2f}'
    return f'{value:.3f}'


def markdown_table(rows: Mapping[str, Mapping[str, Cell]],
                   columns: Optional[Sequence[str]] = None, first: str = 'run') -> str:
    """One row per ``rows`` entry (in order); ``columns`` default to every key seen."""
    if columns is None:
        columns = []
        for metrics in rows.values():
            columns += [k for k in metrics if k not in columns]
    lines = ['| ' + ' | '.join([first, *columns]) + ' |', '|' + '---|' * (len(columns) + 1)]
    for name, metrics in rows.items():
        cells = [format_value(c, metrics.get(c)) for c in columns]
        lines.append('| ' + ' | '.join([name, *cells]) + ' |')
    return '\n'.join(lines)


def group_rows(records: Dict[str, dict],
               reports: Dict[str, dict]) -> Dict[str, Dict[str, Dict[str, List[float]]]]:
    """``{table: {row: {prefixed metric: [value per finished test phase]}}}``: several test
    phases report into one row (prefixed keys side by side, or one value per seed)."""
    grouped: Dict[str, Dict[str, Dict[str, List[float]]]] = {}
    for phase, report in reports.items():
        record = records.get(phase)
        if record is None or 'metrics' not in record:
            continue
        row = grouped.setdefault(report['table'], {}).setdefault(report['row'], {})
        prefix = report.get('prefix', '')
        for key, value in record['metrics'].items():
            row.setdefault(prefix + key, []).append(value)
    return grouped


def pipeline_tables(records: Dict[str, dict], reports: Dict[str, dict],
                    tables: Dict[str, dict]) -> str:
    """The tables of finished test phases. ``reports[phase] = dict(table, row, prefix='')``
    puts the phase's metrics (keys prefixed) in that row, as ``mean ± std`` where several
    phases (seeds) report the same cell; ``tables[table]`` may give the title and the
    ``columns`` (prefixed keys) to show."""
    parts: List[str] = []
    for table, rows in group_rows(records, reports).items():
        spec = tables.get(table, {})
        seeds = max(len(values) for row in rows.values() for values in row.values())
        note = f' (mean ± std over {seeds} seeds where a row has several)' if seeds > 1 else ''
        parts.append(f"### {spec.get('title', table)}{note}\n\n"
                     + markdown_table(rows, spec.get('columns')))
    return '\n\n'.join(parts)


def bucket_chart_png(rows: Mapping[str, Mapping[str, Sequence[float]]],
                     metrics: Sequence[str] = ('PSNR', 'SSIM', 'LPIPS'),
                     buckets: Sequence[str] = ('0-20', '20-40', '40-60', 'all')) -> bytes:
    """A PNG bar chart of an inpainting table: one panel per metric, a group of bars per
    hole-ratio bucket, one bar per row (its mean over seeds, the std as an error bar)."""
    import matplotlib
    matplotlib.use('Agg')  # files only, no display
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 4.2), squeeze=False)
    width = 0.8 / max(1, len(rows))
    for axis, metric in zip(axes[0], metrics):
        for index, (name, row) in enumerate(rows.items()):
            values = [row.get(f'{metric}@{bucket}') or [math.nan] for bucket in buckets]
            means = [statistics.fmean(v) for v in values]
            stds = [statistics.stdev(v) if len(v) > 1 else 0. for v in values]
            positions = [b + (index - (len(rows) - 1) / 2) * width for b in range(len(buckets))]
            axis.bar(positions, means, width, yerr=stds, capsize=2, label=name)
        axis.set_xticks(range(len(buckets)), [f'{b} %' if b != 'all' else 'all' for b in buckets])
        axis.set_title(f'{metric} ({"lower" if metric == "LPIPS" else "higher"} is better)')
        axis.set_xlabel('hole ratio')
    axes[0][0].legend(fontsize=7, loc='lower left')
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format='png', dpi=100)
    plt.close(figure)
    return buffer.getvalue()
