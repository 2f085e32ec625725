// Lexicon-enhanced character inputs (SoftLexicon, Ma et al. 2020): the character (+ bigram)
// embeddings of char_inputs.libsonnet concatenated with each character's pooled B/M/E/S
// lexicon word sets, and optionally gazetteer features from the lexicon's nr/ns/nt tags.
local inputs = import 'char_inputs.libsonnet';

{
  // lexicon: a word list path (`nerkit lexicon build`), or null for jieba's dictionary, which
  // is allowed on MSRA only: People's Daily results must use a lexicon built from its training
  // portion (jieba's dictionary was built partly from People's Daily text).
  // folds: cross-fold matching of training sentences (a lexicon counted from the training data
  // holds every training entity; see the `cross_fold` option of lexicons); null = 10 for a word
  // list on People's Daily (built from its training portion), 0 (off) otherwise.
  lexicon(dataset, path, folds=null)::
    assert path != null || dataset != 'pd1998' :
      'pd1998 needs lexicon=<word list built from 199801-train.txt> (leakage rule: no jieba)';
    local cross_fold = if folds != null then folds else if dataset == 'pd1998' then 10 else 0;
    (if path == null then { type: 'jieba_dictionary' } else { type: 'word_list', path: path })
    + (if cross_fold > 0 then { cross_fold: cross_fold } else {}),

  // chars: a char_inputs embedder block. word_trainable: fine-tune the word table (a dense Adam
  // update of every lexicon word each step; several times slower on CPU, see the softlexicon
  // embedder's docstring). word_projection: map the 4 x word_dim pooled sets to this many
  // values (null: none, the paper's). gazetteer_lexicon: an outside gazetteer (a word list from
  // `nerkit lexicon build --source entities` on another corpus) whose gazetteer_tags (its entity
  // types) become lexicon_features too; matched whole, never cross-fold.
  embedder(chars, lexicon, word_vectors=null, word_dim=50, gazetteer=false, word_trainable=false,
           word_projection=null, gazetteer_lexicon=null, gazetteer_tags=['PER', 'LOC', 'ORG'])::
    {
      type: 'concat',
      embedders: (if chars.type == 'concat' then chars.embedders else [chars]) + [
        { type: 'softlexicon', lexicon: lexicon, embedding_dim: word_dim,
          pretrained_file: word_vectors, trainable: word_trainable }
        + (if word_projection != null then { projection_dim: word_projection } else {}),
      ] + (if gazetteer then [{ type: 'lexicon_features', lexicon: lexicon }] else [])
      + (if gazetteer_lexicon == null then [] else [{
           type: 'lexicon_features',
           lexicon: { type: 'word_list', path: gazetteer_lexicon },
           tags: gazetteer_tags,
         }]),
    },
}
