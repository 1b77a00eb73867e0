#!/usr/bin/env bash
# Set up the environment if needed (idempotent, seconds when done), lint the tree (ruff.toml),
# then run the whole test suite.
#   bash tools/run_tests.sh [extra pytest args]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
bash tools/setup_env.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest tests -q -p no:cacheprovider "$@"
