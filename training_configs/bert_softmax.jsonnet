// BERT -> softmax: the standard fine-tuning baseline users expect.
local bert_blocks = import 'bert.libsonnet';
local data = import 'data.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, bert='bert-base-chinese', fine_tune=true, bert_lr=2e-5, num_epochs=10,
         patience=3, batch_size=32, tag_scheme='BIO')
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: tag_scheme },
    model: {
      type: 'tagger',
      embedder: bert_blocks.embedder(bert, fine_tune),
      decoder: { type: 'softmax' },
      dropout: 0.1,
    },
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: bert_blocks.trainer(num_epochs, patience, fine_tune, bert_lr),
  }
