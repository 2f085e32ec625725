"""``nerkit convert``: CoNLL in any tag scheme, and records for annotation tools."""

from __future__ import annotations

import json

import pytest

from nerkit.commands import build_parser
from nerkit.data.dataset_readers import (
    BratDatasetReader,
    ConllDatasetReader,
    JsonlDatasetReader,
    LabelStudioDatasetReader,
    Sighan2006DatasetReader,
)


def run(argv):
    args = build_parser().parse_args([str(a) for a in argv])
    return args.func(args)


def test_convert_to_a_tag_scheme(fixtures_root, tmp_path, capsys):
    source = fixtures_root / "data" / "sighan2006_sample.txt"
    run(["convert", source, tmp_path / "out.bmes", "--reader", "sighan2006",
         "--tag-scheme", "BMES"])
    assert "4 sentences in BMES" in capsys.readouterr().out
    converted = ConllDatasetReader(tag_scheme="auto").read(tmp_path / "out.bmes")
    assert converted[3].entities()[0]["text"] == "毛泽东"


@pytest.mark.parametrize(("output_format", "reader"), [
    ("nerkit", JsonlDatasetReader()), ("doccano", JsonlDatasetReader()),
    ("label-studio", LabelStudioDatasetReader()),
])
def test_convert_for_annotation_tools_round_trips(fixtures_root, tmp_path, capsys,
                                                  output_format, reader):
    source = fixtures_root / "data" / "sighan2006_sample.txt"
    target = tmp_path / "out.json"
    assert run(["convert", source, target, "--reader", "sighan2006",
                "--output-format", output_format]) == 0
    assert f"4 sentences in {output_format}" in capsys.readouterr().out
    original = Sighan2006DatasetReader().read(source)
    assert [(s.text, s.spans) for s in reader.read(target)] == \
        [(s.text, s.spans) for s in original]
    if output_format == "label-studio":
        assert all("annotations" in task for task in json.loads(target.read_text("utf-8")))


def test_convert_to_brat_writes_a_document_that_reads_back(fixtures_root, tmp_path, capsys):
    source = fixtures_root / "data" / "sighan2006_sample.txt"
    assert run(["convert", source, tmp_path / "brat" / "sample.ann", "--reader", "sighan2006",
                "--output-format", "brat"]) == 0
    assert "4 sentences in brat's standoff format" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == ["sample.ann", "sample.txt"]
    original = Sighan2006DatasetReader().read(source)
    assert [(s.text, s.spans) for s in BratDatasetReader().read(tmp_path / "brat")] == \
        [(s.text, s.spans) for s in original]
