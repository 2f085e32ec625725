"""``additive``: Bahdanau's score = v^T tanh(W q + U k)."""

from __future__ import annotations

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention.attention import Attention


@Attention.register("additive")
class AdditiveAttention(Attention):
    """Bahdanau (concat) attention, ``score(q, k) = v^T tanh(W q + U k)``.

    Args:
        query_dim: Query size; supplied by the parent component.
        key_dim: Key size; supplied by the parent component.
        hidden_dim: Size of the tanh layer; default ``key_dim``.

    Registered as `attentions: additive`.
    """

    def __init__(self, query_dim: int, key_dim: int, hidden_dim: int | None = None) -> None:
        super().__init__(query_dim, key_dim)
        hidden_dim = key_dim if hidden_dim is None else hidden_dim
        if hidden_dim <= 0:
            raise ConfigurationError(f"hidden_dim must be positive, got {hidden_dim}")
        self.query_projection = torch.nn.Linear(query_dim, hidden_dim, bias=False)
        self.key_projection = torch.nn.Linear(key_dim, hidden_dim, bias=False)
        self.vector = torch.nn.Linear(hidden_dim, 1, bias=False)

    def scores(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return self.prepared_scores(query, self.prepare_keys(keys))

    def prepare_keys(self, keys: torch.Tensor) -> torch.Tensor:
        return self.key_projection(keys)  # U k, (batch, seq_len, hidden_dim)

    def prepared_scores(self, query: torch.Tensor, prepared: torch.Tensor) -> torch.Tensor:
        keys = prepared if query.dim() == 2 else prepared.unsqueeze(1)  # beams share the keys
        hidden = torch.tanh(self.query_projection(query).unsqueeze(-2) + keys)
        return self.vector(hidden).squeeze(-1)
