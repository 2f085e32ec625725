// BiLSTM-CRF baseline: character (+ bigram) embeddings -> BiLSTM -> CRF.
// The CPU recipe: word2vec character and bigram vectors (`nerkit pretrain word2vec`, --unit char
// and --unit bigram), Adam at 0.003 with lr / (1 + 0.05 * epoch), dropout 0.5, 60 minutes.
// bigram_projection: the frozen bigram vectors pass through a learned 50 x 50 map (null: used
// as they are): +0.95 F1 on MSRA dev and +0.20 on People's Daily over three seeds (README).
// max_tokens: a batch of very long sentences is cut to at most this many padded characters
// (sentences x the longest), so it does not set the peak memory (null: whole batches).
local inputs = import 'char_inputs.libsonnet';
local data = import 'data.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, vectors=null, embedding_dim=100, bigram_vectors=null, bigram_dim=50,
         bigrams=null, bigram_projection=50, hidden_dim=128, tag_scheme='BIOES', num_epochs=100,
         batch_size=32, lr=0.003, decay=0.05, dropout=0.5, patience=10, max_minutes=60, max_tokens=4096)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme, pretrained_file: vectors },
    model: {
      type: 'tagger',
      embedder: inputs.embedder(vectors, embedding_dim, bigram_vectors, bigram_dim, bigrams,
                                bigram_projection=bigram_projection),
      encoder: { type: 'lstm', hidden_dim: hidden_dim, bidirectional: true },
      decoder: { type: 'crf' },
      dropout: dropout,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket', max_tokens: max_tokens },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs, patience=patience,
                              max_minutes=max_minutes, decay=decay),
  }
