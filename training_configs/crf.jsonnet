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
      embedder: { type: 'window_features', embedding_dim: feature_dim },
      decoder: { type: 'crf' },
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=0.01, num_epochs=num_epochs, patience=3),
  }
