"""Decoder base: encoder states -> loss (when gold tags are given) and predicted label ids."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from nerkit.common.component import Component
from nerkit.data.vocabulary import Vocabulary

if TYPE_CHECKING:
    from nerkit.modules.decoders.span_scores import SpanQueries


class Decoder(torch.nn.Module, Component):
    """Owns the projection from encoder states to labels, the loss and the decoding.

    Args:
        vocab: Injected; gives the labels and the tag scheme.
        input_dim: Encoder output size; flows from upstream when left out.
    """

    registry_name = "decoders"
    default_type = "softmax"

    def __init__(self, vocab: Vocabulary, input_dim: int) -> None:
        super().__init__()
        self.vocab = vocab
        self.input_dim = input_dim
        self.num_labels = vocab.num_labels

    def get_input_dim(self) -> int:
        return self.input_dim

    def loss(self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """Mean loss per sentence; encoded (batch, seq_len, input_dim), tags (batch, seq_len)."""
        raise NotImplementedError

    def decode(self, encoded: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Best label ids, (batch, seq_len); positions outside ``mask`` are 0 (``O``)."""
        raise NotImplementedError

    def span_log_probs(
        self, encoded: torch.Tensor, mask: torch.Tensor, predictions: torch.Tensor,
        queries: SpanQueries,
    ) -> torch.Tensor:
        """log P (Q,) that each queried span is an entity of its type (``span_scores``)."""
        raise NotImplementedError(f"{type(self).__name__} does not score its entities")

    def n_best(
        self, encoded: torch.Tensor, mask: torch.Tensor, k: int
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The ``k`` most probable label sequences (batch, k, seq_len), best first, and their
        log probabilities (batch, k; ``-inf`` where a sentence has fewer sequences)."""
        raise NotImplementedError(f"{type(self).__name__} gives no n-best list (crf does)")
