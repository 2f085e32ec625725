"""``bilinear``: score = q^T W k + b, with a learned matrix W."""

from __future__ import annotations

import torch

from nerkit.modules.attention.attention import Attention


@Attention.register("bilinear")
class BilinearAttention(Attention):
    """Luong's "general" attention, ``score(q, k) = q^T W k + b``.

    Args:
        query_dim: Query size; supplied by the parent component.
        key_dim: Key size; supplied by the parent component.
        bias: Add a learned scalar ``b`` (it cancels in the softmax but shifts raw scores).

    Registered as `attentions: bilinear`.
    """

    def __init__(self, query_dim: int, key_dim: int, bias: bool = False) -> None:
        super().__init__(query_dim, key_dim)
        self.weight = torch.nn.Parameter(torch.empty(query_dim, key_dim))
        torch.nn.init.xavier_uniform_(self.weight)
        self.bias = torch.nn.Parameter(torch.zeros(1)) if bias else None

    def scores(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return self.prepared_scores(query @ self.weight, keys)  # (q W) . k

    def prepare_keys(self, keys: torch.Tensor) -> torch.Tensor:
        return keys @ self.weight.t()  # W k, (batch, seq_len, query_dim)

    def linear_keys(self, keys: torch.Tensor) -> torch.Tensor:
        return self.prepare_keys(keys)  # the bias is the constant

    def prepared_scores(self, query: torch.Tensor, prepared: torch.Tensor) -> torch.Tensor:
        # (batch, beams, dim) x (batch, dim, seq_len): several times faster on CPU than the
        # (batch, seq_len, dim) x (batch, dim, 1) product.
        queries = query.unsqueeze(1) if query.dim() == 2 else query
        scores = torch.bmm(queries, prepared.transpose(1, 2))
        scores = scores.squeeze(1) if query.dim() == 2 else scores
        return scores + self.bias if self.bias is not None else scores
