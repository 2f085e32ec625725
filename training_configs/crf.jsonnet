// Linear-chain CRF baseline: character unigram/bigram window features (within +-2) -> CRF.
// The classical feature-based CRF, expressed as an embedding bag of hashed window features.
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, feature_dim=64, tag_scheme='BIOES', num_epochs=10, batch_size=32)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      // sparse gradients: a step touches only the features present in the batch
      embedder: { type: 'window_features', embedding_dim: feature_dim, sparse: true },
      decoder: { type: 'crf' },
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(num_epochs=num_epochs, patience=3, grad_norm=null) + {
      optimizer: { type: 'adagrad', lr: 0.1 },
    },
  }
