#!/bin/bash
# softlexicon_bilstm_crf on People's Daily with cross-fold matching of the training sentences
# (lexicon_folds=10, the config's default on pd1998): the run of pd_softlexicon_seed13.sh
# (shipped bilstm_crf recipe, seed 13, lexicon from People's Daily train only, frozen word
# vectors from its own segmentation, no gazetteer) with each training sentence matched without
# the words found only in its own fold of articles. 60-minute budget, one thread.
# Resume: rerun (adds --recover).
cd /work/wt/runs
export OMP_NUM_THREADS=1
out=$HOME/nerkit-runs/lexicon/pd_softlexicon_crossfold_seed13
r=""; [ -f $out/checkpoints/latest.json ] && r="--recover"
exec .venv/bin/python -m nerkit train training_configs/softlexicon_bilstm_crf.jsonnet -s $out $r \
  --arg dataset=pd1998 --arg lexicon=$HOME/nerkit-runs/lexicon/pd_train.txt \
  --arg lexicon_folds=10 -o random_seed=13 -o trainer.train_metrics=false \
  --arg vectors=$HOME/nerkit-runs/pretrained/w2v_char/vectors.bin \
  --arg bigram_vectors=$HOME/nerkit-runs/pretrained/w2v_bigram/vectors.bin \
  --arg word_vectors=$HOME/nerkit-runs/lexicon/w2v_word_pd/vectors.bin \
  --arg gazetteer=false
