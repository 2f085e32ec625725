"""Records for annotation tools: doccano and Label Studio layouts, read back by the readers."""

from __future__ import annotations

import io
import json

import pytest

from nerkit.data.annotation_formats import (
    doccano_record,
    label_studio_task,
    sentence_record,
    write_records,
)
from nerkit.data.dataset_readers import JsonlDatasetReader, LabelStudioDatasetReader
from nerkit.data.sentence import Sentence, Span

SENTENCES = [
    Sentence(list("张三在北京"), [Span(0, 2, "PER"), Span(3, 5, "LOC")], {"id": "a"}),
    Sentence(list("没有"), []),
]
RECORD = {"text": "张三在北京", "entities": [
    {"start": 0, "end": 2, "type": "PER", "text": "张三", "score": 0.9},
    {"start": 3, "end": 5, "type": "LOC", "text": "北京", "score": 0.6}]}


def test_sentence_record_counts_characters_not_tokens():
    sentence = Sentence(["2008", "年", "北", "京"], [Span(2, 4, "LOC")])
    assert sentence_record(sentence) == {"text": "2008年北京", "entities": [
        {"start": 5, "end": 7, "type": "LOC", "text": "北京"}]}
    assert sentence_record(SENTENCES[0])["id"] == "a"


def test_doccano_record():
    assert doccano_record(RECORD) == {"text": "张三在北京",
                                      "label": [[0, 2, "PER"], [3, 5, "LOC"]]}


def test_label_studio_prediction_and_annotation():
    task = label_studio_task(RECORD, as_prediction=True, model_version="m1")
    assert task["data"] == {"text": "张三在北京"} and "annotations" not in task
    prediction = task["predictions"][0]
    assert prediction["model_version"] == "m1" and prediction["score"] == 0.6
    first = prediction["result"][0]
    assert first["from_name"] == "label" and first["to_name"] == "text"
    assert first["type"] == "labels" and first["score"] == 0.9
    assert first["value"] == {"start": 0, "end": 2, "text": "张三", "labels": ["PER"]}
    annotated = label_studio_task(sentence_record(SENTENCES[0]), as_prediction=False)
    assert annotated["id"] == "a" and "predictions" not in annotated
    assert "score" not in annotated["annotations"][0]["result"][0]


@pytest.mark.parametrize("output_format", ["nerkit", "doccano", "label-studio"])
def test_written_records_read_back_as_the_same_sentences(tmp_path, output_format):
    path = tmp_path / "out"
    with path.open("w", encoding="utf-8") as handle:
        count = write_records(map(sentence_record, SENTENCES), handle, output_format,
                              as_prediction=False)
    assert count == 2
    reader = LabelStudioDatasetReader() if output_format == "label-studio" \
        else JsonlDatasetReader()
    read = reader.read(path)
    assert [(s.chars, s.spans) for s in read] == [(s.chars, s.spans) for s in SENTENCES]


def test_label_studio_output_is_one_json_array():
    output = io.StringIO()
    write_records([RECORD, RECORD], output, "label-studio")
    tasks = json.loads(output.getvalue())
    assert len(tasks) == 2 and all("predictions" in t for t in tasks)
    empty = io.StringIO()
    assert write_records([], empty, "label-studio") == 0
    assert json.loads(empty.getvalue()) == []
    with pytest.raises(ValueError, match="output format must be one of"):
        write_records([], io.StringIO(), "brat")


def test_a_lone_surrogate_is_written_as_its_escape():
    output = io.StringIO()
    write_records([{"text": "a\udc80", "entities": []}], output, "doccano")
    assert output.getvalue().encode("utf-8") and "\\udc80" in output.getvalue()
