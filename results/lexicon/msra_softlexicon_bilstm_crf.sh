#!/bin/bash
# softlexicon_bilstm_crf on MSRA, same settings as the lead's bilstm_crf_w2v_lr3e-3 run plus the lexicon.
cd /work/wt/lexicon
export PYTHONPATH=/work/wt/lexicon OMP_NUM_THREADS=1
exec nice -n 10 /work/main/.venv/bin/nerkit train training_configs/softlexicon_bilstm_crf.jsonnet \
  -s $HOME/nerkit-runs/lexicon/msra_softlexicon_bilstm_crf $RESUME \
  --arg dataset=msra --arg data_dir=/work/shared/data \
  --arg vectors=$HOME/nerkit-runs/pretrained/w2v_char/vectors.bin \
  --arg lexicon=$HOME/nerkit-runs/lexicon/msra_jieba_train.txt \
  --arg word_vectors=$HOME/nerkit-runs/lexicon/w2v_word_msra/vectors.bin \
  --arg lr=0.003 --arg num_epochs=30 -o trainer.train_metrics=false
