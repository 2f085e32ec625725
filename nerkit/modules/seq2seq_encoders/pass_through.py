"""``pass_through``: returns its input, zeroed at padding; the 'no encoder' choice made explicit."""

from __future__ import annotations

import torch

from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder


@Seq2SeqEncoder.register("pass_through")
class PassThroughSeq2SeqEncoder(Seq2SeqEncoder):
    """Identity encoder.

    Args:
        input_dim: Flows from the embedder when left out.

    Registered as `seq2seq_encoders: pass_through`.
    """

    def __init__(self, input_dim: int) -> None:
        super().__init__()
        self.input_dim = input_dim

    def get_input_dim(self) -> int:
        return self.input_dim

    def get_output_dim(self) -> int:
        return self.input_dim

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return inputs * mask.unsqueeze(-1).to(inputs.dtype)
