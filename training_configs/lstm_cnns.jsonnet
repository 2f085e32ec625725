// LSTM-CNNs baseline (Chiu & Nichols style, on characters): character embeddings plus
// convolutional features of neighbouring characters (+ bigram embeddings) -> BiLSTM -> CRF.
// Same CPU recipe as bilstm_crf (word2vec vectors, Adam 0.003 with decay, 60 minutes).
local inputs = import 'char_inputs.libsonnet';
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, vectors=null, embedding_dim=100, num_filters=50, bigram_vectors=null,
         bigram_dim=50, bigrams=null, bigram_projection=null, hidden_dim=128, tag_scheme='BIOES',
         num_epochs=100, batch_size=32, lr=0.003, decay=0.05, dropout=0.5, patience=10,
         max_minutes=60)
  local cnn = {
    type: 'char_cnn',
    embedding_dim: embedding_dim,
    num_filters: num_filters,
    kernel_sizes: [3],
    pretrained_file: vectors,
  };
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme, pretrained_file: vectors },
    model: {
      type: 'tagger',
      embedder: if inputs.use_bigrams(bigrams, bigram_vectors) then {
        type: 'concat',
        embedders: [cnn, inputs.projected(inputs.bigram(bigram_vectors, bigram_dim),
                                          bigram_projection)],
      } else cnn,
      encoder: { type: 'lstm', hidden_dim: hidden_dim, bidirectional: true },
      decoder: { type: 'crf' },
      dropout: dropout,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs, patience=patience,
                              max_minutes=max_minutes, decay=decay),
  }
