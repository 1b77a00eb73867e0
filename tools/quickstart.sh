#!/usr/bin/env bash
# Fresh clone -> installed environment -> the main job on the embedded demo data.
#   bash tools/quickstart.sh
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
bash tools/setup_env.sh
PY=.venv/bin/python
WORK_DIR=work_dirs/quickstart

echo "== demo data =="
"$PY" tools/make_demo_data.py --out data/demo
echo "== build every shipped config's model, one forward pass each =="
"$PY" tools/check_configs.py configs
echo "== stage 1: train the coarse inpainter (tiny CPU schedule) =="
"$PY" tools/train.py configs/fr_inpaint/demo/coarse.py --work-dir "$WORK_DIR/coarse"
echo "== stage 1: test =="
"$PY" tools/test.py configs/fr_inpaint/demo/coarse.py "$WORK_DIR/coarse/iter_40.pth" \
    --work-dir "$WORK_DIR/coarse" --out "$WORK_DIR/coarse/test_metrics.json"
echo
echo "Results: $REPO_ROOT/$WORK_DIR"
echo "  checkpoints + logs:  $WORK_DIR/coarse"
echo "  validation grids:    $WORK_DIR/coarse/*/vis_data/vis_image"
echo "  test metrics:        $WORK_DIR/coarse/test_metrics.json"
