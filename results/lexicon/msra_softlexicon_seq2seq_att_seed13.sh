#!/bin/bash
# softlexicon_seq2seq_att on MSRA (issue #13's second lexicon row): word2vec_seq2seq_att's shipped
# recipe (char + bigram word2vec vectors, Adam 0.003 with decay, 60 minutes, seed 13) plus the
# lexicon setting that scored best with the CRF head on MSRA: jieba's whole dictionary, frozen
# MSRA word vectors and gazetteer features. Compare with results/msra/word2vec_seq2seq_att.
# Resume: rerun (adds --recover).
cd "$(dirname "$0")/../.."  # the checkout holding this script (a worktree of main)
export OMP_NUM_THREADS=1
out=$HOME/nerkit-runs/lexicon/msra_softlexicon_seq2seq_att_seed13
r=""; [ -f $out/checkpoints/latest.json ] && r="--recover"
exec .venv/bin/python -m nerkit train training_configs/softlexicon_seq2seq_att.jsonnet -s $out $r \
  --arg dataset=msra -o random_seed=13 -o trainer.train_metrics=false \
  --arg vectors=$HOME/nerkit-runs/pretrained/w2v_char/vectors.bin \
  --arg bigram_vectors=$HOME/nerkit-runs/pretrained/w2v_bigram/vectors.bin \
  --arg word_vectors=$HOME/nerkit-runs/lexicon/w2v_word_msra/vectors.bin \
  --arg gazetteer=true
