"""``cnn``: stacked 1-D convolutions over characters; same length out, padding zeroed in between."""

from __future__ import annotations

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder

ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "gelu": torch.nn.GELU}


@Seq2SeqEncoder.register("cnn")
class CnnSeq2SeqEncoder(Seq2SeqEncoder):
    """A stack of same-length convolutions; each layer sees ``kernel_size`` neighbouring positions.

    Padded positions are zeroed before every layer, so a padded batch gives the same outputs at
    real positions as each sentence alone (zero padding at the sentence edges either way).

    Args:
        input_dim: Input vector size; flows from the embedder when left out.
        hidden_dim: Filters per layer, and the output size.
        kernel_size: Window of each convolution (odd sizes centre on the position).
        num_layers: Stacked convolutions; the receptive field is
            ``num_layers * (kernel_size - 1) + 1`` positions.
        activation: ``relu``, ``tanh`` or ``gelu`` after every layer.
        dropout: Dropout between layers.
        residual: Add each layer's input to its output (from the second layer on).

    Registered as `seq2seq_encoders: cnn`.
    """

    def __init__(
        self,
        input_dim: int,
        hidden_dim: int,
        kernel_size: int = 3,
        num_layers: int = 1,
        activation: str = "relu",
        dropout: float = 0.0,
        residual: bool = False,
    ) -> None:
        super().__init__()
        if min(hidden_dim, kernel_size, num_layers) <= 0:
            raise ConfigurationError("hidden_dim, kernel_size and num_layers must be positive")
        if activation not in ACTIVATIONS:
            raise ConfigurationError(
                f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}"
            )
        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.residual = residual
        self.convolutions = torch.nn.ModuleList(
            torch.nn.Conv1d(
                input_dim if i == 0 else hidden_dim, hidden_dim, kernel_size, padding="same"
            )
            for i in range(num_layers)
        )
        self.activation = ACTIVATIONS[activation]()
        self.dropout = torch.nn.Dropout(dropout)

    def get_input_dim(self) -> int:
        return self.input_dim

    def get_output_dim(self) -> int:
        return self.hidden_dim

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        keep = mask.unsqueeze(1).to(inputs.dtype)  # (batch, 1, seq_len)
        hidden = inputs.transpose(1, 2) * keep
        for index, convolution in enumerate(self.convolutions):
            if index > 0:
                hidden = self.dropout(hidden)
            output = self.activation(convolution(hidden))
            hidden = (output + hidden if self.residual and index > 0 else output) * keep
        return hidden.transpose(1, 2)
