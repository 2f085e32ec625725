"""Attention base: subclasses score a query against keys; masking and softmax live here."""

from __future__ import annotations

import torch

from nerkit.common.component import Component


class Attention(torch.nn.Module, Component):
    """Normalised attention weights of one query vector over a sequence of keys.

    Parametric attentions learn weights sized by ``query_dim`` and ``key_dim``; the parent
    component supplies both (annotate its slot ``Lazy[Attention]`` and call
    ``construct(query_dim=..., key_dim=...)``).
    """

    registry_name = "attentions"

    def __init__(self, query_dim: int, key_dim: int) -> None:
        super().__init__()
        self.query_dim = query_dim
        self.key_dim = key_dim

    def scores(self, query: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        """Unnormalised scores (batch, seq_len) of query (batch, query_dim) against keys.

        ``keys`` is (batch, seq_len, key_dim).
        """
        raise NotImplementedError

    def prepare_keys(self, keys: torch.Tensor) -> torch.Tensor:
        """Work on ``keys`` shared by every query (a decoder queries the same keys at each step).

        Pass the result to ``prepared_scores``; the default keeps the keys as they are.
        """
        return keys

    def linear_keys(self, keys: torch.Tensor) -> torch.Tensor | None:
        """Keys ``K`` with ``scores(q, keys) = q . K_t`` plus a constant per query, or None.

        A decoder that only needs the softmax of the scores can then score with one batched
        product (the constant cancels); None means the score is not linear in the query.
        """
        return None

    def prepared_scores(self, query: torch.Tensor, prepared: torch.Tensor) -> torch.Tensor:
        """``scores(query, keys)`` computed from ``prepare_keys(keys)``.

        ``query`` may also be (batch, beams, query_dim): several queries per sequence (a beam
        search's hypotheses), giving (batch, beams, seq_len). The default repeats the keys per
        beam; subclasses can score all beams against one copy.
        """
        if query.dim() == 2:
            return self.scores(query, prepared)
        batch, beams, _ = query.shape
        repeated = prepared.repeat_interleave(beams, dim=0)
        return self.scores(query.flatten(0, 1), repeated).view(batch, beams, -1)

    def forward(self, query: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Softmax over unmasked positions: (batch, seq_len), each row summing to 1."""
        scores = self.scores(query, keys)
        scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
        return torch.softmax(scores, dim=-1)
