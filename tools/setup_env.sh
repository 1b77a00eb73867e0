#!/usr/bin/env bash
# Idempotent set-up of the repo's virtual environment (.venv) on the real OpenMMLab stack.
#   bash tools/setup_env.sh        # sourced by quickstart.sh and run_tests.sh
# Steps already done are skipped: the whole set-up is stamped with a hash of its inputs, and the
# compiled mmcv wheel is cached outside the repo (keyed by mmcv + torch + python version), so a
# second set-up on a machine takes seconds instead of the ~25 minutes mmcv's ops take to compile.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
VENV="$REPO_ROOT/.venv"
PY="$VENV/bin/python"
MMCV_VERSION=2.1.0
TORCH_VERSION=2.14.1
CACHE_ROOT="${FR_INPAINT_CACHE:-$HOME/.cache/fr_inpaint}"
PIP=("$PY" -m pip --disable-pip-version-check -q)
CONSTRAINTS=(-c "$REPO_ROOT/requirements/constraints.txt")

log() { printf '[setup] %s\n' "$*"; }

stamp_inputs() {
    cat tools/setup_env.sh requirements/*.txt setup.py | sha256sum | cut -c1-16
}
STAMP_FILE="$VENV/.fr_inpaint_setup"
STAMP="$(stamp_inputs)"

if [ -f "$STAMP_FILE" ] && [ "$(cat "$STAMP_FILE")" = "$STAMP" ] && "$PY" -c 'import fr_inpaint_plugin' 2>/dev/null; then
    log "environment up to date ($VENV)"
else
    if [ ! -x "$PY" ]; then
        log "creating $VENV"
        python3 -m venv "$VENV"
    fi
    log "installing torch $TORCH_VERSION and build tools"
    "${PIP[@]}" install "${CONSTRAINTS[@]}" -r requirements/build.txt
    "${PIP[@]}" install "${CONSTRAINTS[@]}" -r requirements/runtime.txt -r requirements/tests.txt

    PY_TAG="$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
    INSTALLED_TORCH="$("$PY" -c 'import torch; print(torch.__version__.split("+")[0])')"
    if [ "$INSTALLED_TORCH" != "$TORCH_VERSION" ]; then
        echo "[setup] expected torch $TORCH_VERSION in $VENV, found $INSTALLED_TORCH" >&2
        exit 1
    fi
    WHEEL_DIR="$CACHE_ROOT/wheels/mmcv-$MMCV_VERSION-torch$TORCH_VERSION-$PY_TAG-$(uname -m)"
    if ! ls "$WHEEL_DIR"/mmcv-*.whl >/dev/null 2>&1; then
        log "building mmcv $MMCV_VERSION with compiled ops (one-off; ~25 min on 2 cores)"
        BUILD_DIR="$(mktemp -d)"
        trap 'rm -rf "$BUILD_DIR"' EXIT
        # --no-build-isolation: mmcv's setup.py imports torch to configure its extension.
        "${PIP[@]}" download "${CONSTRAINTS[@]}" --no-deps --no-binary :all: --no-build-isolation \
            "mmcv==$MMCV_VERSION" -d "$BUILD_DIR"
        tar xzf "$BUILD_DIR/mmcv-$MMCV_VERSION.tar.gz" -C "$BUILD_DIR"
        # torch 2.14's headers need C++20; mmcv 2.1.0 hard-codes -std=c++17 (and c++14 for old torch).
        sed -i -e 's/-std=c++17/-std=c++20/g' "$BUILD_DIR/mmcv-$MMCV_VERSION/setup.py"
        grep -q -- '-std=c++20' "$BUILD_DIR/mmcv-$MMCV_VERSION/setup.py"
        mkdir -p "$WHEEL_DIR"
        (cd "$BUILD_DIR/mmcv-$MMCV_VERSION" && MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
            "${PIP[@]}" wheel "${CONSTRAINTS[@]}" --no-build-isolation --no-deps . -w "$BUILD_DIR/dist")
        # Move into the cache only when complete, so an interrupted build is never cached.
        mv "$BUILD_DIR"/dist/mmcv-*.whl "$WHEEL_DIR/"
    else
        log "using cached mmcv wheel from $WHEEL_DIR"
    fi
    "${PIP[@]}" install "${CONSTRAINTS[@]}" --no-deps --force-reinstall "$WHEEL_DIR"/mmcv-*.whl
    "${PIP[@]}" install "${CONSTRAINTS[@]}" --no-deps -r requirements/openmmlab.txt
    "${PIP[@]}" install "${CONSTRAINTS[@]}" --no-deps --no-build-isolation -e .
    "$PY" -c 'import mmcv.ops, mmseg, mmagic, fr_inpaint_plugin; from mmcv.ops import RoIAlign'
    stamp_inputs > "$STAMP_FILE"
    log "environment ready ($VENV)"
fi

"$PY" tools/prepare_weights.py
