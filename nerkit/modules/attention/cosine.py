"""``cosine``: score = cos(q, k) (query and key sizes must match)."""

from __future__ import annotations

import torch

from nerkit.modules.attention.attention import Attention
from nerkit.modules.attention.dot_product import DotProductAttention


@Attention.register("cosine")
class CosineAttention(DotProductAttention):
    """Cosine similarity of query and key, in [-1, 1]; zero vectors score 0.

    Args:
        query_dim: Query size; supplied by the parent component.
        key_dim: Key size; must equal ``query_dim``.

    Registered as `attentions: cosine`.
    """

    def linear_keys(self, keys: torch.Tensor) -> torch.Tensor | None:
        return None  # the query's norm divides the score

    def scores(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.cosine_similarity(keys, query.unsqueeze(1), dim=-1, eps=1e-8)
