"""Markdown tables of a pipeline's test phases (and of loose tools/test.py --out files)."""
import math
from typing import Dict, List, Mapping, Optional, Sequence

INPAINTING_COLUMNS = tuple(f'{metric}@{bucket}' for metric in ('PSNR', 'SSIM', 'LPIPS')
                           for bucket in ('0-20', '20-40', '40-60', 'all'))


def format_value(key: str, value) -> str:
    if not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
        return '-' if value is None or isinstance(value, float) else str(value)
    if 'PSNR' in key or 'IoU' in key or 'Acc' in key:  # also prefixed ('I_inc PSNR@all')
        return f'{value:.2f}'
    return f'{value:.3f}'


def markdown_table(rows: Mapping[str, Mapping[str, float]],
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


def pipeline_tables(records: Dict[str, dict], reports: Dict[str, dict],
                    tables: Dict[str, dict]) -> str:
    """The tables of finished test phases. ``reports[phase] = dict(table, row, prefix='')``
    puts the phase's metrics (keys prefixed) in that row; ``tables[table]`` may give the title
    and the ``columns`` (prefixed keys) to show."""
    grouped: Dict[str, Dict[str, Dict[str, float]]] = {}
    for phase, report in reports.items():
        record = records.get(phase)
        if record is None or 'metrics' not in record:
            continue
        row = grouped.setdefault(report['table'], {}).setdefault(report['row'], {})
        prefix = report.get('prefix', '')
        row.update({prefix + k: v for k, v in record['metrics'].items()})
    parts: List[str] = []
    for table, rows in grouped.items():
        spec = tables.get(table, {})
        parts.append(f"### {spec.get('title', table)}\n\n"
                     + markdown_table(rows, spec.get('columns')))
    return '\n\n'.join(parts)
