// The usual input of Chinese character taggers: a character embedding, optionally concatenated
// with a character-bigram embedding (c[i] c[i+1]). Vectors come from `nerkit pretrain word2vec`
// (--unit char / --unit bigram); null = randomly initialised. The bigram table is frozen by
// default: it is large (a few hundred thousand rows), and a dense optimizer updating all of it
// every step would make training several times slower.
{
  // bigrams: true / false, or null = on exactly when bigram vectors are given (a frozen table of
  // random bigram vectors adds noise, not knowledge).
  use_bigrams(bigrams, bigram_vectors):: if bigrams == null then bigram_vectors != null else bigrams,

  bigram(bigram_vectors=null, bigram_dim=50, trainable=false):: {
    type: 'bigram', embedding_dim: bigram_dim, pretrained_file: bigram_vectors, trainable: trainable,
  },

  // bigram_projection: map the (frozen) bigram vectors through a learned linear layer to this
  // many values, a cheap way to adapt them to the task; null = used as they are.
  projected(embedder, size):: if size == null then embedder
    else { type: 'projected', embedder: embedder, projection_dim: size },

  embedder(vectors=null, embedding_dim=100, bigram_vectors=null, bigram_dim=50, bigrams=null,
           bigram_trainable=false, bigram_projection=null)::
    local chars = { type: 'embedding', embedding_dim: embedding_dim, pretrained_file: vectors };
    if $.use_bigrams(bigrams, bigram_vectors) then {
      type: 'concat',
      embedders: [
        chars,
        $.projected($.bigram(bigram_vectors, bigram_dim, bigram_trainable), bigram_projection),
      ],
    } else chars,
}
