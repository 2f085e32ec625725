"""The ELMo bidirectional language model: character CNN, highway, projection, biLSTM layers.

One implementation serves the ``elmo`` token embedder and ``nerkit pretrain elmo``. The sizes
come from an AllenNLP/bilm-tf ``options.json`` dict::

    {"char_cnn": {"embedding": {"dim": 16}, "filters": [[1, 32], [2, 32]], "n_highway": 2,
                  "n_characters": 262, "max_characters_per_token": 50, "activation": "relu"},
     "lstm": {"dim": 4096, "projection_dim": 512, "n_layers": 2, "cell_clip": 3,
              "proj_clip": 3, "use_skip_connections": true}}

Gates are kept in TensorFlow's order (input, new input ``j``, forget, output) and the forget gate
gets TensorFlow's constant +1 bias, so bilm-tf weights are used exactly as stored.
"""

from __future__ import annotations

from typing import Any

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.elmo_characters import NUM_BYTE_IDS

FORGET_BIAS = 1.0

_REQUIRED = {
    "char_cnn": ("embedding", "filters", "n_highway", "n_characters", "max_characters_per_token"),
    "lstm": ("dim", "projection_dim", "n_layers"),
}


def check_options(options: dict[str, Any]) -> dict[str, Any]:
    """Return ``options`` after checking the keys the biLM needs; raise ConfigurationError."""
    for section, keys in _REQUIRED.items():
        block = options.get(section)
        if not isinstance(block, dict):
            raise ConfigurationError(f"ELMo options lack the {section!r} section")
        missing = [key for key in keys if key not in block]
        if missing:
            raise ConfigurationError(f"ELMo options {section!r} lack {', '.join(missing)}")
    activation = options["char_cnn"].get("activation", "relu")
    if activation not in ("relu", "tanh"):
        raise ConfigurationError(
            f"ELMo char_cnn activation must be relu or tanh, not {activation!r}"
        )
    return options


class Highway(torch.nn.Module):
    """``g * relu(x W_t + b_t) + (1 - g) * x`` with carry gate ``g = sigmoid(x W_c + b_c)``."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.transform = torch.nn.Linear(dim, dim)
        self.carry = torch.nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = torch.sigmoid(self.carry(x))
        return gate * torch.relu(self.transform(x)) + (1 - gate) * x


class CharacterEncoder(torch.nn.Module):
    """Token vectors from character ids: embed, convolve, max-pool, highway, project."""

    def __init__(self, char_cnn: dict[str, Any], output_dim: int) -> None:
        super().__init__()
        embed_dim = char_cnn["embedding"]["dim"]
        self.char_embedding = torch.nn.Embedding(NUM_BYTE_IDS + 1, embed_dim, padding_idx=0)
        self.convolutions = torch.nn.ModuleList(
            torch.nn.Conv1d(embed_dim, num, kernel_size=width) for width, num in char_cnn["filters"]
        )
        n_filters = sum(num for _, num in char_cnn["filters"])
        self.highways = torch.nn.ModuleList(
            Highway(n_filters) for _ in range(char_cnn["n_highway"])
        )
        self.projection = torch.nn.Linear(n_filters, output_dim)
        self.activation = torch.tanh if char_cnn.get("activation") == "tanh" else torch.relu

    def forward(self, char_ids: torch.Tensor) -> torch.Tensor:
        """``(batch, seq_len, max_chars)`` ids -> ``(batch, seq_len, output_dim)``."""
        batch, seq_len, width = char_ids.shape
        chars = self.char_embedding(char_ids.view(-1, width)).transpose(1, 2)
        pooled = [self.activation(conv(chars).max(dim=-1).values) for conv in self.convolutions]
        tokens = torch.cat(pooled, dim=-1)
        for highway in self.highways:
            tokens = highway(tokens)
        return self.projection(tokens).view(batch, seq_len, -1)


class ProjectedLstm(torch.nn.Module):
    """One direction of one layer: an LSTM whose state is projected (and clipped) each step.

    Args:
        input_dim: Input size.
        cell_dim: Memory cell size.
        projection_dim: Size of the projected hidden state (the output).
        cell_clip: Clip the memory cell to ``[-cell_clip, cell_clip]`` (None: no clipping).
        proj_clip: Clip the projected state likewise.
    """

    def __init__(
        self,
        input_dim: int,
        cell_dim: int,
        projection_dim: int,
        cell_clip: float | None = None,
        proj_clip: float | None = None,
    ) -> None:
        super().__init__()
        self.cell_dim = cell_dim
        self.projection_dim = projection_dim
        self.cell_clip = cell_clip
        self.proj_clip = proj_clip
        self.input_linear = torch.nn.Linear(input_dim, 4 * cell_dim, bias=False)
        self.state_linear = torch.nn.Linear(projection_dim, 4 * cell_dim)
        self.projection = torch.nn.Linear(cell_dim, projection_dim, bias=False)

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Run left to right over ``(batch, seq_len, input_dim)``; real tokens come first."""
        batch = inputs.size(0)
        state = inputs.new_zeros((batch, self.projection_dim))
        cell = inputs.new_zeros((batch, self.cell_dim))
        outputs = []
        # unbind once: per-step indexing makes backward fill a full-size zero tensor each step
        for projected in self.input_linear(inputs).unbind(dim=1):
            i, j, f, o = (projected + self.state_linear(state)).chunk(4, dim=-1)
            cell = torch.sigmoid(i) * torch.tanh(j) + torch.sigmoid(f + FORGET_BIAS) * cell
            if self.cell_clip:
                cell = cell.clamp(-self.cell_clip, self.cell_clip)
            state = self.projection(torch.sigmoid(o) * torch.tanh(cell))
            if self.proj_clip:
                state = state.clamp(-self.proj_clip, self.proj_clip)
            outputs.append(state)
        return torch.stack(outputs, dim=1) * mask.unsqueeze(-1)


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each row's first ``lengths[row]`` steps of ``(batch, seq_len, dim)``; pads stay."""
    steps = torch.arange(x.size(1), device=x.device).unsqueeze(0)
    index = torch.where(steps < lengths.unsqueeze(1), lengths.unsqueeze(1) - 1 - steps, steps)
    return x.gather(1, index.unsqueeze(-1).expand_as(x))


class ElmoBiLm(torch.nn.Module):
    """Character encoder plus forward and backward stacks of projected LSTMs.

    Args:
        options: An ``options.json`` dict (see the module docstring).
        dropout: Dropout on each LSTM layer's input while training (pretraining uses it).

    ``forward`` returns ``1 + n_layers`` tensors of ``(batch, seq_len, 2 * projection_dim)``:
    the token layer (its vector twice) and each layer's ``[forward; backward]`` states.
    """

    def __init__(self, options: dict[str, Any], dropout: float = 0.0) -> None:
        super().__init__()
        self.options = check_options(options)
        lstm = options["lstm"]
        self.projection_dim = lstm["projection_dim"]
        self.max_characters_per_token = options["char_cnn"]["max_characters_per_token"]
        self.use_skip_connections = lstm.get("use_skip_connections", True)
        self.character_encoder = CharacterEncoder(options["char_cnn"], self.projection_dim)

        def stack() -> torch.nn.ModuleList:
            return torch.nn.ModuleList(
                ProjectedLstm(self.projection_dim, lstm["dim"], self.projection_dim,
                              lstm.get("cell_clip"), lstm.get("proj_clip"))
                for _ in range(lstm["n_layers"])
            )

        self.forward_layers = stack()
        self.backward_layers = stack()
        self.dropout = torch.nn.Dropout(dropout)

    @property
    def num_layers(self) -> int:
        return 1 + len(self.forward_layers)

    def forward(self, char_ids: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
        """``char_ids`` ``(batch, seq_len, max_chars)`` with sentence boundaries; bool ``mask``."""
        tokens = self.character_encoder(char_ids) * mask.unsqueeze(-1)
        lengths = mask.long().sum(dim=1)
        layers = [torch.cat([tokens, tokens], dim=-1)]
        forward_x, backward_x = tokens, reverse_padded(tokens, lengths)
        for index, (fwd, bwd) in enumerate(zip(self.forward_layers, self.backward_layers)):
            forward_out = fwd(self.dropout(forward_x), mask)
            backward_out = bwd(self.dropout(backward_x), mask)
            if index > 0 and self.use_skip_connections:
                forward_out, backward_out = forward_out + forward_x, backward_out + backward_x
            layers.append(torch.cat([forward_out, reverse_padded(backward_out, lengths)], dim=-1))
            forward_x, backward_x = forward_out, backward_out
        return layers
