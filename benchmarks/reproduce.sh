#!/usr/bin/env bash
# make reproduce DATASET=msra|pd1998 PRESET=cpu-small|paper  ->  benchmarks/reproduce.sh DATASET PRESET
# Trains the paper's grid and writes results/<dataset>-<preset>/{table.md,table.csv,dev_f1.png}.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
if [ $# -lt 2 ]; then
    echo "usage: $0 DATASET PRESET [options]   (DATASET: msra|pd1998, PRESET: cpu-small|paper)" >&2
    exit 2
fi
exec "$python" "$root/benchmarks/reproduce.py" "$@"
