#!/bin/bash
# Shorten a pretraining run's schedule once both targets are met: right after its next
# checkpoint, set max_steps to (that step + $2) so the learning rate decays linearly to 0 over
# the next $2 steps, and resume. $1 = bert|elmo.
D=~/nerkit-runs/pretrained/${1}_small.partial
P=$D/checkpoint/training_state.json
before=$(stat -c %Y "$P")
while [ "$(stat -c %Y "$P" 2>/dev/null)" = "$before" ]; do sleep 2; done
sleep 3
pkill -f "pretrain_lm.sh $1"; pkill -f "nerkit pretrain $1"; sleep 3
step=$(python3 -c "import json; print(json.load(open('$P'))['step'])")
python3 - "$D/settings.json" $((step + $2)) <<'PY'
import json, sys
path, total = sys.argv[1], int(sys.argv[2])
settings = json.load(open(path)); settings["max_steps"] = total
json.dump(settings, open(path, "w"), indent=2)
PY
echo "$1: checkpoint at step $step; max_steps now $((step + $2)) ($(date))"
cd ~/nerkit-runs && nohup bash pretrain_lm.sh $1 >> logs/pretrain_$1.log 2>&1 &
