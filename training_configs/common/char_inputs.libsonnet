// The usual input of Chinese character taggers: a character embedding, optionally concatenated
// with a character-bigram embedding (c[i] c[i+1]). Vectors come from `nerkit pretrain word2vec`
// (--unit char / --unit bigram); null = randomly initialised.
{
  embedder(vectors=null, embedding_dim=100, bigram_vectors=null, bigram_dim=50, bigrams=true)::
    local chars = { type: 'embedding', embedding_dim: embedding_dim, pretrained_file: vectors };
    if bigrams then {
      type: 'concat',
      embedders: [
        chars,
        { type: 'bigram', embedding_dim: bigram_dim, pretrained_file: bigram_vectors },
      ],
    } else chars,
}
