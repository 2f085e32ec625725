// `make quickstart`: the BiLSTM-CRF baseline on the sample corpus shipped inside nerkit
// (1,000 MSRA training sentences, 225 for validation). About a minute on 2 idle cores.
local bilstm_crf = import 'bilstm_crf.jsonnet';

function(sample_dir='nerkit/resources/sample', num_epochs=15)
  bilstm_crf(
    train_path=sample_dir + '/train.bio',
    validation_path=sample_dir + '/dev.bio',
    embedding_dim=64,
    hidden_dim=64,
    num_epochs=num_epochs,
    batch_size=16,
    bigrams=false,  // random bigram vectors do not pay on 1,000 sentences
    decay=null,
    max_minutes=null,
  ) + { trainer+: { patience: null, optimizer+: { lr: 0.005 } } }
