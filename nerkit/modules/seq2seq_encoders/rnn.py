"""``lstm`` and ``gru``: torch recurrent layers over packed sequences (padding never leaks)."""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder


class _RnnSeq2SeqEncoder(Seq2SeqEncoder):
    """Shared wrapper: packs by length, runs the RNN, unpacks to the input's length."""

    rnn_class: type[torch.nn.RNNBase]

    def __init__(
        self,
        input_dim: int,
        hidden_dim: int,
        num_layers: int = 1,
        bidirectional: bool = True,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if hidden_dim <= 0 or num_layers <= 0:
            raise ValueError("hidden_dim and num_layers must be positive")
        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.bidirectional = bidirectional
        self.rnn = self.rnn_class(
            input_dim, hidden_dim, num_layers=num_layers, bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0, batch_first=True,
        )

    def get_input_dim(self) -> int:
        return self.input_dim

    def get_output_dim(self) -> int:
        return self.hidden_dim * (2 if self.bidirectional else 1)

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        lengths = mask.sum(dim=1).clamp(min=1).cpu()
        packed = pack_padded_sequence(inputs, lengths, batch_first=True, enforce_sorted=False)
        output, _ = self.rnn(packed)
        unpacked, _ = pad_packed_sequence(output, batch_first=True, total_length=inputs.size(1))
        return unpacked  # (batch, seq_len, output_dim)


@Seq2SeqEncoder.register("lstm")
class LstmSeq2SeqEncoder(_RnnSeq2SeqEncoder):
    """A (by default bidirectional) LSTM.

    Args:
        input_dim: Input vector size; flows from the embedder when left out.
        hidden_dim: Hidden size per direction.
        num_layers: Stacked layers.
        bidirectional: Run a backward LSTM too and concatenate.
        dropout: Dropout between stacked layers.

    Registered as `seq2seq_encoders: lstm`.
    """

    rnn_class = torch.nn.LSTM


@Seq2SeqEncoder.register("gru")
class GruSeq2SeqEncoder(_RnnSeq2SeqEncoder):
    """A (by default bidirectional) GRU; arguments as for ``lstm``.

    Registered as `seq2seq_encoders: gru`.
    """

    rnn_class = torch.nn.GRU
