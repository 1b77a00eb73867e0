"""Run the whole method from one pipeline config: coarse -> segmentation steps 1-5 -> refine ->
tests, each phase through the MMEngine Runner in its own work dir (<work-root>/<phase>).
Rerunning the same command skips finished phases and resumes an interrupted one.

    python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py
    python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py \\
        --data-root /data/camvid --label-ratio 0.25
"""
import argparse
import glob
import json
import os.path as osp
import sys
from typing import List, Optional

from ..evaluation.pseudo_label_audit import AUDIT_JSON, audit_summary_rows
from ..evaluation.recorrection_audit import JSON_FILE as RECORRECTION_JSON
from ..evaluation.recorrection_audit import recorrection_summary_rows
from ..pipeline import PipelineRunner, load_plan, pipeline_tables
from ..pipeline.grids import GRIDS_FILE, comparison_png, comparison_rows
from ..pipeline.report import bucket_chart_png, group_rows, markdown_table
from ..pipeline.run import run_command
from ..utils import write_bytes_atomically, write_text_atomically

RESULTS_FILE = 'results.md'
CHART_FILE = 'results.png'  # the inpainting table per hole-ratio bucket


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('pipeline',
                        help='pipeline config, e.g. configs/fr_inpaint/camvid/pipeline.py')
    parser.add_argument('--data-root', help="the data set's root (default: the config's)")
    parser.add_argument('--label-ratio', type=float,
                        help='labelled fraction of the training set, e.g. 0.125, 0.25, 0.5')
    parser.add_argument('--work-root',
                        help='where the phases work (default work_dirs/fr_inpaint/<name>_r<ratio>)')
    parser.add_argument('--seeds', type=int, nargs='+',
                        help="seeds of the config's seeded_phases (default: the config's seeds)")
    parser.add_argument('--split-seed', type=int,
                        help="seed of the label-ratio split (default: the config's split_seed, "
                        'else 0); another seed draws other labelled images, in split files of '
                        'their own')
    parser.add_argument('--until', help='stop after this phase')
    parser.add_argument('--force',
                        help='rerun this phase and every later one from scratch '
                        '(deleting their checkpoints)')
    parser.add_argument('--nproc', '--gpus', type=int, default=1,
                        help='processes (GPUs) per train phase, through torchrun (gloo without '
                        'a GPU); test phases run in one')
    parser.add_argument('--no-fork', action='store_true',
                        help='start every phase in a fresh interpreter (default on CPU-only '
                        'machines: fork it from this process, which imports torch and the '
                        'OpenMMLab stack once)')
    parser.add_argument('--grid-items', type=int, default=2, metavar='N',
                        help=f'test items per hole-ratio bucket in {GRIDS_FILE}, the inpainting '
                        'tests side by side (default 2)')
    parser.add_argument('--verbose', action='store_true',
                        help="print each phase's full log instead of writing it to its work dir")
    return parser.parse_args(argv)


def _audit_section(plan, pattern: str, row_name, heading: str, rows, first: str) -> str:
    """A results section from the audit files the train phases wrote (``pattern`` under each
    phase's work dir; ``row_name(phase, path)`` names each row), '' where there are none."""
    audits = {}
    for phase in plan.phases:
        if phase.kind == 'train':
            for path in sorted(glob.glob(osp.join(plan.work_dir(phase.name), pattern))):
                with open(path) as file:
                    audits[row_name(phase.name, path)] = json.load(file)
    if not audits:
        return ''
    return f'### {heading}\n\n' + markdown_table(rows(audits), first=first)


def audit_table(plan) -> str:
    """The pseudo-label audits the train phases wrote (``<phase>/<round>/audit.json``)."""
    return _audit_section(
        plan, osp.join('*', AUDIT_JSON),
        lambda phase, path: f'{phase}/{osp.basename(osp.dirname(path))}',
        'Pseudo-label audit: mean per-image mIoU of the pseudo-labels against the true labels '
        "the split hides (random half: the mean of random subsets of the reliable set's size, "
        'and their 95th percentile)', audit_summary_rows, first='round')


def recorrection_table(plan) -> str:
    """The recorrection audits the student phases wrote (``<phase>/recorrection_audit.json``)."""
    return _audit_section(
        plan, RECORRECTION_JSON, lambda phase, path: phase,
        "Recorrection audit: the pixel weights of each student's pseudo-labels against the true "
        'labels the split hides (weight right / wrong: mean weight on right / wrong '
        'pseudo-labels; AUC: chance a right pixel outweighs a wrong one, 0.5 = none)',
        recorrection_summary_rows, first='student')


def inpainting_tests(plan, records) -> List[tuple]:
    """(row, work dir, visualizer image keys) of each finished inpainting test phase, the first
    seed of a seeded row only."""
    from mmengine.config import Config
    tests = {}
    for phase in plan.phases:
        record = records.get(phase.name) or {}
        if (phase.report or {}).get('table') == 'inpainting' and 'config' in record \
                and phase.report['row'] not in tests:
            keys = Config.fromfile(record['config']).get('visualizer', {}).get('img_keys')
            if keys:
                tests[phase.report['row']] = (plan.work_dir(phase.name), keys)
    return [(row, work_dir, keys) for row, (work_dir, keys) in tests.items()]


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    plan = load_plan(args.pipeline, data_root=args.data_root, label_ratio=args.label_ratio,
                     work_root=args.work_root, seeds=args.seeds, split_seed=args.split_seed)
    print(f'pipeline {plan.name}: {len(plan.phases)} phases in {plan.work_root} '
          f'(data {plan.data_root}, label ratio {plan.label_ratio:g}, split seed '
          f'{plan.split_seed}, {plan.split_draw} draw)', flush=True)
    runner = PipelineRunner(plan, python=sys.executable, quiet=not args.verbose,
                            nproc=args.nproc, command=run_command if args.no_fork else None)
    records = runner.run(until=args.until, force=args.force)
    reports = {p.name: p.report for p in plan.phases if p.report is not None}
    tables = '\n\n'.join(part for part in (pipeline_tables(records, reports, plan.tables),
                                             audit_table(plan), recorrection_table(plan))
                       if part)
    if tables:
        path = osp.join(plan.work_root, RESULTS_FILE)
        write_text_atomically(path, tables + '\n')
        print(f'\n{tables}\n\nwritten to {path}')
    inpainting = group_rows(records, reports).get('inpainting')
    if inpainting:
        path = osp.join(plan.work_root, CHART_FILE)
        write_bytes_atomically(path, bucket_chart_png(inpainting))
        print(f'bar chart per hole-ratio bucket: {path}')
    items, rows = comparison_rows(inpainting_tests(plan, records), per_bucket=args.grid_items)
    if rows:
        path = osp.join(plan.work_root, GRIDS_FILE)
        write_bytes_atomically(path, comparison_png(items, rows))
        print(f'test items side by side (masked, each method, ground truth): {path}')


if __name__ == '__main__':
    main()
