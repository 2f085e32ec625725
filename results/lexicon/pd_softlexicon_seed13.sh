#!/bin/bash
# softlexicon_bilstm_crf on People's Daily: the shipped bilstm_crf recipe (char + bigram word2vec vectors, seed 13)
# plus a lexicon built from People's Daily train only (leakage rule), frozen word vectors from People's Daily train (its own segmentation) and no gazetteer features (from the training portion they mark its own entities)
# ; 60-minute budget. Resume: rerun (adds --recover).
cd /work/wt/tune
export OMP_NUM_THREADS=1
out=$HOME/nerkit-runs/lexicon/pd_softlexicon_seed13
r=""; [ -f $out/checkpoints/latest.json ] && r="--recover"
exec .venv/bin/python -m nerkit train training_configs/softlexicon_bilstm_crf.jsonnet -s $out $r \
  --arg dataset=pd1998 --arg lexicon=$HOME/nerkit-runs/lexicon/pd_train.txt -o random_seed=13 -o trainer.train_metrics=false \
  --arg vectors=$HOME/nerkit-runs/pretrained/w2v_char/vectors.bin \
  --arg bigram_vectors=$HOME/nerkit-runs/pretrained/w2v_bigram/vectors.bin \
  --arg word_vectors=$HOME/nerkit-runs/lexicon/w2v_word_pd/vectors.bin \
  --arg gazetteer=false
