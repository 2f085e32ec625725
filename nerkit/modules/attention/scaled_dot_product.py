"""``scaled_dot_product``: score = q · k / sqrt(d), the Transformer's scaling."""

from __future__ import annotations

import math

import torch

from nerkit.modules.attention.attention import Attention
from nerkit.modules.attention.dot_product import DotProductAttention


@Attention.register("scaled_dot_product")
class ScaledDotProductAttention(DotProductAttention):
    """Dot-product attention divided by the square root of the key size.

    Args:
        query_dim: Query size; supplied by the parent component.
        key_dim: Key size ``d``; must equal ``query_dim``.

    Registered as `attentions: scaled_dot_product`.
    """

    def linear_keys(self, keys: torch.Tensor) -> torch.Tensor | None:
        return keys / math.sqrt(self.key_dim)

    def scores(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return super().scores(query, keys) / math.sqrt(self.key_dim)
