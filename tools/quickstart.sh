#!/usr/bin/env bash
# Fresh clone -> installed environment -> the whole method on the embedded demo data: coarse
# inpainter, segmentation steps 1-5 (+ the no-filter baseline), the refiner and its guide
# ablations, their tests, example inpaintings and the results tables, at 64x64 (about 13 minutes
# after the set-up on 2 CPU cores).
#   bash tools/quickstart.sh
# Rerunning it skips the finished phases (tools/train_pipeline.py resumes an interrupted one).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
bash tools/setup_env.sh
PY=.venv/bin/python
WORK_ROOT=work_dirs/quickstart/demo
EXAMPLES=work_dirs/quickstart/examples

echo "== demo data =="
"$PY" tools/make_demo_data.py --out data/demo
echo "== build every shipped config's model, one forward pass each =="
"$PY" tools/check_configs.py configs
echo "== the pipeline: coarse -> segmentation steps 1-5 -> refine (+ ablations) -> tests =="
"$PY" tools/train_pipeline.py configs/fr_inpaint/demo/pipeline.py --work-root "$WORK_ROOT"

echo "== inpaint a few val images with the method's pipeline checkpoint =="
# One demo mask per hole-ratio bucket (the masks come in three equal runs: (0,20%], (20,40%],
# (40,60%]), named like the image it goes with.
mkdir -p "$EXAMPLES/img" "$EXAMPLES/mask"
for pair in 00000:00002 00001:00018 00002:00034; do
    image=val_${pair%%:*}
    cp "data/demo/val/img/$image.png" "$EXAMPLES/img/"
    cp "data/demo/masks/${pair##*:}.png" "$EXAMPLES/mask/$image.png"
done
"$PY" tools/inpaint.py "$(cat "$WORK_ROOT/refine_sia/last_checkpoint")" \
    --img "$EXAMPLES/img" --mask "$EXAMPLES/mask" --out "$EXAMPLES/out" \
    --grid --gt data/demo/val/img --save-semantic

echo
cat "$WORK_ROOT/results.md"
echo
echo "Results: $REPO_ROOT/$WORK_ROOT"
echo "  one work dir per phase:   $WORK_ROOT/<phase> (checkpoints, logs, phase_config.py)"
echo "  pseudo-label rounds:      $WORK_ROOT/seg_step1_s0/pseudo_round1_*,"
echo "                            $WORK_ROOT/seg_step4_s0/pseudo_round2_unreliable"
echo "  method checkpoint:        $(cat "$WORK_ROOT/refine_sia/last_checkpoint") (all three stages)"
echo "  test grids:               $WORK_ROOT/test_*/*/vis_data/vis_image"
echo "  tables:                   $WORK_ROOT/results.md"
echo "  example inpaintings:      $EXAMPLES/out/*_grid.png"
echo "                            (masked | coarse | semantic map | refined | ground truth)"
