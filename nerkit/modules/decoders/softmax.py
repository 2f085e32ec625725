"""``softmax``: independent per-character classification with cross-entropy."""

from __future__ import annotations

import torch

from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.span_scores import SpanQueries, positionwise_span_log_probs


@Decoder.register("softmax")
class SoftmaxDecoder(Decoder):
    """A linear layer to label scores, cross-entropy loss and argmax decoding.

    Args:
        vocab: Injected.
        input_dim: Flows from the encoder (or embedder) when left out.
        label_smoothing: Cross-entropy label smoothing.

    Registered as `decoders: softmax`.
    """

    def __init__(self, vocab: Vocabulary, input_dim: int, label_smoothing: float = 0.0) -> None:
        super().__init__(vocab, input_dim)
        self.projection = torch.nn.Linear(input_dim, self.num_labels)
        self.label_smoothing = label_smoothing

    def loss(self, encoded: torch.Tensor, mask: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        logits = self.projection(encoded)  # (batch, seq_len, num_labels)
        losses = torch.nn.functional.cross_entropy(
            logits[mask], tags[mask], reduction="sum", label_smoothing=self.label_smoothing
        )
        return losses / mask.size(0)

    def decode(self, encoded: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.projection(encoded).argmax(dim=-1) * mask

    def span_log_probs(
        self, encoded: torch.Tensor, mask: torch.Tensor, predictions: torch.Tensor,
        queries: SpanQueries,
    ) -> torch.Tensor:
        """Span probability as the product of the per-character label probabilities."""
        log_probs = torch.log_softmax(self.projection(encoded).float(), dim=-1)
        return positionwise_span_log_probs(log_probs, queries)
