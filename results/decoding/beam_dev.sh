#!/bin/bash
# Beam size of word2vec_seq2seq_att chosen on dev: evaluate the seed-13 archives with beams 1, 2, 4.
cd /work/main
export OMP_NUM_THREADS=1 PYTHONPATH=/work/main
for d in msra pd1998; do
  case $d in msra) dev=../shared/data/msra/dev.bio;; pd1998) dev=../shared/data/pd1998/199801-dev.txt;; esac
  for b in 1 2 4; do
    out=~/nerkit-runs/beam/${d}_beam$b.json
    [ -f $out ] && continue
    /usr/bin/time -f "$d beam $b: %e s" nice -n 5 .venv/bin/python -m nerkit evaluate ~/nerkit-runs/$d/word2vec_seq2seq_att/seed13/model.tar.gz $dev \
      -o model.decoder.beam_size=$b --output-file $out
  done
done
