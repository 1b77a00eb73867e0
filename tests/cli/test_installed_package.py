"""The package works as installed, not only from this checkout: no module finds files by walking
up from its own path, and a non-editable install trains from a config path."""
import ast
import os
import os.path as osp
import subprocess
import sys
from pathlib import Path

import fr_inpaint_plugin
from tests.conftest import REPO_ROOT


def test_no_module_locates_files_from_its_own_path():
    package = Path(fr_inpaint_plugin.__file__).parent
    offending = [f'{source.relative_to(package)}:{node.lineno}'
                 for source in sorted(package.rglob('*.py'))
                 for node in ast.walk(ast.parse(source.read_text()))
                 if isinstance(node, ast.Name) and node.id == '__file__']
    assert not offending


def test_non_editable_install_trains_from_a_config_path(tiny_coarse_cfg, tmp_path):
    site = tmp_path / 'site'
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '--no-build-isolation',
                    '--no-index', '--quiet', '--target', str(site), REPO_ROOT],
                   check=True, capture_output=True, timeout=600)
    config = tmp_path / 'coarse_tiny.py'
    tiny_coarse_cfg.dump(str(config))
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    # The installed copy comes first on the path; the run happens outside the checkout.
    env = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run(
        [sys.executable, '-c', 'import fr_inpaint_plugin, sys; print(fr_inpaint_plugin.__file__); '
         'from fr_inpaint_plugin.cli.train import main; main(sys.argv[1:])', str(config),
         '--work-dir', 'run', '--cfg-options', 'train_cfg.max_iters=1'],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.splitlines()[0].startswith(str(site))
    assert osp.isfile(elsewhere / 'run' / 'iter_1.pth')
