"""The jsonl reader: offsets layout, CLUENER layout, overlap policies, errors."""

from __future__ import annotations

import json

import pytest

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.data.dataset_readers import DatasetReader, JsonlDatasetReader
from nerkit.data.sentence import Span


def write(tmp_path, *records):
    path = tmp_path / "data.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_offsets_layout(fixtures_root):
    sentences = JsonlDatasetReader().read(fixtures_root / "data" / "entities_sample.jsonl")
    assert len(sentences) == 3
    assert sentences[0].spans == [Span(0, 3, "PER"), Span(4, 6, "LOC"), Span(9, 14, "ORG")]
    assert sentences[0].meta["id"] == "a1" and sentences[1].meta["line"] == 3
    assert sentences[2].spans == []


def test_cluener_layout_has_inclusive_ends(fixtures_root):
    sentences = JsonlDatasetReader().read(fixtures_root / "data" / "cluener_sample.jsonl")
    assert sentences[0].spans == [Span(0, 4, "company"), Span(9, 12, "name")]
    assert [e["text"] for e in sentences[1].entities()] == ["CSOL"]


NESTED = {"text": "北京大学在北京", "entities": [
    {"start": 0, "end": 4, "type": "ORG"}, {"start": 0, "end": 2, "type": "LOC"},
    {"start": 5, "end": 7, "type": "LOC"}, {"start": 5, "end": 7, "type": "LOC"},
]}


def test_overlap_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, {"text": "好", "entities": []}, NESTED)
    with pytest.raises(DataError, match="overlap") as info:
        JsonlDatasetReader().read(path)
    assert f"{path}:2:" in str(info.value)


@pytest.mark.parametrize(
    ("policy", "spans"),
    [
        ("keep_longest", [Span(0, 4, "ORG"), Span(5, 7, "LOC")]),
        ("keep_first", [Span(0, 4, "ORG"), Span(5, 7, "LOC")]),
    ],
)
def test_overlap_policies(tmp_path, policy, spans):
    reader = JsonlDatasetReader(overlap=policy)
    assert reader.read(write(tmp_path, NESTED))[0].spans == spans
    assert reader.dropped_entities == 1


def test_keep_first_prefers_the_earlier_start(tmp_path):
    record = {"text": "abcdef", "entities": [
        {"start": 0, "end": 2, "type": "A"}, {"start": 1, "end": 6, "type": "B"}]}
    assert JsonlDatasetReader(overlap="keep_first").read(write(tmp_path, record))[0].spans == [
        Span(0, 2, "A")
    ]
    assert JsonlDatasetReader(overlap="keep_longest").read(write(tmp_path, record))[0].spans == [
        Span(1, 6, "B")
    ]


def test_unknown_overlap_policy_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="overlap must be one of"):
        DatasetReader.from_config({"type": "jsonl", "overlap": "merge"})


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"txt": "a"}, '"text" string'),
        ({"text": "ab", "entities": [{"start": 0, "end": 3, "type": "X"}]}, "outside the text"),
        ({"text": "ab", "entities": [{"start": 0, "type": "X"}]}, "expected an entity"),
        ({"text": "ab", "entities": [{"start": 0, "end": 1, "type": "X", "text": "b"}]},
         "says 'b'"),
        ({"text": "ab", "label": {"X": {"b": [[0, 0]]}}}, "inclusive"),
        ({"text": "ab", "label": {"X": {"a": [0, 0]}}}, "expected \\[start, end\\]"),
    ],
)
def test_malformed_records_name_file_and_line(tmp_path, record, message):
    path = write(tmp_path, {"text": "好"}, record)
    with pytest.raises(DataError, match=message) as info:
        JsonlDatasetReader().read(path)
    assert info.value.line == 2 and f"{path}:2:" in str(info.value)


def test_skip_invalid(tmp_path):
    reader = JsonlDatasetReader(skip_invalid=True)
    sentences = reader.read(write(tmp_path, "{bad", {"text": "好"}))
    assert [s.text for s in sentences] == ["好"] and reader.skipped == 1


def test_doccano_layouts(tmp_path):
    path = write(
        tmp_path,
        {"id": 3, "text": "张三在北京", "label": [[3, 5, "LOC"], [0, 2, "PER"]]},
        {"text": "李四", "entities": [{"id": 1, "start_offset": 0, "end_offset": 2,
                                      "label": "PER"}], "relations": []},
    )
    sentences = JsonlDatasetReader().read(path)
    assert [s.spans for s in sentences] == [[Span(0, 2, "PER"), Span(3, 5, "LOC")],
                                            [Span(0, 2, "PER")]]
    assert sentences[0].meta["id"] == 3


@pytest.mark.parametrize(("record", "message"), [
    ({"text": "张三", "label": [[0, 2]]}, 'doccano\'s \\[start, end, "TYPE"\\]'),
    ({"text": "张三", "label": [[0, 3, "PER"]]}, "outside the text"),
    ({"text": "张三", "entities": [{"start_offset": 0, "label": "PER"}]}, "start_offset"),
])
def test_bad_doccano_records_name_the_line(tmp_path, record, message):
    path = write(tmp_path, {"text": "好"}, record)
    with pytest.raises(DataError, match=message) as info:
        JsonlDatasetReader().read(path)
    assert f"{path}:2:" in str(info.value)
