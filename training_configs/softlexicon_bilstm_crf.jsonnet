// SoftLexicon BiLSTM-CRF (Ma et al., ACL 2020): characters + B/M/E/S lexicon word sets ->
// BiLSTM -> CRF. The `bilstm_crf` recipe with lexicon-enhanced inputs.
// lexicon: word list path (`nerkit lexicon build`); null = jieba's dictionary (MSRA only).
// word_vectors: word2vec word vectors (`nerkit pretrain word2vec --unit word`); null = learned.
local data = import 'data.libsonnet';
local softlexicon = import 'softlexicon.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, lexicon=null, vectors=null, word_vectors=null, embedding_dim=100,
         word_dim=50, gazetteer=false, word_trainable=false, hidden_dim=128,
         tag_scheme='BIOES', num_epochs=20, batch_size=32, lr=0.001)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      embedder: softlexicon.embedder(softlexicon.lexicon(dataset, lexicon), vectors,
                                     embedding_dim, word_vectors, word_dim, gazetteer,
                                     word_trainable),
      encoder: { type: 'lstm', hidden_dim: hidden_dim, bidirectional: true },
      decoder: { type: 'crf' },
      dropout: 0.5,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs),
  }
