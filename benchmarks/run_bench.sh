#!/usr/bin/env bash
# make bench  ->  benchmarks/run_bench.sh [bench.py options]
# Every issue #6/#14 target in one run, on MSRA subsets (~30 min on 2 cores; builds
# benchmarks/.peers-venv on first use). The whole corpus (about 70 min, flair's epoch half of it):
#   --full --epochs 1 --crf-epochs 4 --bert-train-sentences 5000
# Both corpora into one report: --dataset msra,pd1998 (e.g. with --systems crf).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
exec "$python" "$root/benchmarks/bench.py" "$@"
