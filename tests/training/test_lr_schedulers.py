"""Registered learning-rate schedulers."""

from __future__ import annotations

import json

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


def test_scheduler_state_round_trips_through_json():
    def make():
        optimizer = _optimizer()
        return optimizer, build({"type": "linear_with_warmup", "warmup_steps": 2},
                                "lr_schedulers",
                                context={"optimizer": optimizer, "num_training_steps": 6})

    optimizer, scheduler = make()
    _rates(scheduler, optimizer, 3)
    state = json.loads(json.dumps(scheduler.state_dict()))
    resumed_optimizer, resumed = make()
    resumed.load_state_dict(state)
    resumed_optimizer.param_groups[0]["lr"] = optimizer.param_groups[0]["lr"]
    assert _rates(resumed, resumed_optimizer, 3) == _rates(scheduler, optimizer, 3)
