"""evaluation/ judges any model (ours and MMagic's): it must not import any model of ours."""
import ast
from pathlib import Path

import fr_inpaint_plugin.evaluation as evaluation


def test_evaluation_imports_no_model_of_ours():
    package = Path(evaluation.__file__).parent
    offending = []
    for source in sorted(package.glob('*.py')):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = '.' * node.level + (node.module or '')
                names = [alias.name for alias in node.names]
                if ('models' in module.split('.') and (node.level or 'fr_inpaint_plugin' in module)
                        or (node.level and 'models' in names)):
                    offending.append(f'{source.name}: from {module} import {names}')
            elif isinstance(node, ast.Import):
                offending += [f'{source.name}: import {alias.name}' for alias in node.names
                              if alias.name.startswith('fr_inpaint_plugin.models')]
    assert not offending
