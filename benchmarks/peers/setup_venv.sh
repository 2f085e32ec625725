#!/usr/bin/env bash
# Build benchmarks/.peers-venv with the reference peers (flair, sklearn-crfsuite).
# torch is installed FIRST and pinned so flair cannot pull a CUDA build.
# Each peer is installed on its own so one failing leaves the other usable;
# benchmarks/.peers-venv/status.json records what installed.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="${PEERS_VENV:-$here/.peers-venv}"
python="${PYTHON:-python3}"
torch_spec="${PEERS_TORCH:-torch==2.13.0}"

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv" || exit 1
pip=("$venv/bin/python" -m pip install --quiet)
"${pip[@]}" "$torch_spec" psutil || exit 1
status=()
for peer in flair sklearn-crfsuite; do
    if "${pip[@]}" "$peer" "$torch_spec"; then
        status+=("\"$peer\": \"ok\"")
    else
        status+=("\"$peer\": \"pip install $peer failed\"")
    fi
done
(IFS=,; echo "{${status[*]}}") > "$venv/status.json"
cat "$venv/status.json"
