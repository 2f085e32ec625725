"""Registered learning-rate schedulers."""

from __future__ import annotations

import pytest
import torch

from nerkit.common.build import build


def _optimizer() -> torch.optim.Optimizer:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)


def _rates(scheduler, optimizer, steps: int) -> list[float]:
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def test_linear_with_warmup():
    optimizer = _optimizer()
    scheduler = build({"type": "linear_with_warmup", "warmup_steps": 2}, "lr_schedulers",
                      context={"optimizer": optimizer, "num_training_steps": 6})
    assert _rates(scheduler, optimizer, 6) == pytest.approx([0.5, 1.0, 1.0, 0.75, 0.5, 0.25])


def test_inverse_decay_per_epoch():
    optimizer = _optimizer()
    scheduler = build({"type": "inverse_decay", "decay": 0.5}, "lr_schedulers",
                      context={"optimizer": optimizer, "steps_per_epoch": 2})
    assert _rates(scheduler, optimizer, 5) == pytest.approx([1, 0.8, 2 / 3, 4 / 7, 0.5])


def test_scheduler_state_is_json(tmp_path):
    import json

    optimizer = _optimizer()
    scheduler = build({"type": "linear_with_warmup"}, "lr_schedulers",
                      context={"optimizer": optimizer, "num_training_steps": 3})
    json.dumps(scheduler.state_dict())
