"""Is one model's F1 really above another's on the same data? The paired bootstrap over
sentences (Koehn 2004; Berg-Kirkpatrick et al. 2012).

Both models' entity counts are kept per sentence (``ErrorCollector.tally_table``); resampling
the sentences with replacement many times gives the distribution of the F1 difference, whose
spread is the confidence interval, and the share of resamples where the first model is not
ahead is the p-value.
"""

from __future__ import annotations

from typing import Any

import numpy as np


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
