// The usual input of Chinese character taggers: a character embedding, optionally concatenated
// with a character-bigram embedding (c[i] c[i+1]). Vectors come from `nerkit pretrain word2vec`
// (--unit char / --unit bigram); null = randomly initialised. The bigram table is frozen by
// default: it is large (a few hundred thousand rows), and a dense optimizer updating all of it
// every step would make training several times slower.
{
  embedder(vectors=null, embedding_dim=100, bigram_vectors=null, bigram_dim=50, bigrams=true,
           bigram_trainable=false)::
    local chars = { type: 'embedding', embedding_dim: embedding_dim, pretrained_file: vectors };
    if bigrams then {
      type: 'concat',
      embedders: [
        chars,
        { type: 'bigram', embedding_dim: bigram_dim, pretrained_file: bigram_vectors,
          trainable: bigram_trainable },
      ],
    } else chars,
}
