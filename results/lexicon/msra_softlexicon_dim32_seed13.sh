#!/bin/bash
# softlexicon_bilstm_crf on MSRA with 32-dim word vectors (issue #13's speed target: 0.61x at 32
# against 0.56x at 50): the run of results/lexicon/msra_softlexicon_gaz_seed13.sh (jieba's
# whole dictionary, gazetteer, seed 13, 60 minutes, one thread) with word_dim 32.
# Word vectors: nerkit pretrain word2vec ../shared/data/msra/train.bio --reader conll --unit word \
#     --dim 32 --epochs 5 --seed 13 --workers 1 -o ~/nerkit-runs/lexicon/w2v_word_msra32
# Resume: rerun (adds --recover).
cd "$(dirname "$0")/../.."  # the checkout holding this script
export OMP_NUM_THREADS=1
out=$HOME/nerkit-runs/lexicon/msra_softlexicon_dim32_seed13
r=""; [ -f $out/checkpoints/latest.json ] && r="--recover"
exec .venv/bin/python -m nerkit train training_configs/softlexicon_bilstm_crf.jsonnet -s $out $r \
  --arg dataset=msra -o random_seed=13 -o trainer.train_metrics=false \
  --arg vectors=$HOME/nerkit-runs/pretrained/w2v_char/vectors.bin \
  --arg bigram_vectors=$HOME/nerkit-runs/pretrained/w2v_bigram/vectors.bin \
  --arg word_vectors=$HOME/nerkit-runs/lexicon/w2v_word_msra32/vectors.bin --arg word_dim=32 \
  --arg gazetteer=true
