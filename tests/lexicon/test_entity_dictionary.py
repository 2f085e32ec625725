"""The entity dictionary: file format and errors, leftmost-longest matching, fill and force."""

from __future__ import annotations

import pytest

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.lexicon.entity_dictionary import EntityDictionary

TEXT = "北京大学的张三在北京"
PREDICTED = [{"start": 0, "end": 4, "type": "ORG", "text": "北京大学"},
             {"start": 5, "end": 7, "type": "PER", "text": "张三"}]


def entity(start, end, label, text=TEXT):
    return {"start": start, "end": end, "type": label, "text": text[start:end],
            "source": "dictionary"}


def test_matches_are_leftmost_longest_without_overlaps():
    dictionary = EntityDictionary({"北京": "LOC", "北京大学": "ORG", "大学的张": "X"})
    assert dictionary.matches(TEXT) == [entity(0, 4, "ORG"), entity(8, 10, "LOC")]
    assert EntityDictionary({}).matches(TEXT) == [] and len(dictionary) == 3


def test_fill_adds_only_where_the_model_found_nothing():
    dictionary = EntityDictionary({"北京": "LOC", "学的": "Y"})
    merged = dictionary.apply(TEXT, PREDICTED)
    assert merged == [*PREDICTED, entity(8, 10, "LOC")]


def test_force_replaces_every_overlapping_prediction():
    dictionary = EntityDictionary({"北京": "LOC", "三在": "Z"}, mode="force")
    assert dictionary.apply(TEXT, PREDICTED) == [
        entity(0, 2, "LOC"), entity(6, 8, "Z"), entity(8, 10, "LOC")]


def test_file_format_and_errors(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text("# product names\n北京大学\tORG\n\n张三 PER\n北京大学\tORG\n", encoding="utf-8")
    dictionary = EntityDictionary.from_file(path, "force")
    assert dictionary.mode == "force"
    assert dictionary.matches("张三") == [entity(0, 2, "PER", "张三")]
    for text, message, line in [("北京\tLOC\n上海\n", "expected WORD<TAB>TYPE", 2),
                                ("北京\tLOC\n北京\tORG\n", "listed as LOC and as ORG", 2),
                                ("a\tb\tc\n", "expected WORD<TAB>TYPE", 1)]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataError, match=message) as info:
            EntityDictionary.from_file(path)
        assert f"{path}:{line}:" in str(info.value)
    with pytest.raises(DataError, match="not found"):
        EntityDictionary.from_file(tmp_path / "missing.tsv")
    with pytest.raises(ConfigurationError, match="fill, force"):
        EntityDictionary({}, mode="always")
