#!/usr/bin/env bash
# A prepared check of the method on a GPU machine (one H200 here: Python 3.12 with its own CUDA
# torch, no package index, at most 64 MiB carried per call): the paper-setting CamVid phases
# (256x256, batch 24, --amp) for a few hundred iterations each, their tests and the speed
# benchmark on the GPU, everything in one output folder.
#
#   bash tools/gpu_check.sh stage             # here: .gpu_stage/{wheels,weights,data}, sizes
#   # there, call 1 (carry .gpu_stage/wheels): the stack into .gpu_stage/site, mmcv built there
#   bash tools/gpu_check.sh install "$OUT"
#   # there, call 2 right after (the machine still warm; carry .gpu_stage/weights + .gpu_stage/data)
#   bash tools/gpu_check.sh run "$OUT"
#   bash tools/gpu_check.sh dry-run OUT_DIR   # here, on the CPU: every step but the install,
#                                             # 2 iterations of batch 2 on 4 images at 128x128
#
# Two calls because wheels (29 MB), weights (33 MB as float16) and data (18 MB) exceed one
# call's 64 MiB. Each step's seconds and exit status go to timings.tsv; a failed step does not
# stop the later ones (each is independent evidence), but the script then exits non-zero.
# GPU_CHECK_ITERS (default 200) sets the iterations of each phase.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
STAGE="${GPU_CHECK_STAGE:-.gpu_stage}"
MMCV_VERSION=2.1.0
IMG=256

die() { echo "[gpu_check] error: $*" >&2; exit 1; }
log() { printf '[gpu_check] %s\n' "$*"; }

# A step: its command's output to WORK/NAME.log and to the combined log, its seconds and exit
# status to timings.tsv.
FAILED=0
step() {
    local name="$1"; shift
    local start end status
    log "$name: $*"
    start=$(date +%s.%N)
    "$@" > "$WORK/$name.log" 2>&1
    status=$?
    end=$(date +%s.%N)
    tail -n 20 "$WORK/$name.log"
    printf '%s\t%.1f\t%d\n' "$name" "$(echo "$end - $start" | bc)" "$status" >> "$WORK/timings.tsv"
    log "$name: exit $status after $(echo "$end - $start" | bc | cut -d. -f1) s"
    [ "$status" -eq 0 ] || FAILED=1
    return 0
}

stage() {
    local with_wheels=1
    [ "${1:-}" = "--no-wheels" ] && with_wheels=0 && shift
    local py="$REPO_ROOT/.venv/bin/python"
    [ -x "$py" ] || die "no .venv: run bash tools/setup_env.sh first"
    rm -rf "$STAGE/data" "$STAGE/weights"
    "$py" -m fr_inpaint_plugin.cli.gpu_check stage "$STAGE" "$@" || exit 1
    if [ "$with_wheels" = 1 ]; then
        rm -rf "$STAGE/wheels" && mkdir -p "$STAGE/wheels"
        # The device's notes: cp312 wheels for its manylinux platforms, no dependencies pulled.
        "$py" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            --python-version 3.12 --implementation cp --platform manylinux_2_28_x86_64 \
            --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
            -d "$STAGE/wheels" -r requirements/gpu_check.txt -c requirements/constraints.txt \
            || die "pip could not fetch the wheels of requirements/gpu_check.txt"
        # mmcv has no wheel for that torch: its source, built there (install); setuptools<81 for
        # its setup.py (pkg_resources).
        "$py" -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
            --no-build-isolation "mmcv==$MMCV_VERSION" -d "$STAGE/wheels" \
            || die "pip could not fetch mmcv $MMCV_VERSION's source"
        "$py" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
            "setuptools>=70,<81" -d "$STAGE/wheels" || die "pip could not fetch setuptools"
    fi
    local tree
    tree=$(git ls-files -z | du -cb --files0-from=- | tail -1 | cut -f1)
    for carried in wheels "weights data"; do
        # shellcheck disable=SC2086
        local bytes=$(( tree + $(cd "$STAGE" && du -cb $carried 2>/dev/null | tail -1 | cut -f1) ))
        log "a call carrying $carried: $(( bytes / 1048576 )) MiB with the working tree"
        [ "$bytes" -lt $(( 64 * 1048576 )) ] || die "over the 64 MiB a call may carry"
    done
}

install() {
    local out="$1"
    local py=python3 work="$STAGE/build"
    WORK="$out"; mkdir -p "$WORK" "$STAGE/site"
    ls "$STAGE"/wheels/*.whl >/dev/null 2>&1 || die "no $STAGE/wheels: carry it (stage first)"
    step pip_install "$py" -m pip install -q --no-index --no-deps --no-compile --upgrade \
        --target "$STAGE/site" "$STAGE"/wheels/*.whl
    export PYTHONPATH="$REPO_ROOT/$STAGE/site:$REPO_ROOT"
    rm -rf "$work" && mkdir -p "$work"
    tar xzf "$STAGE/wheels/mmcv-$MMCV_VERSION.tar.gz" -C "$work"
    # As tools/setup_env.sh: torch's recent headers need C++20. CUDA hidden at build time so
    # setup.py compiles mmcv's CPU ops only (the method uses no mmcv CUDA kernel).
    sed -i -e 's/-std=c++17/-std=c++20/g' "$work/mmcv-$MMCV_VERSION/setup.py"
    step mmcv_build env -C "$work/mmcv-$MMCV_VERSION" CUDA_VISIBLE_DEVICES= MMCV_WITH_OPS=1 \
        MAX_JOBS="$(nproc)" "$py" -m pip wheel -q --no-build-isolation --no-deps . -w "$work/dist"
    step mmcv_install "$py" -m pip install -q --no-index --no-deps --target "$STAGE/site" \
        "$work"/dist/mmcv-*.whl
    step imports "$py" -c 'import torch, mmcv.ops, mmseg, mmagic, fr_inpaint_plugin;
print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "mmcv", mmcv.__version__)'
    cp "$WORK/timings.tsv" "$out/install_timings.tsv" 2>/dev/null
    exit "$FAILED"
}

# The phases, tests and benchmark. Arguments: python, device, iterations, batch, image size,
# output folder, work folder, then extra train options (--amp).
check() {
    local py="$1" device="$2" iters="$3" batch="$4" size="$5" out="$6"
    WORK="$7"; shift 7
    local train_extra=("$@")
    local data="$STAGE/data"
    mkdir -p "$out" "$WORK" && : > "$WORK/timings.tsv"
    [ -d "$data/camvid" ] || die "no $data: carry $STAGE/data (stage first)"
    step restore_weights "$py" -m fr_inpaint_plugin.cli.gpu_check restore-weights "$STAGE" \
        "$WORK/weights"
    export FR_INPAINT_WEIGHTS="$WORK/weights"
    local workers=$(( $(nproc) > 8 ? 8 : 2 ))
    local dataset=(
        "train_dataloader.dataset.data_root=$data/camvid"
        "train_dataloader.dataset.split_file=$WORK/splits/camvid_ratio0.5_seed0.txt"
        "train_dataloader.dataset.img_size=$size" "train_dataloader.batch_size=$batch"
        "train_dataloader.num_workers=$workers"
        "test_dataloader.dataset.data_root=$data/camvid" "test_dataloader.num_workers=$workers"
        "test_dataloader.dataset.mask_dir=$data/irregular_masks"
        "test_dataloader.dataset.mask_list=$data/mask_lists/camvid_val_$size.txt"
        "test_dataloader.dataset.img_size=$size")
    local budget=("train_cfg.max_iters=$iters" "train_cfg.val_interval=$iters"
                  "default_hooks.checkpoint.interval=$iters"
                  "default_hooks.logger.interval=$(( iters < 20 ? 1 : 10 ))"
                  val_cfg=None val_dataloader=None val_evaluator=None)
    local stages=("model.coarse.checkpoint=$WORK/train_coarse/iter_$iters.pth"
                  "model.segmentor.checkpoint=$WORK/train_seg/iter_$iters.pth")
    local c=configs/fr_inpaint/camvid
    for phase in coarse seg; do
        step "train_$phase" "$py" tools/train.py "$c/$phase.py" "${train_extra[@]}" \
            --work-dir "$WORK/train_$phase" --cfg-options "${dataset[@]}" "${budget[@]}"
    done
    step train_refine "$py" tools/train.py "$c/refine.py" "${train_extra[@]}" \
        --work-dir "$WORK/train_refine" --cfg-options "${dataset[@]}" "${budget[@]}" "${stages[@]}"
    for phase in coarse seg refine; do
        local extra=()
        [ "$phase" = refine ] && extra=("${stages[@]}")
        step "test_$phase" "$py" tools/test.py "$c/$phase.py" \
            "$WORK/train_$phase/iter_$iters.pth" --work-dir "$WORK/test_$phase" \
            --out "$WORK/test_$phase/metrics.json" --cfg-options "${dataset[@]}" "${extra[@]}"
    done
    local bench=()
    [ "$size" = "$IMG" ] || bench=(--cfg-options "img_size=($size,$size)" warmup=0 repeats=1
                                   throughput_batch=2)
    step benchmark "$py" tools/benchmark.py configs/benchmarks/camvid_paper.py --device "$device" \
        --out-dir "$WORK/benchmark" "${bench[@]}"
    "$py" -m fr_inpaint_plugin.cli.gpu_check summarise "$WORK" --device "$device" \
        --iters "$iters" --batch "$batch" --img-size "$size" --train-options="${train_extra[*]}"
    cp "$WORK/summary.md" "$WORK/summary.json" "$out/"
    cp "$WORK/benchmark/benchmark."{json,md,png} "$out/" 2>/dev/null
    { "$py" -m pip list 2>/dev/null | grep -i -E '^(torch|mm|numpy|opencv)'
      nvidia-smi 2>/dev/null; } > "$out/environment.txt"
    log "summary: $out/summary.md"
    exit "$FAILED"
}

case "${1:-}" in
    stage) shift; stage "$@" ;;
    install) [ $# -eq 2 ] || die "usage: $0 install OUT_DIR"; install "$2" ;;
    run)
        [ $# -eq 2 ] || die "usage: $0 run OUT_DIR"
        [ -d "$STAGE/site" ] || die "no $STAGE/site: run '$0 install' on this machine first"
        export PYTHONPATH="$REPO_ROOT/$STAGE/site:$REPO_ROOT"
        check python3 cuda "${GPU_CHECK_ITERS:-200}" 24 "$IMG" "$2" "/tmp/fr_gpu_check" --amp \
            2>&1 | tee "$2/gpu_check.log"
        exit "${PIPESTATUS[0]}" ;;
    dry-run)
        # Extra options go to the staging (e.g. --data-root / --mask-dir of a tiny data set).
        [ $# -ge 2 ] || die "usage: $0 dry-run OUT_DIR [--data-root DIR] [--mask-dir DIR]"
        out="$2"; shift 2
        mkdir -p "$out"
        STAGE="$out/stage"
        stage --no-wheels --img-size 128 --limit 4 "$@"
        check "$REPO_ROOT/.venv/bin/python" cpu 2 2 128 "$out" "$out/work" 2>&1 \
            | tee "$out/gpu_check.log"
        exit "${PIPESTATUS[0]}" ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
esac
