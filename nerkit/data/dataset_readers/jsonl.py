"""``jsonl``: one JSON object per line, entities by character offsets.

These layouts are read, line by line:

* ``{"text": "...", "entities": [{"start": 0, "end": 2, "type": "LOC"}, ...]}`` with ``end``
  exclusive (an optional ``"text"`` in an entity is checked against the offsets);
* doccano's exports: ``{"text": "...", "label": [[0, 2, "LOC"], ...]}`` (sequence labelling)
  and ``{"text": "...", "entities": [{"start_offset": 0, "end_offset": 2, "label": "LOC"}]}``
  (span and relation projects), ends exclusive;
* CLUENER: ``{"text": "...", "label": {"LOC": {"北京": [[0, 1]]}}}`` with inclusive ends, each
  surface string checked against the text.

A line with neither ``entities`` nor ``label`` is unlabelled text with no entities.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nerkit.common.errors import ConfigurationError
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence, Span
from nerkit.data.text_file import iter_lines

logger = logging.getLogger(__name__)
OVERLAP_POLICIES = ("error", "keep_longest", "keep_first")


class BadRecord(ValueError):
    """A record that breaks its layout; the reader reports it with the file and line."""


@DatasetReader.register("jsonl")
class JsonlDatasetReader(DatasetReader):
    """JSON lines with character-offset entities (nerkit's layout, doccano's or CLUENER's).

    Args:
        overlap: What to do with overlapping or nested entities: ``"error"`` (a DataError
            naming the line), ``"keep_longest"`` (the longest wins, ties to the earlier start)
            or ``"keep_first"`` (the earliest start wins, ties to the longer). Entities dropped
            are counted in ``reader.dropped_entities`` and logged. Exact duplicates are merged.
        encoding: A Python codec name, or ``"auto"`` for UTF-8 else GB18030/GBK.
        **kwargs: DatasetReader's ``max_sentences``, ``skip_invalid`` and ``split_sentences``
            (skip_invalid: a malformed line is skipped whole).

    Registered as `dataset_readers: jsonl`.
    """

    def __init__(
        self,
        overlap: str = "error",
        encoding: str = "auto",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if overlap not in OVERLAP_POLICIES:
            choices = ", ".join(OVERLAP_POLICIES)
            raise ConfigurationError(f"overlap must be one of {choices}, got {overlap!r}")
        self.overlap = overlap
        self.encoding = encoding
        self.dropped_entities = 0

    def _read(self, path: Path) -> Iterator[Sentence]:
        self.dropped_entities = 0
        for number, line in iter_lines(path, self.encoding, self.problem):
            if not line.strip():
                continue
            try:
                text, spans, record = _parse_record(line)
                spans = self._resolve(spans, path, number)
            except BadRecord as error:
                self.problem(str(error), path, number)
                continue
            meta = {"file": str(path), "line": number}
            if "id" in record:
                meta["id"] = record["id"]
            yield Sentence(list(text), spans, meta)

    def _resolve(self, spans: list[Span], path: Path, number: int) -> list[Span]:
        spans = sorted(set(spans))
        overlapping = any(a.end > b.start for a, b in zip(spans, spans[1:]))
        if not overlapping:
            return spans
        if self.overlap == "error":
            pairs = [(a, b) for a, b in zip(spans, spans[1:]) if a.end > b.start]
            raise BadRecord(
                f"entities {tuple(pairs[0][0])} and {tuple(pairs[0][1])} overlap (expected "
                "disjoint entities; set overlap to keep_longest or keep_first to resolve)"
            )
        if self.overlap == "keep_longest":
            order = sorted(spans, key=lambda s: (s.start - s.end, s.start))
        else:
            order = sorted(spans, key=lambda s: (s.start, s.start - s.end))
        kept: list[Span] = []
        for span in order:
            if all(span.end <= k.start or k.end <= span.start for k in kept):
                kept.append(span)
        self.dropped_entities += len(spans) - len(kept)
        logger.info("%s:%d: dropped %d overlapping entities", path, number, len(spans) - len(kept))
        return sorted(kept)


def _parse_record(line: str) -> tuple[str, list[Span], dict[str, Any]]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadRecord(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise BadRecord('expected a JSON object with a "text" string')
    text = record["text"]
    if "entities" in record:
        spans = _entities(record["entities"], text)
    elif isinstance(record.get("label"), list):
        spans = _doccano(record["label"], text)
    elif "label" in record:
        spans = _cluener(record["label"], text)
    else:
        spans = []
    return text, spans, record


#: The keys of an entity object: nerkit's and doccano's (start, end, type).
ENTITY_KEYS = (("start", "end", "type"), ("start_offset", "end_offset", "label"))


def _entities(entities: Any, text: str) -> list[Span]:
    if not isinstance(entities, list):
        raise BadRecord('"entities" must be a list of {"start", "end", "type"} objects')
    spans = []
    for entity in entities:
        keys = next((keys for keys in ENTITY_KEYS
                     if isinstance(entity, dict) and set(keys) <= entity.keys()), None)
        if keys is None:
            raise BadRecord(f'expected an entity {{"start", "end", "type"}} (or doccano\'s '
                             f'{{"start_offset", "end_offset", "label"}}), got {entity!r}')
        start_key, end_key, type_key = keys
        span = checked_span(entity[start_key], entity[end_key], entity[type_key], text)
        if "text" in entity and entity["text"] != text[span.start:span.end]:
            raise BadRecord(
                f"entity {entity!r} says {entity['text']!r} but the text there is "
                f"{text[span.start:span.end]!r}"
            )
        spans.append(span)
    return spans


def _doccano(label: list[Any], text: str) -> list[Span]:
    spans = []
    for item in label:
        if not (isinstance(item, list) and len(item) == 3):
            raise BadRecord(f'expected doccano\'s [start, end, "TYPE"] in "label", got {item!r}')
        start, end, entity_type = item
        spans.append(checked_span(start, end, entity_type, text))
    return spans


def _cluener(label: Any, text: str) -> list[Span]:
    if not isinstance(label, dict):
        raise BadRecord('"label" must map TYPE -> {SURFACE: [[start, end], ...]}')
    spans = []
    for entity_type, surfaces in label.items():
        if not isinstance(surfaces, dict):
            raise BadRecord(f'"label" -> {entity_type!r} must map SURFACE -> [[start, end], ...]')
        for surface, positions in surfaces.items():
            for position in positions:
                if not (isinstance(position, list) and len(position) == 2):
                    raise BadRecord(f"expected [start, end] for {surface!r}, got {position!r}")
                span = checked_span(position[0], position[1] + 1, entity_type, text)
                if text[span.start:span.end] != surface:
                    raise BadRecord(
                        f"{entity_type} {surface!r} at {position} does not match the text there "
                        f"({text[span.start:span.end]!r}; CLUENER ends are inclusive)"
                    )
                spans.append(span)
    return spans


def checked_span(start: Any, end: Any, entity_type: Any, text: str) -> Span:
    """A Span from JSON values, or BadRecord when they are not offsets inside ``text``."""
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise BadRecord(f"entity offsets must be integers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise BadRecord(f"entity ({start}, {end}) is outside the text of length {len(text)}")
    if not isinstance(entity_type, str) or not entity_type:
        raise BadRecord(f"entity type must be a non-empty string, got {entity_type!r}")
    return Span(start, end, entity_type)
