from __future__ import annotations

import pytest
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.pretrain.output import RunDirectory
from nerkit.training.checkpoints import read_state, write_state


def test_output_appears_only_when_finished(tmp_path):
    run = RunDirectory(tmp_path / "out")
    (run.work / "model.bin").write_text("x")
    run.checkpoint.mkdir()
    assert not (tmp_path / "out").exists()
    assert run.finish() == tmp_path / "out"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["model.bin"]
    assert not run.work.exists()


def test_existing_output_needs_force(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("old")
    with pytest.raises(ConfigurationError, match="--force"):
        RunDirectory(tmp_path / "out")
    run = RunDirectory(tmp_path / "out", force=True)
    (run.work / "new.txt").write_text("new")
    run.finish()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["new.txt"]


def test_leftover_partial_run_is_discarded_unless_resumed(tmp_path):
    run = RunDirectory(tmp_path / "out")
    (run.work / "stale.txt").write_text("x")
    with pytest.raises(ConfigurationError, match="no checkpoint"):
        RunDirectory(tmp_path / "out", resume=True)
    fresh = RunDirectory(tmp_path / "out")
    assert not (fresh.work / "stale.txt").exists()


def test_settings_are_recorded_and_reused_on_resume(tmp_path):
    from nerkit.pretrain.word2vec import Word2VecPretrainSettings

    run = RunDirectory(tmp_path / "out")
    assert run.settings(Word2VecPretrainSettings(dim=7), resume=False).dim == 7
    run.checkpoint.mkdir()
    again = RunDirectory(tmp_path / "out", resume=True)
    assert again.settings(Word2VecPretrainSettings(dim=9), resume=True).dim == 7


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.1)
    model(torch.randn(5, 3)).sum().backward()
    optimizer.step()
    write_state(tmp_path / "ckpt", model, optimizer, {"step": 1, "epoch": 0})
    expected_random = torch.rand(3)
    other = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    other_optimizer = torch.optim.AdamW(other.parameters(), lr=0.5)
    state = read_state(tmp_path / "ckpt", other, other_optimizer)
    assert state == {"step": 1, "epoch": 0}
    assert torch.equal(torch.rand(3), expected_random)
    for a, b in zip(model.parameters(), other.parameters()):
        assert torch.equal(a, b)
    saved, loaded = optimizer.state_dict(), other_optimizer.state_dict()
    assert loaded["param_groups"][0]["lr"] == 0.1
    for key in ("exp_avg", "exp_avg_sq", "step"):
        assert torch.equal(saved["state"][2][key], loaded["state"][2][key])
    assert not any(p.suffix == ".pt" or p.suffix == ".bin" for p in (tmp_path / "ckpt").iterdir())
