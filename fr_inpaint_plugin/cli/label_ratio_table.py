"""One Markdown table per results table of a pipeline, its runs at several label ratios side by
side: what more labels buy (the paper's label-ratio study). Reads the finished test phases of
each ratio's work root (as tools/train_pipeline.py left them); trains nothing. A ratio run
under several seeds, each in a work root of its own (``--seeds S --work-root W``), names them
joined by commas; its cells give ``mean ± std`` over them.

    python tools/label_ratio_table.py configs/fr_inpaint/camvid/pipeline.py \\
        --label-ratios 0.125 0.25 0.5 [--work-roots W1 W2,W2_seed1 W3] [--out label_ratios.md]
"""
import argparse
from fractions import Fraction
from typing import Dict, List, Optional, Sequence, Union

from ..pipeline import load_plan
from ..pipeline.report import group_rows, markdown_table
from ..pipeline.run import read_done
from ..utils import write_text_atomically

# The columns compared across ratios, per table of the method's pipelines (others: all); on I_inc
# also the holes alone, where the segmentor reads what the coarse stage painted in, and the known
# pixels around them.
DEFAULT_COLUMNS = {
    'segmentation': ('clean mIoU', 'I_inc mIoU', 'I_inc hole/mIoU', 'I_inc known/mIoU'),
    'inpainting': ('PSNR@all', 'SSIM@all', 'LPIPS@all'),
}


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('pipeline', help='the pipeline config the runs used')
    parser.add_argument('--label-ratios', type=float, nargs='+', required=True,
                        help='the runs to compare, e.g. 0.125 0.25 0.5')
    parser.add_argument('--work-roots', nargs='+',
                        help='their work roots, one per ratio, a ratio\'s seeds joined by '
                        'commas (default: the pipeline\'s, work_dirs/fr_inpaint/<name>_r<ratio>)')
    parser.add_argument('--out', help='also write the tables to this Markdown file')
    args = parser.parse_args(argv)
    if args.work_roots is not None and len(args.work_roots) != len(args.label_ratios):
        parser.error(f'--work-roots names {len(args.work_roots)} folders for '
                     f'{len(args.label_ratios)} label ratios')
    return args


def ratio_name(ratio: float) -> str:
    """0.125 -> '1/8' (a fraction where the ratio is one with a small denominator)."""
    fraction = Fraction(ratio).limit_denominator(64)
    return str(fraction) if float(fraction) == ratio else f'{ratio:g}'


def label_ratio_tables(pipeline: str, ratios: Sequence[float],
                       work_roots: Optional[Sequence[Union[None, str, Sequence[str]]]] = None
                       ) -> str:
    """The tables: rows as in each run's results.md (in the pipeline's order), columns
    ``<ratio> <metric>``; a cell is ``-`` where that run has not finished the test phase.
    ``work_roots[i]`` may list several roots (seeds) of ``ratios[i]``: their cells' values are
    pooled into ``mean ± std``."""
    work_roots = list(work_roots or [None] * len(ratios))
    per_ratio: Dict[str, Dict[str, Dict[str, Dict[str, List[float]]]]] = {}
    titles, row_order, missing, seeds = {}, {}, [], 1
    for ratio, roots in zip(ratios, work_roots):
        roots = [roots] if roots is None or isinstance(roots, str) else list(roots)
        seeds = max(seeds, len(roots))
        records, reports = {}, {}  # keyed by (work root, phase): the seeds' values pool per cell
        for work_root in roots:
            plan = load_plan(pipeline, label_ratio=ratio, work_root=work_root)
            reported = {p.name: p.report for p in plan.phases if p.report is not None}
            done = {name: read_done(plan, name) for name in reported}
            if not any(done.values()):
                if len(roots) > 1:  # else its mean would silently lack a seed
                    raise FileNotFoundError(
                        f'{plan.work_root}: no finished test phase, so the {ratio_name(ratio)} '
                        'mean would lack this seed: finish its run or leave it out')
                missing.append(plan.work_root)
            records.update({(plan.work_root, name): record for name, record in done.items()})
            reports.update({(plan.work_root, name): report for name, report in reported.items()})
            for name, report in reported.items():
                rows = row_order.setdefault(report['table'], [])
                if report['row'] not in rows:
                    rows.append(report['row'])
            titles.update({table: spec.get('title', table)
                           for table, spec in plan.tables.items()})
        per_ratio[ratio_name(ratio)] = group_rows(records, reports)
    if len(missing) == len(ratios):
        raise FileNotFoundError(f'no finished test phase in {missing}: run tools/'
                                'train_pipeline.py with these label ratios first (or pass '
                                '--work-roots)')
    parts = []
    for table, rows in row_order.items():
        metrics = DEFAULT_COLUMNS.get(table) or sorted(
            {key for tables in per_ratio.values() for row in tables.get(table, {}).values()
             for key in row})
        cells = {row: {f'{name} {metric}': tables.get(table, {}).get(row, {}).get(metric)
                       for name, tables in per_ratio.items() for metric in metrics}
                 for row in rows}
        cells = {row: values for row, values in cells.items()
                 if any(value is not None for value in values.values())}
        note = ' (mean ± std over a ratio\'s seeds where it has several)' if seeds > 1 else ''
        if cells:
            parts.append(f'### {titles.get(table, table)}, by label ratio{note}\n\n'
                         + markdown_table(cells))
    return '\n\n'.join(parts)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    work_roots = args.work_roots and [roots.split(',') for roots in args.work_roots]
    tables = label_ratio_tables(args.pipeline, args.label_ratios, work_roots)
    print(tables)
    if args.out:
        write_text_atomically(args.out, tables + '\n')


if __name__ == '__main__':
    main()
