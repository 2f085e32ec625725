"""Is one model's F1 really above another's on the same data? The paired bootstrap over
sentences (Koehn 2004; Berg-Kirkpatrick et al. 2012).

Both models' entity counts are kept per sentence; resampling the sentences with replacement
many times gives the distribution of the F1 difference, whose spread is the confidence
interval, and the share of resamples where the first model is not ahead is the p-value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nerkit.data.sentence import Sentence
from nerkit.metrics.span_f1 import scored_entities


class SentenceCounts:
    """Per-sentence (correct, predicted, gold) entity counts, batch by batch
    (``evaluate_sentences``' ``on_batch``), entities read as ``span_f1`` scores them."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme
        self.counts: dict[int, tuple[int, int, int]] = {}  # by id() of the Sentence

    def __call__(self, sentences: list[Sentence], predicted: list[list[str]]) -> None:
        gold = [s.tags(self.scheme)[:len(tags)] for s, tags in zip(sentences, predicted)]
        pairs = zip(scored_entities(gold, self.scheme), scored_entities(predicted, self.scheme))
        for sentence, (gold_entities, predicted_entities) in zip(sentences, pairs):
            self.counts[id(sentence)] = (len(gold_entities & predicted_entities),
                                         len(predicted_entities), len(gold_entities))

    def table(self, sentences: Sequence[Sentence]) -> np.ndarray:
        """(sentences, 3) counts in the order of ``sentences`` (zeros for any not evaluated)."""
        return np.array([self.counts.get(id(s), (0, 0, 0)) for s in sentences], dtype=np.int64)


def paired_bootstrap(
    counts: np.ndarray, baseline: np.ndarray, samples: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """F1 of both systems, their difference, its 95% interval over ``samples`` resamples of
    the sentences, and the one-sided p-value that the first system is not better.

    Args:
        counts: (sentences, 3) correct, predicted and gold entities of the system.
        baseline: The same for the system it is compared with, sentence for sentence.
    """
    if counts.shape != baseline.shape or counts.ndim != 2 or counts.shape[1] != 3:
        raise ValueError(f"need two (sentences, 3) count tables, got {counts.shape} and "
                         f"{baseline.shape}")
    rng = np.random.default_rng(seed)
    # how often each sentence is drawn in each resample (drawing n with replacement)
    draws = rng.multinomial(len(counts), np.full(len(counts), 1 / len(counts)), size=samples)
    ours, theirs = _f1(draws @ counts), _f1(draws @ baseline)
    differences = ours - theirs
    f1, baseline_f1 = float(_f1(counts.sum(axis=0))), float(_f1(baseline.sum(axis=0)))
    low, high = np.percentile(differences, [2.5, 97.5])
    return {"f1": f1, "baseline_f1": baseline_f1, "difference": f1 - baseline_f1,
            "ci95": [float(low), float(high)],
            "p_value": float(np.mean(differences <= 0)),
            "sentences": len(counts), "samples": samples}


def _f1(totals: np.ndarray) -> np.ndarray:
    """F1 from (..., 3) summed (correct, predicted, gold) counts; 0 where undefined."""
    correct, predicted, gold = (totals[..., i].astype(np.float64) for i in range(3))
    denominator = predicted + gold
    return np.divide(2 * correct, denominator, out=np.zeros_like(correct),
                     where=denominator > 0)
