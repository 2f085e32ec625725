#!/bin/bash
# softlexicon_bilstm_crf on MSRA with the current bilstm_crf recipe (char + bigram word2vec vectors,
# Adam 0.003 with inverse decay 0.05, seed 13), as the lead's bilstm_crf/seed13 run, plus the lexicon;
# 45-minute budget.
cd /work/wt/lexicon
export PYTHONPATH=/work/wt/lexicon OMP_NUM_THREADS=1
exec nice -n 10 /work/main/.venv/bin/python -m nerkit train training_configs/softlexicon_bilstm_crf.jsonnet \
  -s $HOME/nerkit-runs/lexicon/msra_softlexicon_recipe_seed13 $RESUME \
  --arg dataset=msra --arg data_dir=/work/shared/data -o random_seed=13 -o trainer.train_metrics=false \
  --arg vectors=$HOME/nerkit-runs/pretrained/w2v_char/vectors.bin \
  --arg bigram_vectors=$HOME/nerkit-runs/pretrained/w2v_bigram/vectors.bin \
  --arg lexicon=$HOME/nerkit-runs/lexicon/msra_jieba_train.txt \
  --arg word_vectors=$HOME/nerkit-runs/lexicon/w2v_word_msra/vectors.bin \
  --arg max_minutes=45
