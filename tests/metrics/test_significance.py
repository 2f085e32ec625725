"""The paired bootstrap: what the test says in clear cases."""

from __future__ import annotations

import numpy as np
import pytest

from nerkit.metrics.significance import paired_bootstrap


def test_identical_systems_are_not_better():
    counts = np.array([[1, 2, 2], [0, 1, 1], [3, 3, 4]])
    result = paired_bootstrap(counts, counts, samples=200)
    assert result["difference"] == 0 and result["p_value"] == 1.0
    assert result["ci95"] == [0.0, 0.0] and result["sentences"] == 3


def test_a_system_better_on_every_sentence():
    rng = np.random.default_rng(0)
    gold = rng.integers(1, 5, size=300)
    better = np.stack([gold, gold, gold], axis=1)  # every entity right
    worse = np.stack([gold - 1, gold, gold], axis=1)  # one entity wrong per sentence
    result = paired_bootstrap(better, worse, samples=500, seed=3)
    assert result["f1"] == 1.0 and result["baseline_f1"] < 1.0
    assert result["p_value"] == 0.0 and 0 < result["ci95"][0] <= result["difference"]
    assert result["difference"] <= result["ci95"][1]
    assert paired_bootstrap(worse, better, samples=500)["p_value"] == 1.0
    assert paired_bootstrap(better, worse, samples=500, seed=3) == result  # seeded


def test_tables_must_pair_up():
    with pytest.raises(ValueError, match="two \\(sentences, 3\\) count tables"):
        paired_bootstrap(np.zeros((3, 3)), np.zeros((4, 3)))
