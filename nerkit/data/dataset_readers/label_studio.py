"""``label_studio``: Label Studio's JSON export of a named-entity project, read as Sentences.

The export is one JSON array of tasks::

    [{"id": 7, "data": {"text": "..."},
      "annotations": [{"was_cancelled": false, "result": [
          {"type": "labels", "value": {"start": 0, "end": 2, "text": "北京", "labels": ["LOC"]}}
      ]}],
      "predictions": [...]}]

Each task's last annotation that was not cancelled is its gold (or, with ``from_predictions``,
its last prediction: the pre-annotations ``nerkit predict --output-format label-studio`` made).
The JSON-MIN export (``[{"id", "text": "...", "label": [{"start", "end", "text", "labels"}]}]``,
one annotation per task) is read too.
Results of other types (relations, choices) are ignored. Offsets are characters, end exclusive,
and each span's ``text`` is checked against the task's text; an export of a Label Studio that
counted UTF-16 units (before 1.4, with emoji in the text) is recognised and converted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.dataset_readers.jsonl import BadRecord, JsonlDatasetReader, checked_span
from nerkit.data.sentence import Sentence, Span
from nerkit.data.text_file import iter_lines

logger = logging.getLogger(__name__)


@DatasetReader.register("label_studio")
class LabelStudioDatasetReader(JsonlDatasetReader):
    """Label Studio's JSON export (a list of tasks) with ``labels`` results on a text.

    Args:
        text_field: The key of the text in each task's ``data`` (``$text`` in the labeling
            config's ``<Text value="$text"/>``).
        from_predictions: Read each task's last prediction instead of its annotations.
        overlap: As for ``jsonl``: ``"error"``, ``"keep_longest"`` or ``"keep_first"``.
        **kwargs: DatasetReader's ``max_sentences``, ``skip_invalid`` and ``split_sentences``.

    A task with nothing to read (no annotation, or only cancelled ones) is left out and
    counted in ``reader.unannotated_tasks``; a malformed task names the line it starts on.

    Registered as `dataset_readers: label_studio`.
    """

    def __init__(
        self, text_field: str = "text", from_predictions: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.text_field = text_field
        self.from_predictions = from_predictions
        self.unannotated_tasks = 0

    def _read(self, path: Path) -> Iterator[Sentence]:
        self.dropped_entities = self.unannotated_tasks = 0
        text = "\n".join(line for _, line in iter_lines(path, self.encoding, self.problem))
        try:
            for number, task in json_array_items(text):
                try:
                    sentence = self._sentence(task)
                    if sentence is not None:
                        sentence.spans = self._resolve(sentence.spans or [], path, number)
                        sentence.meta.update(file=str(path), line=number)
                        yield sentence
                except BadRecord as error:
                    self.problem(str(error), path, number)
        except _BadArray as error:
            self.problem(str(error), path, error.line)
        if self.unannotated_tasks:
            source = "predictions" if self.from_predictions else "annotations"
            logger.warning("%s: %d tasks without %s left out", path, self.unannotated_tasks, source)

    def _sentence(self, task: Any) -> Sentence | None:
        if isinstance(task, dict) and "data" not in task and self.text_field in task:
            return self._minimal_sentence(task)
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise BadRecord('expected a task {"data": {...}, "annotations": [...]}')
        text = task["data"].get(self.text_field)
        if not isinstance(text, str):
            raise BadRecord(f'the task has no text in data["{self.text_field}"] (set the reader\'s '
                            f"text_field to the key its labeling config reads)")
        key = "predictions" if self.from_predictions else "annotations"
        chosen = [a for a in task.get(key) or [] if isinstance(a, dict)
                  and not a.get("was_cancelled")]
        if not chosen:
            self.unannotated_tasks += 1
            return None
        result = chosen[-1].get("result")
        if not isinstance(result, list):
            raise BadRecord(f'the last of the task\'s {key} has no "result" list')
        spans = [span_of(item["value"], text) for item in result
                 if isinstance(item, dict) and item.get("type") == "labels"
                 and isinstance(item.get("value"), dict)]
        meta = {"id": task["id"]} if "id" in task else {}
        return Sentence(list(text), spans, meta)

    def _minimal_sentence(self, task: dict[str, Any]) -> Sentence:
        """A JSON-MIN task: the text at the top level, its spans under ``label``."""
        text, labels = task[self.text_field], task.get("label", [])
        if not isinstance(text, str) or not isinstance(labels, list):
            raise BadRecord(f'expected a JSON-MIN task {{"{self.text_field}": "...", '
                            '"label": [{"start", "end", "text", "labels"}]}')
        spans = [span_of(value, text) for value in labels if isinstance(value, dict)]
        meta = {"id": task["id"]} if "id" in task else {}
        return Sentence(list(text), spans, meta)


def span_of(value: dict[str, Any], text: str) -> Span:
    """The Span of one ``labels`` result value ``{start, end, text, labels}``."""
    labels = value.get("labels")
    if not (isinstance(labels, list) and len(labels) == 1):
        raise BadRecord(f"a span needs exactly one label (nerkit tags one type per span), got "
                        f"{labels!r} at {value.get('start')}-{value.get('end')}")
    start, end = value.get("start"), value.get("end")
    surface = value.get("text")
    if isinstance(surface, str) and isinstance(start, int) and isinstance(end, int) \
            and text[start:end] != surface:
        start, end = _from_utf16(text, start), _from_utf16(text, end)
        if text[start:end] != surface:
            raise BadRecord(f"span {value.get('start')}-{value.get('end')} says {surface!r} but "
                            f"the text there is {text[value['start']:value['end']]!r}")
    return checked_span(start, end, labels[0], text)


def _from_utf16(text: str, units: int) -> int:
    """The character offset of UTF-16 offset ``units`` (astral characters count twice)."""
    count = 0
    for position, char in enumerate(text):
        if count >= units:
            return position
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class _BadArray(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def json_array_items(text: str) -> Iterator[tuple[int, Any]]:
    """Each element of the JSON array ``text`` with the line it starts on (1-based).

    Raises:
        _BadArray: ``text`` is not a JSON array; the line of the fault is given.
    """
    decoder = json.JSONDecoder()
    index, line = _skip_space(text, 0), 1
    if not text.startswith("[", index):
        raise _BadArray("expected a JSON array of tasks (Label Studio's JSON export)",
                        text.count("\n", 0, index) + 1)
    index = _skip_space(text, index + 1)
    if text.startswith("]", index):
        return
    counted = 0
    while True:
        line += text.count("\n", counted, index)
        counted = index
        try:
            item, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as error:
            raise _BadArray(f"not valid JSON ({error.msg} at column {error.colno})",
                            error.lineno) from None
        yield line, item
        index = _skip_space(text, index)
        if text.startswith(",", index):
            index = _skip_space(text, index + 1)
        elif text.startswith("]", index):
            return
        else:
            raise _BadArray("expected , or ] after a task", text.count("\n", 0, index) + 1)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index
