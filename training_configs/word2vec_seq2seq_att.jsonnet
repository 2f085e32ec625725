// Paper ablation: Word2vec character vectors -> BiLSTM -> attention LSTM decoder.
// vectors: a word2vec text or binary file (e.g. from `nerkit pretrain word2vec`); null = random.
local data = import 'data.libsonnet';
local seq2seq = import 'seq2seq_att.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, vectors=null, embedding_dim=100, num_epochs=50, batch_size=32,
         beam_size=1, aligned_input=true)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: 'BIEO', pretrained_file: vectors },
    model: seq2seq.model(
      { type: 'embedding', embedding_dim: embedding_dim, pretrained_file: vectors },
      beam_size=beam_size, aligned_input=aligned_input,
    ),
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=0.001, num_epochs=num_epochs, patience=10),
  }
