"""The trainer loop: metrics files, patience, max steps, accumulation, callbacks, schedulers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from nerkit.common.config import load_config
from nerkit.common.errors import ConfigurationError
from nerkit.training.experiment import train_model


def _config(fixtures: Path, **overrides) -> dict:
    return load_config(fixtures / "configs" / "tagger_crf.jsonnet",
                       tla_vars={"fixtures": str(fixtures)}, overrides=overrides)


def test_writes_metrics_per_epoch_and_summary(fixtures_root, tmp_path):
    train_model(_config(fixtures_root, **{"trainer.num_epochs": 2}), tmp_path)
    epoch = json.loads((tmp_path / "metrics_epoch_1.json").read_text())
    for key in ("training_loss", "training_f1", "validation_loss", "validation_f1",
                "validation_f1-PER", "validation_accuracy", "epoch_seconds"):
        assert key in epoch
    summary = json.loads((tmp_path / "metrics.json").read_text())
    scores = [json.loads((tmp_path / f"metrics_epoch_{e}.json").read_text())["validation_f1"]
              for e in (0, 1)]
    assert summary["best_epoch"] == scores.index(max(scores))  # the first of equal bests
    assert summary["best_validation_f1"] == max(scores)
    assert summary["training_seconds"] > 0
    assert json.loads((tmp_path / "config.json").read_text())["model"]["encoder"]["input_dim"] == 8


def test_max_steps_stops_mid_epoch(fixtures_root, tmp_path):
    config = _config(fixtures_root, **{"trainer.num_epochs": 5, "trainer.max_steps": 4})
    train_model(config, tmp_path)
    assert len(list(tmp_path.glob("metrics_epoch_*.json"))) == 2  # 3 steps per epoch
    state = json.loads((tmp_path / "checkpoints" / "epoch_1" / "training_state.json").read_text())
    assert state["trainer"]["global_step"] == 4


def test_patience_stops_early(fixtures_root, tmp_path):
    # lr 0: nothing improves after the first epoch, so patience 1 stops after epoch 1
    config = _config(fixtures_root, **{"trainer.num_epochs": 6, "trainer.patience": 1,
                                       "trainer.optimizer.lr": 0.0})
    train_model(config, tmp_path)
    assert len(list(tmp_path.glob("metrics_epoch_*.json"))) == 2


def test_gradient_accumulation_counts_optimizer_steps(fixtures_root, tmp_path):
    config = _config(fixtures_root, **{"trainer.num_epochs": 1, "trainer.grad_accumulation": 2,
                                       "trainer.grad_norm": 1.0})
    train_model(config, tmp_path)
    state = json.loads(next((tmp_path / "checkpoints").glob("epoch_0/training_state.json"))
                       .read_text())
    assert state["trainer"]["global_step"] == 2  # 3 batches -> steps after batch 2 and 3


def test_validation_metric_must_exist(fixtures_root, tmp_path):
    config = _config(fixtures_root, **{"trainer.num_epochs": 1,
                                       "trainer.validation_metric": "+f2"})
    with pytest.raises(ConfigurationError, match="'f2' is not among"):
        train_model(config, tmp_path)


def test_bad_validation_metric_sign_is_a_config_error(fixtures_root, tmp_path):
    config = _config(fixtures_root, **{"trainer.validation_metric": "f1"})
    with pytest.raises(ConfigurationError, match="must start with"):
        train_model(config, tmp_path)


def test_full_batch_lbfgs_trains_and_resumes_exactly(fixtures_root, tmp_path):
    from safetensors.torch import load_file

    crf = {"trainer.optimizer": {"type": "lbfgs", "l2": 0.1, "iterations_per_epoch": 3},
           "trainer.grad_norm": None, "trainer.train_metrics": False,
           "model.embedder": {"type": "window_features", "embedding_dim": 4, "num_buckets": 512},
           "model.encoder": None}
    train_model(_config(fixtures_root, **{"trainer.num_epochs": 3, **crf}), tmp_path / "whole")
    first = json.loads((tmp_path / "whole" / "metrics_epoch_0.json").read_text())
    last = json.loads((tmp_path / "whole" / "metrics_epoch_2.json").read_text())
    assert last["training_loss"] < first["training_loss"]

    train_model(_config(fixtures_root, **{"trainer.num_epochs": 1, **crf}), tmp_path / "parts")
    train_model(_config(fixtures_root, **{"trainer.num_epochs": 3, **crf}), tmp_path / "parts",
                recover=True)
    whole = load_file(tmp_path / "whole" / "checkpoints" / "epoch_2" / "model.safetensors")
    parts = load_file(tmp_path / "parts" / "checkpoints" / "epoch_2" / "model.safetensors")
    for key in whole:
        torch.testing.assert_close(parts[key], whole[key], rtol=0, atol=1e-6)


def test_exact_feature_crf_with_sparse_adagrad_resumes_exactly(fixtures_root, tmp_path):
    """The shipped crf's model and optimizer: the feature index is rebuilt from the training
    data on resume, and the sparse Adagrad state is restored."""
    from safetensors.torch import load_file

    crf = {"trainer.optimizer": {"type": "adagrad", "lr": 0.1}, "trainer.grad_norm": None,
           "trainer.train_metrics": False, "model.encoder": None,
           "model.embedder": {"type": "window_features", "embedding_dim": None,
                              "num_buckets": None, "sparse": True},
           "model.decoder": {"type": "crf", "projection": False}}
    train_model(_config(fixtures_root, **{"trainer.num_epochs": 3, **crf}), tmp_path / "whole")
    train_model(_config(fixtures_root, **{"trainer.num_epochs": 1, **crf}), tmp_path / "parts")
    train_model(_config(fixtures_root, **{"trainer.num_epochs": 3, **crf}), tmp_path / "parts",
                recover=True)
    whole = load_file(tmp_path / "whole" / "checkpoints" / "epoch_2" / "model.safetensors")
    parts = load_file(tmp_path / "parts" / "checkpoints" / "epoch_2" / "model.safetensors")
    assert whole["embedder.bag.weight"].abs().sum() > 0
    for key in whole:
        torch.testing.assert_close(parts[key], whole[key], rtol=0, atol=1e-6)


def test_steps_per_epoch_counts_batches_cut_by_the_token_cap():
    from nerkit.data.batching import DataLoaderConfig, batch_indices
    from nerkit.training.trainer import steps_per_epoch

    lengths = [3] * 10 + [40] * 6
    assert steps_per_epoch(lengths, DataLoaderConfig(batch_size=4), 1, 1) == 4
    capped = DataLoaderConfig(batch_size=4, max_tokens=80)
    batches = batch_indices(lengths, 4, "bucket", True, seed=3, max_tokens=80)
    assert steps_per_epoch(lengths, capped, 1, 1) == len(batches) == 6
    assert steps_per_epoch(lengths, capped, 2, 2) == 2


def test_validation_runs_inside_the_validating_flag(fixtures_root, tmp_path, monkeypatch):
    """The attention decoder selects epochs with its validation beam, and the archive's final
    evaluation on test data uses the prediction beam."""
    from nerkit.modules.decoders.attention_lstm import AttentionLstmDecoder

    beams = []
    search = AttentionLstmDecoder.search

    def recording(self, encoded, mask, beam_size=None):
        beams.append(self.validation_beam_size if self.validating else self.beam_size)
        return search(self, encoded, mask, beam_size)

    monkeypatch.setattr(AttentionLstmDecoder, "search", recording)
    decoder = {"type": "attention_lstm", "hidden_dim": 8, "beam_size": 3,
               "validation_beam_size": 1}
    config = _config(fixtures_root, **{"trainer.num_epochs": 1, "trainer.train_metrics": False,
                                       "model.decoder": decoder})
    config.update(test_data_path=config["validation_data_path"], evaluate_on_test=True)
    train_model(config, tmp_path)
    assert set(beams) == {1, 3} and beams[0] == 1 and beams[-1] == 3  # validation, then test
