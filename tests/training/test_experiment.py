"""The Experiment: built from a config, fills every section, trains, rebuilds from its archive."""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path

import pytest
import torch

from nerkit.common.config import load_config
from nerkit.common.errors import ConfigurationError
from nerkit.training.experiment import Experiment, fill_experiment, train_model

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = {"dataset_reader", "train_data_path", "model", "trainer", "validation_dataset_reader",
            "validation_data_path", "test_data_path", "vocabulary", "data_loader",
            "validation_data_loader", "random_seed", "evaluate_on_test"}


def tiny_config(fixtures_root: Path, **overrides) -> dict:
    return load_config(fixtures_root / "configs" / "tagger_crf.jsonnet",
                       tla_vars={"fixtures": str(fixtures_root), "num_epochs": 1},
                       overrides=overrides)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("print-config tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("name", sorted(p.name for p in ROOT.glob("training_configs/*.jsonnet")))
def test_every_shipped_config_fills_offline_fast_without_weights(name, no_network, tmp_path):
    """No weight file, no model directory, no network: the filling reads signatures only."""
    missing = str(tmp_path / "absent")
    arguments = {"bert": missing, "elmo_options": missing, "elmo_weights": missing,
                 "vectors": missing, "sample_dir": missing}
    accepted = _accepted_arguments(ROOT / "training_configs" / name)
    config = load_config(ROOT / "training_configs" / name,
                         tla_vars={k: v for k, v in arguments.items() if k in accepted})
    started = time.perf_counter()
    filled = fill_experiment(config)
    assert time.perf_counter() - started < 3.0
    assert set(filled) == SECTIONS
    assert filled["trainer"]["optimizer"]["type"] and "num_epochs" in filled["trainer"]


def _accepted_arguments(path: Path) -> set[str]:
    """The top-level function parameters of a Jsonnet config (``function(a=..., b=...)``)."""
    header = path.read_text("utf-8").split("function(", 1)[1].split(")", 1)[0]
    return set(re.findall(r"(\w+)\s*=", header))


def test_unknown_top_level_key_is_named_as_such(fixtures_root):
    config = {**tiny_config(fixtures_root), "evaluate_on_tset": True}
    with pytest.raises(ConfigurationError, match="unknown top-level key 'evaluate_on_tset'"):
        Experiment.from_config(config)


def test_a_model_typo_fails_before_any_data_is_read(fixtures_root, tmp_path):
    config = {**tiny_config(fixtures_root, **{"model.encoder.hiden_dim": 3}),
              "train_data_path": str(tmp_path / "never_read.bio")}
    with pytest.raises(ConfigurationError) as caught:
        train_model(config, tmp_path / "run")
    assert caught.value.path == ["model", "encoder", "hiden_dim"]
    assert not (tmp_path / "run").exists()


def test_archived_config_has_every_section_and_rebuilds_the_same(fixtures_root, tmp_path):
    trained = train_model(tiny_config(fixtures_root), tmp_path / "run")
    archived = json.loads((tmp_path / "run" / "config.json").read_text("utf-8"))
    assert set(archived) == SECTIONS
    assert archived["model"]["encoder"]["input_dim"] == 8  # a real build writes flowing dims
    assert archived["validation_data_loader"]["shuffle"] is False
    assert fill_experiment(archived) == archived  # a fixed point: nothing left to fill
    again = train_model(archived, tmp_path / "again")
    assert json.loads((tmp_path / "again" / "config.json").read_text("utf-8")) == archived
    first, second = trained.state_dict(), again.state_dict()
    assert first.keys() == second.keys()
    assert all(torch.equal(first[key], second[key]) for key in first)  # same seed, same run
