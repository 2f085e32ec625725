// BiLSTM-CRF baseline: character embeddings (random or word2vec) -> BiLSTM -> CRF.
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, vectors=null, embedding_dim=100, hidden_dim=128, tag_scheme='BIOES',
         num_epochs=20, batch_size=32)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      embedder: { type: 'embedding', embedding_dim: embedding_dim, pretrained_file: vectors },
      encoder: { type: 'lstm', hidden_dim: hidden_dim, bidirectional: true },
      decoder: { type: 'crf' },
      dropout: 0.5,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(num_epochs=num_epochs),
  }
