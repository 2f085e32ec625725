"""``span_f1``: entity-level precision, recall and F1, overall and per type (seqeval strict)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from seqeval.scheme import IOB2, IOBES, Entities

from nerkit.data.tag_schemes import to_iobes
from nerkit.data.vocabulary import Vocabulary
from nerkit.metrics.metric import Metric


@Metric.register("span_f1")
class SpanF1Metric(Metric):
    """Exact-match entity F1 under the vocabulary's tag scheme.

    Entities are read by seqeval in strict mode (IOB2 for BIO, IOBES otherwise; BMES and BIEO
    are first mapped to IOBES by ``tag_schemes.to_iobes``). Keys: ``precision``, ``recall``,
    ``f1`` and ``precision-PER``, ``recall-PER``, ``f1-PER``, ... per type.

    Args:
        vocab: Injected; gives the tag scheme and entity types.

    Registered as `metrics: span_f1`.
    """

    def __init__(self, vocab: Vocabulary) -> None:
        self.scheme = vocab.tag_scheme
        self.types = list(vocab.entity_types)
        self.reset()

    def reset(self) -> None:
        self._counts = torch.zeros(len(self.types), 3, dtype=torch.float64)  # tp, predicted, gold

    def _entities(self, sequences: Sequence[Sequence[str]]) -> set[tuple[int, int, int, str]]:
        return {(row, *entity) for row, found in enumerate(scored_entities(sequences, self.scheme))
                for entity in found}

    def __call__(self, predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> None:
        predicted_entities = self._entities(predicted)
        gold_entities = self._entities(gold)
        for column, entities in ((1, predicted_entities), (2, gold_entities)):
            for entity in entities:
                self._add(entity[3], column)
        for entity in predicted_entities & gold_entities:
            self._add(entity[3], 0)

    def _add(self, label: str, column: int) -> None:
        if label not in self.types:
            self.types.append(label)
            self._counts = torch.cat([self._counts, torch.zeros(1, 3, dtype=torch.float64)])
        self._counts[self.types.index(label), column] += 1

    def get_metric(self, reset: bool = False) -> dict[str, float]:
        result = _prf("", self._counts.sum(dim=0))
        for label, counts in zip(self.types, self._counts):
            result.update(_prf(f"-{label}", counts))
        if reset:
            self.reset()
        return result

    def state_tensor(self) -> torch.Tensor:
        return self._counts.flatten().clone()

    def load_state_tensor(self, state: torch.Tensor) -> None:
        self._counts = state.to(torch.float64).view(-1, 3).clone()


def scored_entities(
    sequences: Sequence[Sequence[str]], scheme: str
) -> list[set[tuple[int, int, str]]]:
    """Each sequence's entities ``(start, end, type)`` as ``span_f1`` scores them: seqeval's
    strict reading, so an invalid run of tags is no entity."""
    if scheme == "BIO":
        rows, seqeval_scheme = [list(s) for s in sequences], IOB2
    else:
        rows = [list(s if scheme == "BIOES" else to_iobes(s, scheme)) for s in sequences]
        seqeval_scheme = IOBES
    found = Entities(rows, seqeval_scheme, suffix=False)
    return [{(e.start, e.end, e.tag) for e in sentence} for sentence in found.entities]


def _prf(suffix: str, counts: torch.Tensor) -> dict[str, float]:
    tp, predicted, gold = (float(x) for x in counts)
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {f"precision{suffix}": precision, f"recall{suffix}": recall, f"f1{suffix}": f1}
