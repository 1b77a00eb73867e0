"""tools/results_table.py prints test.py --out files in the pipeline's results.md format."""
import json
import os.path as osp
import runpy
import sys

import pytest

from fr_inpaint_plugin.pipeline import INPAINTING_COLUMNS, markdown_table
from tests.conftest import REPO_ROOT

TOOL = osp.join(REPO_ROOT, 'tools', 'results_table.py')


def run_tool(monkeypatch, *args):
    monkeypatch.setattr(sys, 'argv', [TOOL, *args])
    runpy.run_path(TOOL, run_name='__main__')


def test_rows_in_the_pipeline_table_format(tmp_path, monkeypatch, capsys):
    runs = {}
    for index, name in enumerate(('OpenCV Telea', 'Coarse')):
        runs[name] = {key: 20.0 + index if 'PSNR' in key else 0.5 for key in INPAINTING_COLUMNS}
        with open(tmp_path / f'{index}.json', 'w') as file:
            json.dump(runs[name], file)
    run_tool(monkeypatch, f'OpenCV Telea={tmp_path / "0.json"}', f'Coarse={tmp_path / "1.json"}')
    printed = capsys.readouterr().out
    assert printed == markdown_table(runs, INPAINTING_COLUMNS) + '\n'
    assert printed.startswith('| run | PSNR@0-20 | PSNR@20-40 |')
    assert '| Coarse | 21.00 | 21.00 | 21.00 | 21.00 | 0.500 |' in printed


def test_a_run_without_a_name_is_refused(tmp_path, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        run_tool(monkeypatch, str(tmp_path / 'm.json'))
    assert 'give each run as NAME=PATH' in capsys.readouterr().err
