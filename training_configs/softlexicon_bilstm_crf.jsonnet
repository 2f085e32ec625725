// SoftLexicon BiLSTM-CRF (Ma et al., ACL 2020): character + bigram embeddings + each character's
// B/M/E/S lexicon word sets -> BiLSTM -> CRF. The `bilstm_crf` recipe (same arguments and
// defaults) with lexicon-enhanced inputs.
// lexicon: word list path (`nerkit lexicon build`); null = jieba's dictionary (MSRA only).
// lexicon_folds: cross-fold matching of training sentences; null = 10 on pd1998, else 0.
// word_vectors: word2vec word vectors (`nerkit pretrain word2vec --unit word`); null = random.
// word_projection: map the 4 x word_dim pooled word sets to this many values before the BiLSTM
// (null: none, the paper's). 50: MSRA dev 85.88 ± 0.48 (three seeds) against 84.34 ± 0.05
// without it, and 0.72x instead of 0.57x bilstm_crf's prediction speed (README, issue #13).
// gazetteer_lexicon: an outside gazetteer (`nerkit lexicon build --source entities` on another
// corpus: no leak) as extra lexicon_features over its gazetteer_tags (entity types); null: none.
local inputs = import 'char_inputs.libsonnet';
local data = import 'data.libsonnet';
local softlexicon = import 'softlexicon.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, lexicon=null, lexicon_folds=null, vectors=null, embedding_dim=100,
         bigram_vectors=null, bigram_dim=50, bigrams=null, bigram_projection=null,
         word_vectors=null, word_dim=50, gazetteer=false, word_trainable=false, word_projection=50,
         gazetteer_lexicon=null, gazetteer_tags=['PER', 'LOC', 'ORG'],
         hidden_dim=128, tag_scheme='BIOES', num_epochs=100, batch_size=32, lr=0.003, decay=0.05,
         dropout=0.5, patience=10, max_minutes=60)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme, pretrained_file: vectors },
    model: {
      type: 'tagger',
      embedder: softlexicon.embedder(
        inputs.embedder(vectors, embedding_dim, bigram_vectors, bigram_dim, bigrams,
                        bigram_projection=bigram_projection),
        softlexicon.lexicon(dataset, lexicon, lexicon_folds), word_vectors, word_dim, gazetteer,
        word_trainable, word_projection, gazetteer_lexicon, gazetteer_tags,
      ),
      encoder: { type: 'lstm', hidden_dim: hidden_dim, bidirectional: true },
      decoder: { type: 'crf' },
      dropout: dropout,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs, patience=patience,
                              max_minutes=max_minutes, decay=decay),
  }
