// Paper ablation: ELMo character vectors -> BiLSTM -> attention LSTM decoder.
// elmo_options / elmo_weights: AllenNLP-format options.json + weights.hdf5
// (e.g. from `nerkit pretrain elmo`).
// max_minutes: a time budget (e.g. 60 for the embedder ablation at equal budget); null = epochs.
local data = import 'data.libsonnet';
local seq2seq = import 'seq2seq_att.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, elmo_options='runs/pretrained/elmo/options.json',
         elmo_weights='runs/pretrained/elmo/weights.hdf5', fine_tune=false, num_epochs=50,
         batch_size=32, beam_size=4, aligned_input=true, lr=0.001, decay=null, patience=10,
         max_minutes=null)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: 'BIEO' },
    model: seq2seq.model(
      {
        type: 'elmo',
        options_file: elmo_options,
        weight_file: elmo_weights,
        trainable: fine_tune,
        dropout: 0.5,
      },
      beam_size=beam_size, aligned_input=aligned_input,
    ),
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs, patience=patience,
                              max_minutes=max_minutes, decay=decay),
  }
