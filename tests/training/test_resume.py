"""A run SIGKILLed mid-epoch and restarted with -r ends with the same weights as an unbroken run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file

EPOCHS = 4  # 11 fixture sentences, batch 4: 3 steps per epoch


def _train(fixtures: Path, directory: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(fixtures / "plugins"), "OMP_NUM_THREADS": "1"}
    command = [
        sys.executable, "-m", "nerkit", "train", str(fixtures / "configs" / "tagger_crf.jsonnet"),
        "-s", str(directory), "--arg", f"fixtures={fixtures}", "--arg", f"num_epochs={EPOCHS}",
        "-o", "trainer.train_metrics=false", *extra,
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _final_weights(directory: Path) -> dict[str, torch.Tensor]:
    latest = json.loads((directory / "checkpoints" / "latest.json").read_text())
    assert latest["epoch"] == EPOCHS - 1
    return load_file(directory / "checkpoints" / latest["path"] / "model.safetensors")


def test_killed_run_resumes_to_identical_weights(fixtures_root, tmp_path):
    unbroken = _train(fixtures_root, tmp_path / "unbroken")
    assert unbroken.returncode == 0, unbroken.stderr[-2000:]

    kill = json.dumps([{"type": "kill_once_at_step", "step": 8,
                        "marker": str(tmp_path / "killed")}])
    plugin = ["--include-package", "nerkit_kill_switch", "-o", f"trainer.callbacks={kill}"]
    killed = _train(fixtures_root, tmp_path / "broken", *plugin)
    assert killed.returncode == -9, killed.stderr[-2000:]
    latest = json.loads((tmp_path / "broken" / "checkpoints" / "latest.json").read_text())
    assert latest["epoch"] == 1  # step 8 is inside epoch 2; epochs 0 and 1 were complete
    assert not (tmp_path / "broken" / "model.tar.gz").exists()

    resumed = _train(fixtures_root, tmp_path / "broken", *plugin, "--recover")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resumed after epoch 1" in resumed.stderr

    expected, actual = _final_weights(tmp_path / "unbroken"), _final_weights(tmp_path / "broken")
    assert expected.keys() == actual.keys()
    for key in expected:
        torch.testing.assert_close(actual[key], expected[key], rtol=0, atol=1e-6)
    assert (tmp_path / "broken" / "model.tar.gz").is_file()


def test_recover_refuses_an_empty_directory(fixtures_root, tmp_path):
    result = _train(fixtures_root, tmp_path / "nothing", "--recover")
    assert result.returncode == 1
    assert "nothing to resume" in result.stderr


def test_existing_directory_needs_force_or_recover(fixtures_root, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    result = _train(fixtures_root, tmp_path / "used")
    assert result.returncode == 1
    assert "--recover" in result.stderr and "--force" in result.stderr


def _assert_same_final_weights(expected_dir: Path, actual_dir: Path) -> None:
    expected, actual = _final_weights(expected_dir), _final_weights(actual_dir)
    assert expected.keys() == actual.keys()
    for key in expected:
        torch.testing.assert_close(actual[key], expected[key], rtol=0, atol=1e-6)


def test_killed_within_an_epoch_resumes_from_the_mid_epoch_checkpoint(fixtures_root, tmp_path):
    every_step = ("-o", "trainer.checkpoint_every_minutes=1e-9")
    unbroken = _train(fixtures_root, tmp_path / "unbroken", *every_step)
    assert unbroken.returncode == 0, unbroken.stderr[-2000:]
    kill = json.dumps([{"type": "kill_once_at_step", "step": 8,
                        "marker": str(tmp_path / "killed")}])
    plugin = ["--include-package", "nerkit_kill_switch", "-o", f"trainer.callbacks={kill}"]
    killed = _train(fixtures_root, tmp_path / "broken", *every_step, *plugin)
    assert killed.returncode == -9, killed.stderr[-2000:]
    latest = json.loads((tmp_path / "broken" / "checkpoints" / "latest.json").read_text())
    assert (latest["epoch"], latest["batch"]) == (2, 1)  # step 7 = epoch 2's first batch

    resumed = _train(fixtures_root, tmp_path / "broken", *every_step, *plugin, "--recover")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resumed in epoch 2 after batch 1" in resumed.stderr
    _assert_same_final_weights(tmp_path / "unbroken", tmp_path / "broken")


def test_sigterm_writes_a_checkpoint_and_the_run_resumes_exactly(fixtures_root, tmp_path):
    unbroken = _train(fixtures_root, tmp_path / "unbroken")
    assert unbroken.returncode == 0, unbroken.stderr[-2000:]
    term = json.dumps([{"type": "signal_once_at_step", "step": 5, "signal_name": "SIGTERM",
                        "marker": str(tmp_path / "signalled")}])
    plugin = ["--include-package", "nerkit_kill_switch", "-o", f"trainer.callbacks={term}"]
    stopped = _train(fixtures_root, tmp_path / "broken", *plugin)
    assert stopped.returncode == 1, stopped.stderr[-2000:]
    assert "interrupted by SIGTERM in epoch 1 after batch 2" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    latest = json.loads((tmp_path / "broken" / "checkpoints" / "latest.json").read_text())
    assert (latest["epoch"], latest["batch"]) == (1, 2)

    resumed = _train(fixtures_root, tmp_path / "broken", *plugin, "--recover")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    _assert_same_final_weights(tmp_path / "unbroken", tmp_path / "broken")
