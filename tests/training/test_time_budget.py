"""trainer.max_minutes: stops at the first step past the budget, checkpointed, resumed exactly.

The trainer's clock is replaced by a step counter (one minute per optimizer step), so the budget
falls on the same step in every run and "killing" a run is an exception from a callback.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from nerkit.common.config import load_config
from nerkit.training.callbacks import Callback
from nerkit.training.experiment import train_model
from nerkit.training.trainer import Trainer


class StepClock(Callback):
    """Advances a fake clock by a minute per optimizer step; optionally dies at one step."""

    minutes = 0

    def __init__(self, die_at: int | None = None) -> None:
        self.die_at = die_at

    def on_batch_end(self, trainer, step, loss) -> None:
        StepClock.minutes += 1
        if step == self.die_at:
            raise RuntimeError("killed")


@pytest.fixture
def step_clock(monkeypatch):
    StepClock.minutes = 0
    monkeypatch.setattr(Trainer, "clock", staticmethod(lambda: StepClock.minutes * 60.0))


def _run(fixtures: Path, directory: Path, minutes: float, recover: bool = False,
         die_at: int | None = None, **overrides) -> dict:
    StepClock.minutes = 0  # a new process: its clock starts again
    config = load_config(fixtures / "configs" / "tagger_crf.jsonnet",
                         tla_vars={"fixtures": str(fixtures), "num_epochs": 10},
                         overrides={"trainer.max_minutes": minutes,
                                    "trainer.train_metrics": False, **overrides})
    original = Trainer.__init__

    @functools.wraps(original)
    def with_clock_callback(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.callbacks.append(StepClock(die_at))

    Trainer.__init__ = with_clock_callback
    try:
        train_model(config, directory, recover=recover)
    finally:
        Trainer.__init__ = original
    return json.loads((directory / "checkpoints" / "latest.json").read_text())


def _weights(directory: Path) -> dict[str, torch.Tensor]:
    latest = json.loads((directory / "checkpoints" / "latest.json").read_text())
    return load_file(directory / "checkpoints" / latest["path"] / "model.safetensors")


def test_budget_stops_within_an_epoch_and_validates(fixtures_root, tmp_path, step_clock):
    latest = _run(fixtures_root, tmp_path / "run", minutes=5)  # 3 steps per epoch
    assert (latest["epoch"], latest["batch"]) == (1, 2)
    last = json.loads((tmp_path / "run" / "metrics_epoch_1.json").read_text())
    assert last["batches"] == 2 and "validation_f1" in last
    state = json.loads((tmp_path / "run" / "checkpoints" / latest["path"]
                        / "training_state.json").read_text())
    assert state["trainer"]["global_step"] == 5
    assert state["trainer"]["elapsed_seconds"] == 300.0
    assert (tmp_path / "run" / "model.tar.gz").is_file()


def test_killed_run_resumes_within_its_budget_exactly(fixtures_root, tmp_path, step_clock):
    _run(fixtures_root, tmp_path / "unbroken", minutes=7)
    every_step = {"trainer.checkpoint_every_minutes": 1}
    with pytest.raises(RuntimeError, match="killed"):
        _run(fixtures_root, tmp_path / "broken", minutes=7, die_at=5, **every_step)
    latest = json.loads((tmp_path / "broken" / "checkpoints" / "latest.json").read_text())
    assert (latest["epoch"], latest["batch"]) == (1, 1)  # step 4, checkpointed before step 5
    resumed = _run(fixtures_root, tmp_path / "broken", minutes=7, recover=True, **every_step)
    assert (resumed["epoch"], resumed["batch"]) == (2, 1)  # 7 steps in all, as unbroken
    expected, actual = _weights(tmp_path / "unbroken"), _weights(tmp_path / "broken")
    for key in expected:
        torch.testing.assert_close(actual[key], expected[key], rtol=0, atol=1e-6)


def test_a_larger_budget_carries_on_where_the_last_stopped(fixtures_root, tmp_path, step_clock):
    _run(fixtures_root, tmp_path / "whole", minutes=8)
    _run(fixtures_root, tmp_path / "parts", minutes=5)
    latest = _run(fixtures_root, tmp_path / "parts", minutes=8, recover=True)
    assert (latest["epoch"], latest["batch"]) == (2, 2)
    expected, actual = _weights(tmp_path / "whole"), _weights(tmp_path / "parts")
    for key in expected:
        torch.testing.assert_close(actual[key], expected[key], rtol=0, atol=1e-6)


def test_spent_budget_trains_nothing_more(fixtures_root, tmp_path, step_clock):
    _run(fixtures_root, tmp_path / "run", minutes=2)
    before = _weights(tmp_path / "run")
    latest = _run(fixtures_root, tmp_path / "run", minutes=2, recover=True)
    assert (latest["epoch"], latest["batch"]) == (0, 2)
    for key, value in _weights(tmp_path / "run").items():
        torch.testing.assert_close(value, before[key], rtol=0, atol=0)


def test_non_finite_loss_stops_with_epoch_and_batch(fixtures_root, tmp_path, monkeypatch):
    from nerkit.common.errors import TrainingError
    from nerkit.modules.decoders.crf import CrfDecoder

    # The CRF stays finite even for absurd scores (issue #10), so the loss is made to diverge.
    real_loss, calls = CrfDecoder.loss, {"n": 0}

    def diverging_loss(self, *args):
        calls["n"] += 1
        return real_loss(self, *args) * (float("inf") if calls["n"] >= 5 else 1.0)

    monkeypatch.setattr(CrfDecoder, "loss", diverging_loss)
    config = load_config(fixtures_root / "configs" / "tagger_crf.jsonnet",
                         tla_vars={"fixtures": str(fixtures_root), "num_epochs": 3})
    with pytest.raises(TrainingError, match=r"non-finite training loss .* in epoch \d+, batch \d+"):
        train_model(config, tmp_path / "run")


def test_budget_must_be_positive(fixtures_root, tmp_path):
    from nerkit.common.errors import ConfigurationError

    config = load_config(fixtures_root / "configs" / "tagger_crf.jsonnet",
                         tla_vars={"fixtures": str(fixtures_root)},
                         overrides={"trainer.max_minutes": 0})
    with pytest.raises(ConfigurationError, match="max_minutes must be positive"):
        train_model(config, tmp_path / "run")
