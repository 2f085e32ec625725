"""Registered optimizers and regex parameter groups."""

from __future__ import annotations

import pytest
import torch

from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError


class Two(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = torch.nn.Linear(2, 2)
        self.head = torch.nn.Linear(2, 1)


@pytest.mark.parametrize("name", ["adam", "adamw", "sgd", "adagrad"])
def test_builds_by_name(name):
    optimizer = build({"type": name, "lr": 0.5}, "optimizers", context={"model": Two()})
    assert optimizer.param_groups[0]["lr"] == 0.5


def test_parameter_groups_by_regex():
    model = Two()
    optimizer = build(
        {"type": "adam", "lr": 1e-3, "parameter_groups": [[["^body\\."], {"lr": 2e-5}]]},
        "optimizers", context={"model": model},
    )
    body, rest = optimizer.param_groups
    assert body["lr"] == 2e-5 and rest["lr"] == 1e-3
    assert {id(p) for p in body["params"]} == {id(p) for p in model.body.parameters()}


def test_regex_matching_nothing_is_an_error():
    with pytest.raises(ConfigurationError, match="no parameter matches"):
        build({"type": "adam", "parameter_groups": [[["^nothing"], {"lr": 1.0}]]},
              "optimizers", context={"model": Two()})


def test_frozen_parameters_are_left_out():
    model = Two()
    model.body.weight.requires_grad_(False)
    optimizer = build({"type": "sgd"}, "optimizers", context={"model": model})
    assert sum(len(g["params"]) for g in optimizer.param_groups) == 3
