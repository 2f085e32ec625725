"""Mixed precision on the CPU: when bf16 applies, and that every decoder trains under it."""

from __future__ import annotations

import logging
import math

import pytest
import torch

from nerkit.common import precision
from nerkit.common.config import load_config
from nerkit.common.errors import ConfigurationError
from nerkit.pretrain.loop import LoopSettings, train_steps
from nerkit.training.experiment import train_model

CPU, CUDA = torch.device("cpu"), torch.device("cuda")


@pytest.fixture
def native_bf16(monkeypatch):
    """Pretend the CPU has AMX, so autocast engages wherever the tests run (it is emulated,
    and slower, on CPUs without it, but computes the same way)."""
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: True)


def test_cuda_takes_both_dtypes_and_none_means_float32():
    assert precision.amp_dtype("bf16", CUDA) is torch.bfloat16
    assert precision.amp_dtype("fp16", CUDA) is torch.float16
    assert precision.amp_dtype(None, CPU) is None


def test_cpu_takes_bf16_only_where_the_hardware_has_it(monkeypatch, caplog):
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: True)
    assert precision.amp_dtype("bf16", CPU) is torch.bfloat16
    with caplog.at_level(logging.WARNING):
        assert precision.amp_dtype("fp16", CPU) is None
    assert "amp=fp16 ignored on the CPU" in caplog.text
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: False)
    with caplog.at_level(logging.WARNING):
        assert precision.amp_dtype("bf16", CPU) is None
    assert "no native bfloat16" in caplog.text


def test_unknown_amp_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="amp must be null, 'bf16' or 'fp16'"):
        precision.amp_dtype("int8", CPU)


def test_autocast_is_a_no_op_without_a_dtype():
    with precision.autocast(CPU, None):
        assert not torch.is_autocast_enabled("cpu")
    with precision.autocast(CPU, torch.bfloat16):
        assert torch.is_autocast_enabled("cpu")
        assert torch.get_autocast_dtype("cpu") is torch.bfloat16


@pytest.mark.parametrize("decoder", ["crf", "softmax", "attention_lstm"])
def test_every_decoder_trains_under_cpu_bf16(fixtures_root, tmp_path, native_bf16, decoder):
    config = load_config(fixtures_root / "configs" / "tagger_crf.jsonnet",
                         tla_vars={"fixtures": str(fixtures_root), "decoder": decoder},
                         overrides={"trainer.amp": "bf16", "trainer.num_epochs": 2})
    model = train_model(config, tmp_path)
    assert {p.dtype for p in model.parameters()} == {torch.float32}  # float32 master weights
    metrics = (tmp_path / "metrics.json").read_text()
    assert '"best_validation_f1"' in metrics and "NaN" not in metrics


def test_window_feature_crf_trains_under_cpu_bf16(fixtures_root, tmp_path, native_bf16):
    """The sparse feature sum has no bfloat16 kernel: it stays float32 inside autocast."""
    config = load_config(fixtures_root / "configs" / "tagger_crf.jsonnet",
                         tla_vars={"fixtures": str(fixtures_root)},
                         overrides={"trainer.amp": "bf16", "trainer.num_epochs": 1,
                                    "model.embedder": {"type": "window_features", "l2": 0.1},
                                    "model.encoder": {"type": "pass_through"}})
    train_model(config, tmp_path)


def test_pretraining_loop_computes_losses_under_autocast(tmp_path, native_bf16):
    model = torch.nn.Linear(3, 1)
    seen: list[torch.dtype] = []

    def loss_of(batch: torch.Tensor, step: int) -> torch.Tensor:
        output = model(batch)
        seen.append(output.dtype)
        return output.float().pow(2).mean()

    result = train_steps(model, lambda epoch: [torch.ones(2, 3)], loss_of,
                         LoopSettings(max_steps=2, learning_rate=0.01), tmp_path, amp="bf16")
    assert seen == [torch.bfloat16, torch.bfloat16] and math.isfinite(result.final_loss)
    assert model.weight.dtype is torch.float32
