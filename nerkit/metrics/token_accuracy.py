"""``token_accuracy``: the share of characters whose predicted tag equals the gold tag."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from nerkit.metrics.metric import Metric


@Metric.register("token_accuracy")
class TokenAccuracyMetric(Metric):
    """Per-character tag accuracy (``accuracy``), optionally ignoring ``O``-gold characters.

    Args:
        ignore_outside: Count only characters whose gold tag is not ``O``.

    Registered as `metrics: token_accuracy`.
    """

    def __init__(self, ignore_outside: bool = False) -> None:
        self.ignore_outside = ignore_outside
        self.reset()

    def reset(self) -> None:
        self._correct = 0.0
        self._total = 0.0

    def __call__(self, predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> None:
        for predicted_tags, gold_tags in zip(predicted, gold):
            for p, g in zip(predicted_tags, gold_tags):
                if self.ignore_outside and g == "O":
                    continue
                self._total += 1
                self._correct += p == g

    def get_metric(self, reset: bool = False) -> dict[str, float]:
        accuracy = self._correct / self._total if self._total else 0.0
        if reset:
            self.reset()
        return {"accuracy": accuracy}

    def state_tensor(self) -> torch.Tensor:
        return torch.tensor([self._correct, self._total], dtype=torch.float64)

    def load_state_tensor(self, state: torch.Tensor) -> None:
        self._correct, self._total = (float(x) for x in state)
