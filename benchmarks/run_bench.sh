#!/usr/bin/env bash
# make bench  ->  benchmarks/run_bench.sh [bench.py options]
# Quick comparison of nerkit against flair and sklearn-crfsuite on MSRA subsets (~25 min on
# 2 cores; builds benchmarks/.peers-venv on first use). Pass --full for the whole corpus.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python=python3
exec "$python" "$root/benchmarks/bench.py" "$@"
