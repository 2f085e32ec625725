"""``transformer``: a stack of self-attention layers (torch's TransformerEncoder) with positions."""

from __future__ import annotations

import math

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder

POSITIONAL_ENCODINGS = ("sinusoidal", "learned", "none")


@Seq2SeqEncoder.register("transformer")
class TransformerSeq2SeqEncoder(Seq2SeqEncoder):
    """Self-attention encoder; padded positions are excluded from attention and zeroed on output.

    Inputs are projected to ``hidden_dim`` when the sizes differ, then position vectors are added.

    Args:
        input_dim: Input vector size; flows from the embedder when left out.
        hidden_dim: Model size (and output size); default ``input_dim``. Divisible by ``num_heads``.
        num_layers: Stacked encoder layers.
        num_heads: Attention heads per layer.
        feedforward_dim: Inner size of each feed-forward block; default ``4 * hidden_dim``.
        dropout: Dropout inside each layer.
        positional_encoding: ``sinusoidal`` (fixed, any length), ``learned`` (up to
            ``max_length`` positions) or ``none``.
        max_length: Longest sequence for ``learned`` positions.
        activation: ``relu`` or ``gelu`` in the feed-forward blocks.
        norm_first: Layer norm before (pre-LN) instead of after each sub-layer.

    Registered as `seq2seq_encoders: transformer`.
    """

    def __init__(
        self,
        input_dim: int,
        hidden_dim: int | None = None,
        num_layers: int = 2,
        num_heads: int = 4,
        feedforward_dim: int | None = None,
        dropout: float = 0.1,
        positional_encoding: str = "sinusoidal",
        max_length: int = 512,
        activation: str = "relu",
        norm_first: bool = False,
    ) -> None:
        super().__init__()
        hidden_dim = input_dim if hidden_dim is None else hidden_dim
        _check_options(hidden_dim, num_heads, num_layers, positional_encoding, activation)
        self.input_dim = input_dim
        self.hidden_dim = hidden_dim
        self.positional_encoding = positional_encoding
        self.max_length = max_length
        self.projection = (
            torch.nn.Linear(input_dim, hidden_dim) if input_dim != hidden_dim else None
        )
        self.positions = (
            torch.nn.Embedding(max_length, hidden_dim) if positional_encoding == "learned" else None
        )
        layer = torch.nn.TransformerEncoderLayer(
            hidden_dim, num_heads, feedforward_dim or 4 * hidden_dim, dropout,
            activation=activation, batch_first=True, norm_first=norm_first,
        )
        self.layers = torch.nn.TransformerEncoder(
            layer, num_layers, enable_nested_tensor=False
        )

    def get_input_dim(self) -> int:
        return self.input_dim

    def get_output_dim(self) -> int:
        return self.hidden_dim

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.projection(inputs) if self.projection is not None else inputs
        hidden = hidden + self._position_vectors(inputs.size(1), hidden)
        padding = ~mask
        # an empty sentence would attend to nothing (NaN): let it see position 0, then zero it
        padding[:, 0] = padding[:, 0] & mask.any(dim=1)
        output = self.layers(hidden, src_key_padding_mask=padding)
        return output * mask.unsqueeze(-1).to(output.dtype)

    def _position_vectors(self, length: int, like: torch.Tensor) -> torch.Tensor | float:
        if self.positional_encoding == "none":
            return 0.0
        if self.positions is None:
            return sinusoidal_positions(length, self.hidden_dim).to(like)
        if length > self.max_length:
            raise ConfigurationError(
                f"a sequence of {length} is longer than max_length {self.max_length} of the "
                "learned positions; raise max_length or use sinusoidal positions"
            )
        return self.positions.weight[:length]


def sinusoidal_positions(length: int, dim: int) -> torch.Tensor:
    """(length, dim) fixed encodings: sin on even, cos on odd features (Vaswani et al., 2017)."""
    position = torch.arange(length, dtype=torch.float).unsqueeze(1)
    frequency = torch.exp(torch.arange(0, dim, 2, dtype=torch.float) * (-math.log(10000.0) / dim))
    encodings = torch.zeros(length, dim)
    encodings[:, 0::2] = torch.sin(position * frequency)
    encodings[:, 1::2] = torch.cos(position * frequency[: dim // 2])
    return encodings


def _check_options(
    hidden_dim: int, num_heads: int, num_layers: int, positional_encoding: str, activation: str
) -> None:
    if min(hidden_dim, num_heads, num_layers) <= 0:
        raise ConfigurationError("hidden_dim, num_heads and num_layers must be positive")
    if hidden_dim % num_heads:
        raise ConfigurationError(
            f"hidden_dim {hidden_dim} is not divisible by num_heads {num_heads}"
        )
    if positional_encoding not in POSITIONAL_ENCODINGS:
        raise ConfigurationError(
            f"positional_encoding must be one of {', '.join(POSITIONAL_ENCODINGS)}, "
            f"got {positional_encoding!r}"
        )
    if activation not in ("relu", "gelu"):
        raise ConfigurationError(f"activation must be relu or gelu, got {activation!r}")
