"""Why an entity was scored wrong: each false positive and false negative of exact-match span F1,
classified the way NER error analyses (MUC, SemEval 2013) do.

Every predicted entity that is not a gold entity is classified by the gold entity it overlaps
most (ties to the earlier): ``type`` (same boundaries, another type), ``boundary`` (same type,
other boundaries), ``boundary+type`` (both differ) or, overlapping none, ``spurious``. A gold
entity that no wrong prediction was paired with is ``missed`` (one predicted over two gold
entities names the one it overlaps more; the other is missed). So the false positives are the
spurious, type and boundary errors, and every gold entity not predicted exactly is either
missed or named in one of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from nerkit.data.sentence import Sentence
from nerkit.data.span import Span
from nerkit.metrics.span_f1 import scored_entities

ERROR_KINDS = ("missed", "spurious", "boundary", "type", "boundary+type")


@dataclass(frozen=True)
class SpanError:
    """One wrong entity: ``gold`` is None when spurious, ``predicted`` None when missed."""

    kind: str
    gold: Span | None
    predicted: Span | None

    @property
    def position(self) -> int:
        """Where the error starts in the sentence (for ordering)."""
        return min(s.start for s in (self.gold, self.predicted) if s is not None)


def span_errors(gold: Iterable[Span], predicted: Iterable[Span]) -> list[SpanError]:
    """The errors of one sentence's ``predicted`` entities against its ``gold`` ones, in order."""
    gold, predicted = set(gold), set(predicted)
    unmatched = sorted(gold - predicted)
    errors: list[SpanError] = []
    overlapped: set[Span] = set()
    for wrong in sorted(predicted - gold):
        best = max(unmatched, key=lambda g: _overlap(g, wrong), default=None)
        if best is None or _overlap(best, wrong) == 0:
            errors.append(SpanError("spurious", None, wrong))
            continue
        overlapped.add(best)
        same_bounds = (best.start, best.end) == (wrong.start, wrong.end)
        kind = "type" if same_bounds else "boundary" if best.label == wrong.label \
            else "boundary+type"
        errors.append(SpanError(kind, best, wrong))
    errors.extend(SpanError("missed", g, None) for g in unmatched if g not in overlapped)
    return sorted(errors, key=lambda e: (e.position, ERROR_KINDS.index(e.kind)))


def count_errors(errors: Iterable[SpanError]) -> dict[str, int]:
    """How many errors of each kind (every kind present, in ``ERROR_KINDS`` order)."""
    counts = Counter(error.kind for error in errors)
    return {kind: counts[kind] for kind in ERROR_KINDS}


class ErrorCollector:
    """The errors and entity counts of every sentence evaluated, batch by batch
    (``evaluate_sentences``' ``on_batch``), with entities read as ``span_f1`` scores them."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        self.errors: dict[int, list[SpanError]] = {}  # by id() of the Sentence
        self.tallies: dict[int, tuple[int, int, int]] = {}  # correct, predicted, gold

    def __call__(self, sentences: list[Sentence], predicted: list[list[str]]) -> None:
        gold = [s.tags(self.scheme)[:len(tags)] for s, tags in zip(sentences, predicted)]
        pairs = zip(scored_entities(gold, self.scheme), scored_entities(predicted, self.scheme))
        for sentence, (gold_entities, predicted_entities) in zip(sentences, pairs):
            self.errors[id(sentence)] = span_errors(
                (Span(*e) for e in gold_entities), (Span(*e) for e in predicted_entities))
            self.tallies[id(sentence)] = (len(gold_entities & predicted_entities),
                                          len(predicted_entities), len(gold_entities))

    def of(self, sentence: Sentence) -> list[SpanError]:
        """The errors found in ``sentence`` (none if it was not evaluated)."""
        return self.errors.get(id(sentence), [])

    def tally_table(self, sentences: Sequence[Sentence]) -> np.ndarray:
        """(sentences, 3) correct, predicted and gold entities in the order of ``sentences``
        (zeros for any not evaluated): the input of ``significance.paired_bootstrap``."""
        return np.array([self.tallies.get(id(s), (0, 0, 0)) for s in sentences], dtype=np.int64)

    def counts(self) -> dict[str, int]:
        return count_errors(e for errors in self.errors.values() for e in errors)

    def counts_by_type(self) -> dict[str, dict[str, int]]:
        """``counts`` per entity type: the gold entity's type, or the predicted one's for a
        spurious entity."""
        by_type: dict[str, list[SpanError]] = {}
        for errors in self.errors.values():
            for error in errors:
                span = error.gold if error.gold is not None else error.predicted
                assert span is not None
                by_type.setdefault(span.label, []).append(error)
        return {label: count_errors(by_type[label]) for label in sorted(by_type)}


def error_record(sentence: Sentence, errors: list[SpanError]) -> dict[str, object]:
    """One sentence's errors as a JSON-ready dict: where it came from, its text, and each error
    with its gold and predicted entity in character offsets."""
    record: dict[str, object] = {k: sentence.meta[k] for k in ("file", "line", "id")
                                 if k in sentence.meta}
    record["text"] = sentence.text
    record["errors"] = [
        {"kind": error.kind,
         "gold": None if error.gold is None else sentence.text_entity(error.gold),
         "predicted": None if error.predicted is None else sentence.text_entity(error.predicted)}
        for error in errors
    ]
    return record


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))
