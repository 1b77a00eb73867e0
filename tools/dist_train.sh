#!/usr/bin/env bash
# Multi-process (multi-GPU) training through torchrun, like MMagic's/MMSeg's dist_train.sh:
#   bash tools/dist_train.sh CONFIG GPUS [train.py options...]
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: bash tools/dist_train.sh CONFIG GPUS [--work-dir DIR] [--resume] [--amp] [--cfg-options ...]" >&2
    exit 2
fi
CONFIG=$1
GPUS=$2
shift 2
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$REPO_ROOT/.venv/bin/python}"
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}

"$PY" -m torch.distributed.run \
    --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" --master_port="$PORT" \
    "$REPO_ROOT/tools/train.py" "$CONFIG" --launcher pytorch "$@"
