from __future__ import annotations

import pytest

from nerkit.commands import main


def run_cli(*argv):
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    return exit_info.value.code


def test_markdown_table_to_stdout(fixtures_root, capsys):
    runs = fixtures_root / "runs"
    assert run_cli("compare", runs / "crf", runs / "bilstm_crf", runs / "bert_seq2seq_att") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[2].startswith("| crf | 80.00 | 72.00 | 75.79 |")
    assert lines[4].startswith("| bert_seq2seq_att | 92.00 | 91.00 | 91.50 | 97.00 |")


def test_csv_test_split_to_file(fixtures_root, tmp_path):
    output = tmp_path / "table.csv"
    code = run_cli("compare", fixtures_root / "runs" / "bilstm_crf", "--split", "test",
                   "--format", "csv", "--name", "model", "--output", output)
    assert code == 0
    lines = output.read_text().splitlines()
    assert lines[0].startswith("System,P,R,F1,PER P")
    assert lines[1].startswith("embedding+lstm+crf,84.00,83.00,83.50,89.00")


def test_missing_split_is_a_clean_error(fixtures_root, capsys):
    assert run_cli("compare", fixtures_root / "runs" / "crf", "--split", "test") == 1
    assert "no test scores" in capsys.readouterr().err
