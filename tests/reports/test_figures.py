from __future__ import annotations

import builtins

import pytest

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.reports.figures import plot_epoch_curves
from nerkit.reports.runs import load_run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def runs(fixtures_root):
    names = ("crf", "bilstm_crf", "bert_seq2seq_att")
    return [load_run(fixtures_root / "runs" / name) for name in names]


def test_writes_png(runs, tmp_path):
    output = plot_epoch_curves(runs, tmp_path / "sub" / "f1.png", title="dev F1")
    assert output.read_bytes()[:8] == PNG_MAGIC


def test_metric_missing_in_a_run(runs, tmp_path):
    with pytest.raises(DataError, match="no metrics_epoch_N.json reports 'test_f1'"):
        plot_epoch_curves(runs, tmp_path / "f1.png", metric="test_f1")


def test_matplotlib_missing(runs, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ConfigurationError, match=r"pip install 'nerkit\[plot\]'"):
        plot_epoch_curves(runs, tmp_path / "f1.png")


def test_minutes_axis(runs, tmp_path):
    minutes, values = runs[1].minutes_curve()
    assert minutes == pytest.approx([12.5 / 60, 25 / 60, 37.5 / 60])
    assert values == [v for _, v in zip(*runs[1].epoch_curve())]
    output = plot_epoch_curves(runs, tmp_path / "f1.png", x_axis="minutes")
    assert output.read_bytes()[:8] == PNG_MAGIC
    with pytest.raises(ConfigurationError, match="epoch or minutes"):
        plot_epoch_curves(runs, tmp_path / "f1.png", x_axis="hours")


def test_minutes_need_epoch_seconds(tmp_path):
    import json

    (tmp_path / "metrics_epoch_0.json").write_text(json.dumps({"epoch": 0, "validation_f1": 0.5}))
    with pytest.raises(DataError, match="epoch 0 has no epoch_seconds"):
        load_run(tmp_path).minutes_curve()
