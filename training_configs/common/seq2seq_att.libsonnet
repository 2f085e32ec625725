// The paper's model around any embedder: embedder -> BiLSTM (1 layer x 128 per direction)
// -> attention -> LSTM decoder fed the previous label -> softmax, BIEO tags (DESIGN §5).
// beam_size: the archive's search (4 was best on both dev sets, README); validation_beam_size:
// the search that selects epochs while training (greedy: cheaper validation, more epochs).
{
  model(embedder, hidden_dim=128, attention='bilinear', beam_size=4, validation_beam_size=1,
        aligned_input=true, scheduled_sampling=0.0, dropout=0.5):: {
    type: 'tagger',
    embedder: embedder,
    encoder: { type: 'lstm', hidden_dim: hidden_dim, num_layers: 1, bidirectional: true },
    decoder: {
      type: 'attention_lstm',
      hidden_dim: hidden_dim,
      attention: attention,
      aligned_input: aligned_input,
      beam_size: beam_size,
      validation_beam_size: validation_beam_size,
      scheduled_sampling: scheduled_sampling,
      constrain: true,
    },
    dropout: dropout,
  },
}
