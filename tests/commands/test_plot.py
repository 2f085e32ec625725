from __future__ import annotations

import pytest

from nerkit.commands import main


def test_plot_writes_png(fixtures_root, tmp_path, capsys):
    runs = fixtures_root / "runs"
    output = tmp_path / "f1.png"
    with pytest.raises(SystemExit) as exit_info:
        main(["plot", str(runs / "crf"), str(runs / "bilstm_crf"), "-o", str(output)])
    assert exit_info.value.code == 0
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(output) in capsys.readouterr().out


def test_plot_loss_by_model_name(fixtures_root, tmp_path):
    output = tmp_path / "loss.svg"
    with pytest.raises(SystemExit) as exit_info:
        main(["plot", str(fixtures_root / "runs" / "crf"), "-o", str(output),
              "--metric", "validation_loss", "--name", "model"])
    assert exit_info.value.code == 0
    assert output.read_text().lstrip().startswith("<?xml")
