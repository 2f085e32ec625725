from __future__ import annotations

import pytest

from nerkit.reports.runs import load_run
from nerkit.reports.tables import score_table


@pytest.fixture
def runs(fixtures_root):
    return [load_run(fixtures_root / "runs" / name) for name in ("crf", "bilstm_crf")]


def test_header_and_rows(runs):
    table = score_table(runs)
    assert table.header[:4] == ["System", "P", "R", "F1"]
    assert table.header[4:7] == ["PER P", "PER R", "PER F1"]
    assert len(table.header) == 13
    # crf's best epoch is its second: P 0.80, R 0.72, F1 0.7579
    assert table.rows[0][:4] == ["crf", "80.00", "72.00", "75.79"]
    assert table.rows[1][table.header.index("ORG F1")] == "74.50"


def test_markdown_and_csv(runs):
    table = score_table(runs, types=["PER", "MISC"], names=["CRF", "BiLSTM-CRF"])
    markdown = table.to_markdown().splitlines()
    assert markdown[0].startswith("| System | P | R | F1 | PER P")
    assert markdown[1].startswith("| --- | ---: |")
    assert markdown[3].startswith("| BiLSTM-CRF | 85.00 | 84.00 | 84.50 | 90.00 |")
    assert markdown[3].endswith("| - | - | - |")
    csv_lines = table.render("csv").splitlines()
    assert csv_lines[1].startswith("CRF,80.00,72.00,75.79")
    with pytest.raises(ValueError, match="unknown table format"):
        table.render("html")
