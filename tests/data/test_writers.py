"""CoNLL writing: read -> write in every scheme -> read again gives identical spans."""

from __future__ import annotations

import pytest

from nerkit.data.dataset_readers import ConllDatasetReader, JsonlDatasetReader
from nerkit.data.sentence import Sentence, Span
from nerkit.data.tag_schemes import SCHEMES
from nerkit.data.writers import format_conll, write_conll


@pytest.mark.parametrize("scheme", SCHEMES)
def test_round_trip_through_every_scheme(fixtures_root, tmp_path, scheme):
    original = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")
    path = tmp_path / f"out.{scheme.lower()}"
    assert write_conll(original, path, scheme) == len(original)
    for reader_scheme in (scheme, "auto"):
        again = ConllDatasetReader(tag_scheme=reader_scheme).read(path)
        assert [s.chars for s in again] == [s.chars for s in original]
        assert [s.spans for s in again] == [s.spans for s in original]


def test_single_character_entities_survive_bieo(tmp_path):
    sentence = Sentence(list("甲乙丙"), [Span(0, 1, "PER"), Span(1, 3, "LOC")])
    write_conll([sentence], tmp_path / "x.bieo", "BIEO")
    assert (tmp_path / "x.bieo").read_text(encoding="utf-8") == "甲\tB-PER\n乙\tB-LOC\n丙\tE-LOC\n"
    assert ConllDatasetReader(tag_scheme="BIEO").read(tmp_path / "x.bieo")[0].spans == (
        sentence.spans
    )


def test_spaces_survive_and_line_breaks_are_refused(fixtures_root, tmp_path):
    sentences = JsonlDatasetReader().read(fixtures_root / "data" / "entities_sample.jsonl")
    spaced = Sentence(list("a b"), [Span(2, 3, "X")])
    write_conll([*sentences, spaced], tmp_path / "x.bio")
    again = ConllDatasetReader().read(tmp_path / "x.bio")
    assert again[-1].chars == ["a", " ", "b"] and again[-1].spans == spaced.spans
    with pytest.raises(ValueError, match="file.txt:4: character 1"):
        format_conll(Sentence(["a", "\t"], [], {"file": "file.txt", "line": 4}), "BIO")
