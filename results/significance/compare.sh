#!/bin/bash
# Paired bootstrap (1,000 resamples of the dev sentences) between seed-13 archives on dev:
# `nerkit evaluate A DEV --baseline B` -> results/significance/<name>.json (A's metrics, its
# errors, and "baseline": the comparison). Seq2seq archives predict with beam 4 (the seed-13
# word2vec_seq2seq_att archives predate it in the config: -o model.decoder.beam_size=4).
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
R=$HOME/nerkit-runs
MSRA=../shared/data/msra/dev.bio
PD=../shared/data/pd1998/199801-dev.txt
compare() {  # name archive baseline dev [evaluate options]
  local name=$1 archive=$2 baseline=$3 dev=$4; shift 4
  nice -n 10 .venv/bin/nerkit evaluate "$archive" "$dev" --baseline "$baseline" \
    --output-file results/significance/$name.json "$@" | tail -n 1
}
beam4=(-o model.decoder.beam_size=4)
compare msra_lstm_cnns_vs_bilstm_crf $R/msra/lstm_cnns/seed13/model.tar.gz $R/msra/bilstm_crf/seed13/model.tar.gz $MSRA
compare msra_seq2seq_vs_bilstm_crf $R/msra/word2vec_seq2seq_att/seed13/model.tar.gz $R/msra/bilstm_crf/seed13/model.tar.gz $MSRA "${beam4[@]}"
compare msra_w2v_chars_vs_bert $R/msra/word2vec_seq2seq_att-chars/seed13/model.tar.gz $R/msra/bert_seq2seq_att/seed13/model.tar.gz $MSRA
compare msra_bert_vs_elmo $R/msra/bert_seq2seq_att/seed13/model.tar.gz $R/msra/elmo_seq2seq_att/seed13/model.tar.gz $MSRA
compare msra_softlexicon_seq2seq_vs_seq2seq $R/lexicon/msra_softlexicon_seq2seq_att_seed13/model.tar.gz $R/msra/word2vec_seq2seq_att/seed13/model.tar.gz $MSRA --baseline-override model.decoder.beam_size=4
compare msra_softlexicon_vs_bilstm_crf $R/lexicon/msra_softlexicon_gaz_seed13/model.tar.gz $R/msra/bilstm_crf/seed13/model.tar.gz $MSRA
compare pd1998_seq2seq_vs_bilstm_crf $R/pd1998/word2vec_seq2seq_att/seed13/model.tar.gz $R/pd1998/bilstm_crf/seed13/model.tar.gz $PD "${beam4[@]}"
compare pd1998_softlexicon_vs_bilstm_crf $R/lexicon/pd_softlexicon_crossfold_seed13/model.tar.gz $R/pd1998/bilstm_crf/seed13/model.tar.gz $PD
compare msra_softlexicon_proj50_vs_bilstm_crf $R/msra/softlexicon_bilstm_crf-proj50/seed13/model.tar.gz $R/msra/bilstm_crf/seed13/model.tar.gz $MSRA
compare pd1998_softlexicon_proj50_vs_bilstm_crf $R/pd1998/softlexicon_bilstm_crf-proj50/seed13/model.tar.gz $R/pd1998/bilstm_crf/seed13/model.tar.gz $PD
compare msra_bilstm_crf_bproj50_vs_bilstm_crf $R/msra/bilstm_crf-bproj50/seed13/model.tar.gz $R/msra/bilstm_crf/seed13/model.tar.gz $MSRA
compare msra_bilstm_crf_bproj50_vs_bilstm_crf_seed14 $R/msra/bilstm_crf-bproj50/seed13/model.tar.gz $R/msra/bilstm_crf/seed14/model.tar.gz $MSRA
compare pd1998_bilstm_crf_bproj50_vs_bilstm_crf $R/pd1998/bilstm_crf-bproj50/seed13/model.tar.gz $R/pd1998/bilstm_crf/seed13/model.tar.gz $PD
compare msra_softlexicon_proj50_seed14_vs_bilstm_crf_seed14 $R/msra/softlexicon_bilstm_crf-proj50/seed14/model.tar.gz $R/msra/bilstm_crf/seed14/model.tar.gz $MSRA
compare msra_bilstm_crf_bproj50_seed15_vs_bilstm_crf_seed15 $R/msra/bilstm_crf-bproj50/seed15/model.tar.gz $R/msra/bilstm_crf/seed15/model.tar.gz $MSRA
# 2026-12-02 (new machine: run directories of this session)
compare pd1998_softlexicon_gaz_msragaz_vs_msragaz $R/pd1998/softlexicon_bilstm_crf-proj50-gaz-msragaz/seed13/model.tar.gz $R/pd1998/softlexicon_bilstm_crf-proj50-msragaz/seed13/model.tar.gz $PD
compare pd1998_softlexicon_msragaz_vs_bilstm_crf_unprojected $R/pd1998/softlexicon_bilstm_crf-proj50-msragaz/seed13/model.tar.gz $R/pd1998/bilstm_crf/seed13/model.tar.gz $PD
compare pd1998_softlexicon_gaz_msragaz_vs_bilstm_crf_unprojected $R/pd1998/softlexicon_bilstm_crf-proj50-gaz-msragaz/seed13/model.tar.gz $R/pd1998/bilstm_crf/seed13/model.tar.gz $PD
