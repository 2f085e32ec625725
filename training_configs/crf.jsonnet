// Linear-chain CRF baseline: character unigram/bigram window features (within +-2) -> CRF.
// The classical feature-based CRF (crfsuite's model): one weight per (training feature, label)
// plus label transitions, no hidden layer.
// optimizer: 'adagrad' (sparse mini-batch updates, early stopping on dev; the default, ahead
// of crfsuite's L-BFGS on dev in a fraction of its time, see README) or 'lbfgs' (crfsuite's
// recipe: full-batch L-BFGS on the L2-penalised likelihood). l2 is crfsuite's c2 in both: the
// objective is the summed loss plus l2 * ||W||^2 (with adagrad applied lazily, batch by batch).
// num_buckets: null gives every training feature its own row; a number hashes features into
// that many rows (smaller archives, some collisions). feature_dim: null scores labels directly;
// a number factors the weights through a feature_dim-wide layer and a projection.
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, feature_dim=null, num_buckets=null, feature_dropout=0.0,
         tag_scheme='BIOES', num_epochs=8, batch_size=32, optimizer='adagrad', lr=0.1, l2=0.1)
  local lbfgs = optimizer == 'lbfgs';
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      embedder: {
        type: 'window_features',
        embedding_dim: feature_dim,
        num_buckets: num_buckets,
        // sparse gradients for mini-batch updates: a step touches only the batch's features
        sparse: !lbfgs,
        feature_dropout: feature_dropout,
        l2: if lbfgs then 0.0 else l2,
      },
      decoder: { type: 'crf', projection: feature_dim != null },
    },
    data_loader: { batch_size: if lbfgs then 1000 else batch_size, sorting: 'bucket' },
    trainer: training.trainer(num_epochs=num_epochs, patience=3, grad_norm=null) + {
      optimizer: if lbfgs then { type: 'lbfgs', l2: l2 } else { type: 'adagrad', lr: lr },
    },
  }
