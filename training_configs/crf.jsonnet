// Linear-chain CRF baseline: character unigram/bigram window features (within +-2) -> CRF.
// The classical feature-based CRF, expressed as an embedding bag of hashed window features.
// optimizer: 'adagrad' (sparse mini-batch updates, early stopping on dev; the default) or
// 'lbfgs' (crfsuite's recipe: full-batch L-BFGS on the L2-penalised likelihood, l2 = its c2;
// exact but slow in torch at full MSRA size, see README).
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, feature_dim=64, num_buckets=262144, feature_dropout=0.0,
         tag_scheme='BIOES', num_epochs=10, batch_size=32, optimizer='adagrad', l2=0.1)
  local lbfgs = optimizer == 'lbfgs';
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      // sparse gradients: a step touches only the features present in the batch
      embedder: {
        type: 'window_features',
        embedding_dim: feature_dim,
        num_buckets: num_buckets,
        sparse: true,
        feature_dropout: feature_dropout,
      },
      decoder: { type: 'crf' },
    },
    data_loader: { batch_size: if lbfgs then 1000 else batch_size, sorting: 'bucket' },
    trainer: training.trainer(num_epochs=num_epochs, patience=3, grad_norm=null) + {
      optimizer: if lbfgs then { type: 'lbfgs', l2: l2 } else { type: 'adagrad', lr: 0.1 },
    },
  }
