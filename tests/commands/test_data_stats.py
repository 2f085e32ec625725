"""``nerkit data-stats``."""

from __future__ import annotations

import json

import pytest

from nerkit.commands import build_parser, main


def run(argv):
    args = build_parser().parse_args(argv)
    return args.func(args)


def test_pfr1998_figures(fixtures_root, capsys):
    assert run(["data-stats", "--reader", "pfr1998",
                str(fixtures_root / "data" / "pfr1998_sample.txt")]) == 0
    out = capsys.readouterr().out
    assert "sentences            6" in out
    assert "PER                4" in out and "ORG                3" in out


def test_conll_scheme_detected_and_problems_listed(tmp_path, capsys):
    path = tmp_path / "a.bio"
    path.write_text("北\tB-LOC\n京\tE-LOC\n\n人\tI-PER\n", encoding="utf-8")
    assert run(["data-stats", str(path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tag_scheme"] == "BIOES" and stats["problems"] == 1
    assert f"{path}:4:" in stats["problem_examples"][0]


def test_reader_args_and_strict_errors(fixtures_root, tmp_path, capsys):
    path = tmp_path / "a.bio"
    path.write_text("北\tI-LOC\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["data-stats", str(path), "--reader-arg", "skip_invalid=false"])
    assert exit_info.value.code == 1
    assert f"{path}:1:" in capsys.readouterr().err
    run(["data-stats", "--reader", "pfr1998", "--reader-arg", 'entity_map={"t": "TIME"}',
         str(fixtures_root / "data" / "pfr1998_sample.txt")])
    assert "TIME" in capsys.readouterr().out


def test_lenient_reading_is_reported(tmp_path, capsys):
    path = tmp_path / "a.bio"
    path.write_text("北\tI-LOC\n京\tI-LOC\n", encoding="utf-8")
    run(["data-stats", str(path), "--reader-arg", "strict=false", "--reader-arg", "tag_scheme=BIO"])
    out = capsys.readouterr().out
    assert "read leniently       1 sentences" in out and "LOC                1" in out
