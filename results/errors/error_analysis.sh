#!/bin/bash
# Error analysis of the seed-13 archives on dev: `nerkit evaluate --errors` counts each wrong
# entity by kind (missed, spurious, boundary, type, boundary+type). The counts (metrics JSON)
# are kept here; the per-sentence lists (--errors) stay under ~/nerkit-runs/errors.
# The seq2seq seed-13 archives predate beam 4 in the config; they are evaluated with it
# (-o model.decoder.beam_size=4), the search the shipped config predicts with.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
mkdir -p ~/nerkit-runs/errors
for dataset in msra pd1998; do
  case $dataset in
    msra) dev=../shared/data/msra/dev.bio ;;
    pd1998) dev=../shared/data/pd1998/199801-dev.txt ;;
  esac
  for system in crf bilstm_crf lstm_cnns word2vec_seq2seq_att; do
    archive=$HOME/nerkit-runs/$dataset/$system/seed13/model.tar.gz
    [ -f "$archive" ] || continue
    beam=(); [ $system = word2vec_seq2seq_att ] && beam=(-o model.decoder.beam_size=4)
    .venv/bin/nerkit evaluate "$archive" "$dev" --output-file results/errors/${dataset}_${system}.json \
      --errors ~/nerkit-runs/errors/${dataset}_${system}.jsonl --batch-size 64 "${beam[@]}"
  done
done
