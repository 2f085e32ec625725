"""``dot_product``: score = q · k (query and key sizes must match)."""

from __future__ import annotations

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.attention.attention import Attention


@Attention.register("dot_product")
class DotProductAttention(Attention):
    """Unparameterised dot-product attention, ``score(q, k) = q · k``.

    Args:
        query_dim: Query size; supplied by the parent component.
        key_dim: Key size; must equal ``query_dim``.

    Registered as `attentions: dot_product`.
    """

    def __init__(self, query_dim: int, key_dim: int) -> None:
        super().__init__(query_dim, key_dim)
        if query_dim != key_dim:
            raise ConfigurationError(
                f"{type(self).__name__} needs query_dim == key_dim, got {query_dim} and {key_dim}; "
                "use bilinear or additive attention for different sizes"
            )

    def linear_keys(self, keys: torch.Tensor) -> torch.Tensor | None:
        return keys

    def scores(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        # (batch, 1, dim) x (batch, dim, seq_len): faster on CPU than keys x (batch, dim, 1).
        return torch.bmm(query.unsqueeze(1), keys.transpose(1, 2)).squeeze(1)
