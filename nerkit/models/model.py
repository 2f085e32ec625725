"""Model base: featurize sentences, compute loss, decode tags, keep metrics."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, cast

import torch

from nerkit.common.component import Component
from nerkit.data.sentence import Sentence, Span
from nerkit.data.tag_schemes import tags_to_spans
from nerkit.data.vocabulary import Vocabulary
from nerkit.metrics.metric import Metric
from nerkit.metrics.span_f1 import SpanF1Metric
from nerkit.metrics.token_accuracy import TokenAccuracyMetric

Batch = dict[str, Any]


class Model(torch.nn.Module, Component):
    """A trainable NER model.

    Contract: ``featurize`` (CPU, in the data loader) turns Sentences into a batch;
    ``forward(batch)`` returns a dict with ``"loss"`` when the batch has gold tags and
    ``"predictions"`` (label ids) when asked to decode; ``get_metrics`` reports the metrics
    accumulated since the last reset.
    """

    registry_name = "models"
    default_type = "tagger"

    def __init__(self, vocab: Vocabulary, metrics: dict[str, Metric] | None = None) -> None:
        super().__init__()
        self.vocab = vocab
        self.metrics: dict[str, Metric] = (
            metrics if metrics is not None else _default_metrics(vocab)
        )

    def featurize(self, sentences: Sequence[Sentence]) -> Batch:
        raise NotImplementedError

    def forward(self, batch: Batch, decode: bool = False) -> dict[str, Any]:
        raise NotImplementedError

    def label_sequences(self, predictions: torch.Tensor, lengths: Sequence[int]) -> list[list[str]]:
        """Label strings for each sentence from (batch, seq_len) label ids."""
        labels = self.vocab.labels
        rows = predictions.tolist()
        return [[labels[i] for i in row[:n]] for row, n in zip(rows, lengths)]

    def predict_spans(self, sentences: Sequence[Sentence]) -> list[list[Span]]:
        """Predicted entities for each sentence (model in eval mode, no gradients)."""
        batch = self.featurize(sentences)
        batch.pop("tags", None)  # gold entities, if the sentences have any: no loss to compute
        batch = move_to_device(batch, next(self.parameters()).device)
        with torch.inference_mode():
            output = self.forward(batch, decode=True)
        lengths = [len(s) for s in sentences]
        scheme = self.vocab.tag_scheme
        labels = self.label_sequences(output["predictions"], lengths)
        return [tags_to_spans(tags, scheme) for tags in labels]

    def predict_scored_spans(self, sentences: Sequence[Sentence]) -> list[list[tuple[Span, float]]]:
        """Predicted entities with the model's probability of each (``span_scores``)."""
        raise NotImplementedError(f"{type(self).__name__} does not score its entities")

    def predict_n_best(
        self, sentences: Sequence[Sentence], k: int
    ) -> list[list[tuple[list[Span], float]]]:
        """Up to ``k`` analyses of each sentence, most probable first: (entities, probability)."""
        raise NotImplementedError(f"{type(self).__name__} gives no n-best list")

    def update_metrics(self, predicted: list[list[str]], gold: list[list[str]]) -> None:
        for metric in self.metrics.values():
            metric(predicted, gold)

    def get_metrics(self, reset: bool = False) -> dict[str, float]:
        """All metric values in one dict (``f1``, ``f1-PER``, ``accuracy``, ...)."""
        result: dict[str, float] = {}
        for metric in self.metrics.values():
            result.update(metric.get_metric(reset=reset))
        return result


class _Validating(Protocol):
    """A module with the ``validating`` flag."""

    validating: bool


@contextlib.contextmanager
def validating(model: torch.nn.Module) -> Iterator[None]:
    """The trainer's per-epoch validation: modules with a ``validating`` flag see it set.

    Lets a decoder select epochs with a cheaper search than its predictions use (the attention
    decoder's ``validation_beam_size``); evaluation and prediction run outside it.
    """
    flagged = [cast(_Validating, m) for m in model.modules() if hasattr(m, "validating")]
    for module in flagged:
        module.validating = True
    try:
        yield
    finally:
        for module in flagged:
            module.validating = False


def _default_metrics(vocab: Vocabulary) -> dict[str, Metric]:
    return {"span_f1": SpanF1Metric(vocab), "token_accuracy": TokenAccuracyMetric()}


def move_to_device(batch: Any, device: torch.device) -> Any:
    """Move every tensor in a (nested) batch to ``device``."""
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, dict):
        return {k: move_to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return type(batch)(move_to_device(v, device) for v in batch)
    return batch
