"""DDP on CPU (gloo, 2 processes, torchrun): exact metrics, rank-0 files, 1-process parity."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nerkit.archive import load_archive
from nerkit.predictor import evaluate_sentences


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _train(fixtures: Path, directory: Path, processes: int, *overrides: str) -> None:
    launcher = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node",
                str(processes), "--master_addr", "127.0.0.1", "--master_port", str(_free_port())]
    command = [
        *(launcher if processes > 1 else [sys.executable]), "-m", "nerkit", "train",
        str(fixtures / "configs" / "tagger_crf.jsonnet"), "-s", str(directory),
        "--arg", f"fixtures={fixtures}", "--arg", "num_epochs=2", *overrides,
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def _best(directory: Path, metric: str = "f1") -> float:
    return json.loads((directory / "metrics.json").read_text())[f"best_validation_{metric}"]


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory) -> Path:
    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    directory = tmp_path_factory.mktemp("ddp") / "run"
    _train(fixtures, directory, 2)
    return directory


def test_rank_zero_writes_one_archive_and_metrics(ddp_run):
    assert (ddp_run / "model.tar.gz").is_file()
    assert sorted(p.name for p in ddp_run.glob("metrics_epoch_*.json")) == [
        "metrics_epoch_0.json", "metrics_epoch_1.json"]


def test_all_reduced_f1_is_exact(ddp_run, fixtures_root):
    """The F1 DDP reported for the best epoch equals a 1-process evaluation of those weights."""
    archive = load_archive(ddp_run / "model.tar.gz")
    sentences = archive.reader.read(fixtures_root / "data" / "tiny.bio")
    single = evaluate_sentences(archive.model, sentences)
    assert single["f1"] == pytest.approx(_best(ddp_run), abs=1e-9)
    assert single["accuracy"] == pytest.approx(_best(ddp_run, "accuracy"), abs=1e-9)


def test_same_f1_as_one_process_when_weights_agree(fixtures_root, tmp_path):
    """With learning rate 0 both runs keep the seed's weights: every metric must match."""
    frozen = "trainer.optimizer.lr=0"
    _train(fixtures_root, tmp_path / "one", 1, "-o", frozen)
    _train(fixtures_root, tmp_path / "two", 2, "-o", frozen)
    for metric in ("f1", "accuracy", "loss"):
        one, two = _best(tmp_path / "one", metric), _best(tmp_path / "two", metric)
        assert two == pytest.approx(one, rel=1e-5, abs=1e-6), metric
    assert 0 < _best(tmp_path / "one", "accuracy") < 1
