// The paper's system: BERT character vectors -> BiLSTM (1 x 128 per direction) -> attention
// -> LSTM decoder fed the previous label -> softmax; BIEO tags, lr 0.001, 50 epochs.
// max_minutes: a time budget (e.g. 60 for the embedder ablation at equal budget); null = epochs.
local bert_blocks = import 'bert.libsonnet';
local data = import 'data.libsonnet';
local seq2seq = import 'seq2seq_att.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, bert='bert-base-chinese', fine_tune=true, bert_lr=2e-5, num_epochs=50,
         patience=10, batch_size=32, beam_size=4, aligned_input=true, attention='bilinear',
         lr=0.001, decay=null, max_minutes=null)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: 'BIEO' },
    model: seq2seq.model(bert_blocks.embedder(bert, fine_tune), attention=attention,
                         beam_size=beam_size, aligned_input=aligned_input),
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: bert_blocks.trainer(num_epochs, patience, fine_tune, bert_lr, lr, max_minutes, decay),
  }
