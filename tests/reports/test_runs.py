from __future__ import annotations

import json

import pytest

from nerkit.common.errors import DataError
from nerkit.reports.runs import load_run


def test_load_finished_run(fixtures_root):
    run = load_run(fixtures_root / "runs" / "bilstm_crf")
    assert run.name == "bilstm_crf"
    assert [e["epoch"] for e in run.epochs] == [0, 1, 2]
    assert run.model_summary() == "embedding+lstm+crf"
    assert run.scores("validation")["f1"] == pytest.approx(0.845)
    assert run.scores("test")["f1-ORG"] == pytest.approx(0.735)


def test_unfinished_run_uses_best_epoch(fixtures_root):
    run = load_run(fixtures_root / "runs" / "bert_seq2seq_att")
    assert run.metrics == {}
    assert run.scores("validation")["f1"] == pytest.approx(0.915)


def test_missing_split_names_the_run(fixtures_root):
    run = load_run(fixtures_root / "runs" / "crf")
    with pytest.raises(DataError, match=r"runs/crf: no test scores"):
        run.scores("test")
    with pytest.raises(ValueError, match="unknown split"):
        run.scores("dev")


def test_epoch_files_sorted_numerically(tmp_path):
    for epoch in (10, 2, 1):
        (tmp_path / f"metrics_epoch_{epoch}.json").write_text(
            json.dumps({"epoch": epoch, "validation_f1": epoch / 10})
        )
    (tmp_path / "metrics_epoch_x.json").write_text("{}")
    epochs, values = load_run(tmp_path).epoch_curve()
    assert epochs == [1, 2, 10]
    assert values == [0.1, 0.2, 1.0]


def test_empty_or_broken_directories(tmp_path):
    with pytest.raises(DataError, match="no metrics.json"):
        load_run(tmp_path)
    with pytest.raises(DataError, match="not a run directory"):
        load_run(tmp_path / "absent")
    (tmp_path / "metrics.json").write_text("{oops")
    with pytest.raises(DataError, match="invalid JSON"):
        load_run(tmp_path)
