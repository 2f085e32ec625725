"""Metric base: accumulates over batches of tag strings; counts can be summed across processes."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from nerkit.common.component import Component


class Metric(Component):
    """Stateful accumulator: call it per batch, read ``get_metric``; ``reset`` starts over.

    State is kept as counts so that distributed training can all-reduce them (``state_tensor``
    and ``load_state_tensor``) and still report the exact figure.
    """

    registry_name = "metrics"

    def __call__(self, predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> None:
        raise NotImplementedError

    def get_metric(self, reset: bool = False) -> dict[str, float]:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def state_tensor(self) -> torch.Tensor:
        """The counts behind the metric as a 1-D float64 tensor."""
        raise NotImplementedError

    def load_state_tensor(self, state: torch.Tensor) -> None:
        raise NotImplementedError
