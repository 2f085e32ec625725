// LSTM-CNNs baseline (Chiu & Nichols style, on characters): character embeddings plus
// convolutional features of neighbouring characters -> BiLSTM -> CRF.
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, vectors=null, embedding_dim=100, num_filters=50, hidden_dim=128,
         tag_scheme='BIOES', num_epochs=20, batch_size=32)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      embedder: {
        type: 'char_cnn',
        embedding_dim: embedding_dim,
        num_filters: num_filters,
        kernel_sizes: [3],
        pretrained_file: vectors,
      },
      encoder: { type: 'lstm', hidden_dim: hidden_dim, bidirectional: true },
      decoder: { type: 'crf' },
      dropout: 0.5,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(num_epochs=num_epochs),
  }
