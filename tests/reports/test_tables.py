from __future__ import annotations

import json

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


def _seed_runs(tmp_path, name, f1s, seconds=60.0):
    """Runs of one config under ``tmp_path/name/seed<N>`` with the given overall F1s."""

    directories = []
    for seed, f1 in enumerate(f1s, start=13):
        directory = tmp_path / name / f"seed{seed}"
        directory.mkdir(parents=True)
        (directory / "config.json").write_text(json.dumps({"model": name, "random_seed": seed}))
        (directory / "metrics.json").write_text(json.dumps({
            "training_seconds": seconds, "best_validation_f1": f1,
            "best_validation_precision": f1, "best_validation_recall": f1,
            "best_validation_f1-PER": f1 / 2}))
        directories.append(directory)
    return [load_run(d) for d in directories]


def test_seeds_of_one_config_form_one_row_of_mean_and_std(tmp_path):
    from nerkit.reports.runs import group_runs
    from nerkit.reports.tables import grouped_score_table

    runs = _seed_runs(tmp_path, "crf", [0.80, 0.82, 0.84]) + _seed_runs(tmp_path, "flat", [0.0])
    groups = group_runs(runs)
    assert [(name, len(members)) for name, members in groups] == [("crf", 3), ("flat", 1)]
    table = grouped_score_table(groups, types=["PER"])
    assert table.header[:6] == ["System", "Runs", "Minutes", "P", "R", "F1"]
    assert table.rows[0][:6] == ["crf", "3", "1 ± 0", "82.00 ± 2.00", "82.00 ± 2.00",
                                 "82.00 ± 2.00"]
    assert table.rows[0][table.header.index("PER F1")] == "41.00 ± 1.00"
    assert table.rows[0][table.header.index("PER P")] == "-"
    assert table.rows[1][0] == "flat (invalid: F1 0, did not learn)"
    assert table.rows[1][5] == "0.00"


def test_options_added_as_null_since_a_run_do_not_split_its_group(tmp_path):
    from nerkit.reports.runs import group_runs

    old, new = _seed_runs(tmp_path, "crf", [0.80, 0.82])
    loader = {"batch_size": 32, "max_tokens": None}
    new.config.update(data_loader=loader, trainer={"lr": 0.1, "max_minutes": None})
    old.config.update(data_loader={"batch_size": 32}, trainer={"lr": 0.1})
    assert [len(members) for _, members in group_runs([old, new])] == [2]
    new.config["data_loader"]["max_tokens"] = 4096
    groups = group_runs([old, new])
    assert [len(members) for _, members in groups] == [1, 1]
    assert [name for name, _ in groups] == ["crf", "crf (data_loader.max_tokens=4096)"]


def test_compare_group_flag(tmp_path, capsys):
    from nerkit.commands import main

    runs = _seed_runs(tmp_path, "crf", [0.80, 0.84])
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--group", *map(str, (r.directory for r in runs))])
    assert exit_info.value.code == 0
    assert "| crf | 2 | 1 ± 0 | 82.00 ± 2.83 |" in capsys.readouterr().out


def test_options_added_at_their_default_since_a_run_do_not_split_its_group(tmp_path):
    from nerkit.reports.runs import group_runs

    old, new = _seed_runs(tmp_path, "crf", [0.80, 0.82])
    old.config["model"] = {"type": "tagger", "decoder": {"type": "crf", "dropout": 0.0}}
    new.config["model"] = {"type": "tagger",
                           "decoder": {"type": "crf", "dropout": 0.0, "projection": True}}
    assert [len(members) for _, members in group_runs([old, new])] == [2]
    new.config["model"]["decoder"]["projection"] = False  # not the default: another experiment
    assert [len(members) for _, members in group_runs([old, new])] == [1, 1]
    new.config["model"]["decoder"]["projection"] = 1  # JSON 1 is not the default true
    assert [len(members) for _, members in group_runs([old, new])] == [1, 1]


def test_ignored_keys_do_not_split_a_group(tmp_path, capsys):
    from nerkit.commands import main
    from nerkit.reports.runs import group_runs

    old, new = _seed_runs(tmp_path, "seq2seq", [0.80, 0.84])
    old.config["model"] = {"decoder": {"beam_size": 1}}
    new.config["model"] = {"decoder": {"beam_size": 4, "validation_beam_size": 1}}
    assert [len(members) for _, members in group_runs([old, new])] == [1, 1]
    ignore = ["model.decoder.beam_size", "model.decoder.validation_beam_size", "no.such.key"]
    assert [len(members) for _, members in group_runs([old, new], ignore=ignore)] == [2]
    assert new.config["model"]["decoder"]["beam_size"] == 4  # the runs' own configs are kept
    for run in (old, new):
        (run.directory / "config.json").write_text(json.dumps(run.config))
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", "--group", "--ignore", "model.decoder.beam_size",
              "--ignore", "model.decoder.validation_beam_size",
              *map(str, (r.directory for r in (old, new)))])
    assert exit_info.value.code == 0
    assert "| seq2seq | 2 |" in capsys.readouterr().out


def test_seed_only_directories_are_named_with_their_system(tmp_path):
    from nerkit.commands.compare import system_names

    runs = _seed_runs(tmp_path, "crf", [0.8])
    assert system_names(runs, "dir") == ["crf/seed13"]
