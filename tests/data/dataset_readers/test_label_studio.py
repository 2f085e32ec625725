"""The label_studio reader: annotations or predictions, task lines, offsets, errors."""

from __future__ import annotations

import json

import pytest

from nerkit.common.errors import DataError
from nerkit.data.dataset_readers import DatasetReader, LabelStudioDatasetReader
from nerkit.data.dataset_readers.label_studio import json_array_items
from nerkit.data.sentence import Span


def labels(start, end, text, *types):
    return {"type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": text, "labels": list(types)}}


def task(text, *results, key="annotations", **extra):
    return {"data": {"text": text}, key: [{"result": list(results)}], **extra}


def write(tmp_path, tasks):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_reads_the_last_annotation_not_cancelled(tmp_path):
    first = task("张三在北京", labels(0, 2, "张三", "PER"), id=7)
    first["annotations"] += [{"result": [labels(3, 5, "北京", "LOC")]},
                             {"result": [], "was_cancelled": True}]
    second = task("没有实体", {"type": "choices", "value": {"choices": ["ok"]}})
    path = write(tmp_path, [first, second])
    sentences = LabelStudioDatasetReader().read(path)
    assert [s.spans for s in sentences] == [[Span(3, 5, "LOC")], []]
    assert sentences[0].meta == {"id": 7, "file": str(path), "line": 2}
    assert sentences[1].meta["line"] == text_line_of(path, 1)
    assert DatasetReader.by_name("label_studio") is LabelStudioDatasetReader


def text_line_of(path, index):
    """The line task ``index`` starts on, counted by hand."""
    starts = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
              if line == "  {"]
    return starts[index]


def test_predictions_and_unannotated_tasks(tmp_path):
    predicted = task("李四", labels(0, 2, "李四", "PER"), key="predictions")
    path = write(tmp_path, [predicted, task("王五", labels(0, 2, "王五", "PER"))])
    reader = LabelStudioDatasetReader()
    assert [s.text for s in reader.read(path)] == ["王五"]
    assert reader.unannotated_tasks == 1
    reader = LabelStudioDatasetReader(from_predictions=True)
    assert [s.spans for s in reader.read(path)] == [[Span(0, 2, "PER")]]


def test_text_field_and_overlap_policy(tmp_path):
    nested = {"data": {"sentence": "北京大学"}, "annotations": [{"result": [
        labels(0, 4, "北京大学", "ORG"), labels(0, 2, "北京", "LOC")]}]}
    path = write(tmp_path, [nested])
    with pytest.raises(DataError, match='no text in data\\["text"\\]'):
        LabelStudioDatasetReader().read(path)
    with pytest.raises(DataError, match="overlap"):
        LabelStudioDatasetReader(text_field="sentence").read(path)
    reader = LabelStudioDatasetReader(text_field="sentence", overlap="keep_longest")
    assert reader.read(path)[0].spans == [Span(0, 4, "ORG")]
    assert reader.dropped_entities == 1


def test_utf16_offsets_of_old_exports_are_converted(tmp_path):
    # "😀" is one character but two UTF-16 units: an old export puts 北京 at 3-5
    path = write(tmp_path, [task("😀在北京", labels(3, 5, "北京", "LOC"))])
    sentence = LabelStudioDatasetReader().read(path)[0]
    assert sentence.spans == [Span(2, 4, "LOC")] and sentence.entities()[0]["text"] == "北京"


@pytest.mark.parametrize(("result", "message"), [
    (labels(0, 2, "张三", "PER", "ORG"), "exactly one label"),
    (labels(0, 2, "李四", "PER"), "says '李四' but the text there is '张三'"),
    (labels(0, 9, "张三", "PER"), "outside the text"),
])
def test_a_bad_span_names_its_task_line(tmp_path, result, message):
    path = write(tmp_path, [task("好", labels(0, 1, "好", "X")), task("张三", result)])
    with pytest.raises(DataError, match=message) as info:
        LabelStudioDatasetReader().read(path)
    assert f"{path}:{text_line_of(path, 1)}:" in str(info.value)
    reader = LabelStudioDatasetReader(skip_invalid=True)
    assert [s.text for s in reader.read(path)] == ["好"] and reader.skipped == 1


def test_not_an_array_or_broken_json(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{"data": {"text": "x"}}', encoding="utf-8")
    with pytest.raises(DataError, match="expected a JSON array of tasks") as info:
        LabelStudioDatasetReader().read(path)
    assert f"{path}:1:" in str(info.value)
    path.write_text('[\n {"data": {"text": "x"}, "annotations": []},\n {"data": oops}\n]',
                    encoding="utf-8")
    with pytest.raises(DataError, match="not valid JSON") as info:
        LabelStudioDatasetReader().read(path)
    assert f"{path}:3:" in str(info.value)


def test_json_array_items_gives_each_element_its_line():
    text = '[1,\n\n  {"a":\n 2}, [3]\n]'
    assert list(json_array_items(text)) == [(1, 1), (3, {"a": 2}), (4, [3])]
    assert list(json_array_items(" [ ] ")) == []


def test_json_min_export(tmp_path):
    tasks = [{"id": 4, "text": "张三在北京", "annotator": 1, "annotation_id": 9,
              "label": [{"start": 0, "end": 2, "text": "张三", "labels": ["PER"]},
                        {"start": 3, "end": 5, "text": "北京", "labels": ["LOC"]}]},
             {"id": 5, "text": "没有实体"}]
    sentences = LabelStudioDatasetReader().read(write(tmp_path, tasks))
    assert [s.spans for s in sentences] == [[Span(0, 2, "PER"), Span(3, 5, "LOC")], []]
    assert sentences[0].meta["id"] == 4
    with pytest.raises(DataError, match="JSON-MIN"):
        LabelStudioDatasetReader().read(write(tmp_path, [{"text": "x", "label": "PER"}]))
