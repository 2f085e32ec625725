// Paper ablation: Word2vec character vectors (+ bigram vectors) -> BiLSTM -> attention LSTM
// decoder, trained with bilstm_crf's CPU recipe (Adam 0.003 with decay, dropout 0.5, 60
// minutes) so that the two heads compare at equal inputs and budget.
// vectors / bigram_vectors: word2vec files from `nerkit pretrain word2vec` (--unit char /
// --unit bigram); null = random. bigrams=false gives the paper's character-only input.
local inputs = import 'char_inputs.libsonnet';
local data = import 'data.libsonnet';
local seq2seq = import 'seq2seq_att.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, vectors=null, embedding_dim=100, bigram_vectors=null, bigram_dim=50,
         bigrams=null, bigram_projection=null, num_epochs=100, batch_size=32, beam_size=4,
         aligned_input=true, scheduled_sampling=0.0, lr=0.003, decay=0.05, patience=10,
         max_minutes=60)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: 'BIEO', pretrained_file: vectors },
    model: seq2seq.model(
      inputs.embedder(vectors, embedding_dim, bigram_vectors, bigram_dim, bigrams,
                      bigram_projection=bigram_projection),
      beam_size=beam_size, aligned_input=aligned_input, scheduled_sampling=scheduled_sampling,
    ),
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs, patience=patience,
                              max_minutes=max_minutes, decay=decay),
  }
