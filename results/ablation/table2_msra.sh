#!/bin/bash
# The paper's Table 2 (embedder ablation) on the full MSRA training set at equal budget: the
# Seq2Seq-Att tagger on Word2vec (character-only input, as in the paper), ELMo and BERT
# character vectors, 60 minutes on one thread each, seed 13. The ELMo and BERT are the CPU
# models of issue #9 item 4 (~/nerkit-runs/pretrain_lm.sh: `nerkit pretrain elmo|bert
# --preset small` on MSRA + People's Daily train, 150 minutes each).
# Usage: bash results/ablation/table2_msra.sh w2v|elmo|bert   (rerun to resume)
cd /work/wt/runs
export OMP_NUM_THREADS=1
P=$HOME/nerkit-runs/pretrained
run() { .venv/bin/python benchmarks/seed_runs.py "$@" --dataset msra --seeds 13 --threads 1 \
          --results /work/main/results --arg max_minutes=60; }
case "$1" in
w2v)  run word2vec_seq2seq_att --tag chars --arg bigrams=false --arg vectors=$P/w2v_char/vectors.bin ;;
elmo) run elmo_seq2seq_att --arg elmo_options=$P/elmo_small/options.json \
          --arg elmo_weights=$P/elmo_small/weights.hdf5 ;;
bert) run bert_seq2seq_att --arg bert=$P/bert_small --arg bert_lr=0.0001 ;;
esac
