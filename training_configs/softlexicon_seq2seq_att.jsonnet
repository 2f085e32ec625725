// The paper's decoder on lexicon-enhanced inputs: character + bigram embeddings + SoftLexicon
// B/M/E/S word sets -> BiLSTM -> attention LSTM decoder fed the previous label, BIEO tags.
// lexicon: word list path (`nerkit lexicon build`); null = jieba's dictionary (MSRA only).
// lexicon_folds: cross-fold matching of training sentences; null = 10 on pd1998, else 0.
// word_vectors: word2vec word vectors (`nerkit pretrain word2vec --unit word`); null = random.
// word_projection: map the 4 x word_dim pooled word sets to this many values (null: none).
// Trained with word2vec_seq2seq_att's CPU recipe (Adam 0.003 with decay, 60 minutes), so the
// lexicon's effect on the paper's decoder is measured at equal budget.
// gazetteer_lexicon: an outside gazetteer (`nerkit lexicon build --source entities` on another
// corpus: no leak) as extra lexicon_features over its gazetteer_tags (entity types); null: none.
local inputs = import 'char_inputs.libsonnet';
local data = import 'data.libsonnet';
local seq2seq = import 'seq2seq_att.libsonnet';
local softlexicon = import 'softlexicon.libsonnet';
local training = import 'trainer.libsonnet';

function(dataset='msra', data_dir='../shared/data', train_path=null, validation_path=null,
         test_path=null, lexicon=null, lexicon_folds=null, vectors=null, embedding_dim=100,
         bigram_vectors=null, bigram_dim=50, bigrams=null, bigram_projection=null,
         word_vectors=null, word_dim=50, gazetteer=false, word_trainable=false,
         word_projection=null, gazetteer_lexicon=null, gazetteer_tags=['PER', 'LOC', 'ORG'],
         num_epochs=100, batch_size=32, beam_size=4, aligned_input=true,
         scheduled_sampling=0.0, lr=0.003, decay=0.05, patience=10, max_minutes=60)
  data.dataset(dataset, data_dir, train_path, validation_path, test_path) + {
    vocabulary: { tag_scheme: 'BIEO', pretrained_file: vectors },
    model: seq2seq.model(
      softlexicon.embedder(
        inputs.embedder(vectors, embedding_dim, bigram_vectors, bigram_dim, bigrams,
                        bigram_projection=bigram_projection),
        softlexicon.lexicon(dataset, lexicon, lexicon_folds), word_vectors, word_dim, gazetteer,
        word_trainable, word_projection, gazetteer_lexicon, gazetteer_tags,
      ),
      beam_size=beam_size, aligned_input=aligned_input, scheduled_sampling=scheduled_sampling,
    ),
    data_loader: { batch_size: batch_size, sorting: 'bucket' },
    trainer: training.trainer(lr=lr, num_epochs=num_epochs, patience=patience,
                              max_minutes=max_minutes, decay=decay),
  }
