"""Entities written for annotation tools: nerkit's JSONL, doccano's JSONL, Label Studio's tasks,
brat's standoff documents.

The correction loop: ``nerkit predict --output-format label-studio`` (or ``doccano``, ``brat``)
makes pre-annotations to import, annotators correct them, and the tool's export is read back by
the ``label_studio``, ``jsonl`` or ``brat`` reader for training. ``nerkit convert`` writes a gold
corpus the same way. Every record is ``{"text", "entities": [{"start", "end", "type", ...}]}``
with character offsets, end exclusive (what the predictor returns).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from nerkit.data.sentence import Sentence

#: ``--output-format`` choices of ``nerkit predict`` and ``nerkit convert``.
RECORD_FORMATS = ("nerkit", "doccano", "label-studio")
#: The format written as a pair of files, ``NAME.txt`` and ``NAME.ann`` (``write_brat``).
BRAT = "brat"
#: The tag names of Label Studio's named-entity template: ``<Labels name="label" toName="text">``.
LABEL_STUDIO_FROM_NAME, LABEL_STUDIO_TO_NAME = "label", "text"


def sentence_record(sentence: Sentence) -> dict[str, Any]:
    """A Sentence as a record, its token offsets turned into character offsets of its text."""
    entities = [sentence.text_entity(span) for span in sentence.spans or []]
    record: dict[str, Any] = {"text": sentence.text, "entities": entities}
    if "id" in sentence.meta:
        record["id"] = sentence.meta["id"]
    return record


def doccano_record(record: dict[str, Any]) -> dict[str, Any]:
    """doccano's sequence-labelling JSONL: ``{"text", "label": [[start, end, type]]}``."""
    converted = {"text": record["text"],
                 "label": [[e["start"], e["end"], e["type"]] for e in record["entities"]]}
    if "id" in record:
        converted["id"] = record["id"]
    return converted


def label_studio_prediction(
    record: dict[str, Any], model_version: str | None = None,
    from_name: str = LABEL_STUDIO_FROM_NAME, to_name: str = LABEL_STUDIO_TO_NAME,
) -> dict[str, Any]:
    """The entities as one Label Studio prediction ``{"result": [...], "score", ...}``: a
    ``labels`` result per entity (its score as the result's), the prediction's score the
    least sure entity's."""
    result = []
    for number, entity in enumerate(record["entities"]):
        item: dict[str, Any] = {
            "id": f"e{number}", "from_name": from_name, "to_name": to_name, "type": "labels",
            "value": {"start": entity["start"], "end": entity["end"],
                      "text": record["text"][entity["start"]:entity["end"]],
                      "labels": [entity["type"]]},
        }
        if "score" in entity:
            item["score"] = entity["score"]
        result.append(item)
    prediction: dict[str, Any] = {"result": result}
    if model_version is not None:
        prediction["model_version"] = model_version
    scores = [item["score"] for item in result if "score" in item]
    if scores:
        prediction["score"] = min(scores)
    return prediction


def label_studio_task(
    record: dict[str, Any], as_prediction: bool, model_version: str | None = None
) -> dict[str, Any]:
    """A Label Studio task holding the entities as a prediction (pre-annotation) or as a
    finished annotation."""
    task: dict[str, Any] = {"data": {"text": record["text"]}}
    if "id" in record:
        task["id"] = record["id"]
    prediction = label_studio_prediction(record, model_version)
    if as_prediction:
        task["predictions"] = [prediction]
    else:
        task["annotations"] = [{"result": prediction["result"]}]
    return task


def write_records(
    records: Iterable[dict[str, Any]], output: IO[str], output_format: str = "nerkit",
    as_prediction: bool = True, model_version: str | None = None,
) -> int:
    """Write ``records`` in ``output_format``, one line each (Label Studio: one JSON array, a
    task per line), as they come; return how many. A lone surrogate in a text is written as its
    JSON escape (it cannot be UTF-8)."""
    if output_format not in RECORD_FORMATS:
        raise ValueError(f"output format must be one of {', '.join(RECORD_FORMATS)}, "
                         f"got {output_format!r}")
    array = output_format == "label-studio"
    count = 0
    for record in records:
        if output_format == "doccano":
            record = doccano_record(record)
        elif array:
            record = label_studio_task(record, as_prediction, model_version)
        line = json.dumps(record, ensure_ascii=False)
        line = line.encode("utf-8", "backslashreplace").decode("utf-8")
        if array:
            output.write(("[\n" if count == 0 else ",\n") + line)
        else:
            output.write(line + "\n")
        count += 1
    if array:
        output.write("\n]\n" if count else "[]\n")
    return count


def brat_paths(output: str | Path) -> tuple[Path, Path]:
    """The ``.txt`` and ``.ann`` files of brat output named ``NAME``, ``NAME.txt`` or
    ``NAME.ann``."""
    path = Path(output)
    stem = path.with_suffix("") if path.suffix in (".txt", ".ann") else path
    return stem.with_name(stem.name + ".txt"), stem.with_name(stem.name + ".ann")


def write_brat(records: Iterable[dict[str, Any]], text_out: IO[str], ann_out: IO[str]) -> int:
    """The records as one brat document, as they come: each text a line of the ``.txt``, each
    entity a ``T`` line of the ``.ann`` with offsets into the document (an entity's score, when
    there is one, an ``AnnotatorNotes`` line on it); return how many records."""
    offset, count = 0, 0

    def placed() -> Iterable[tuple[int, dict[str, Any]]]:
        nonlocal offset, count
        for record in records:
            text_out.write(record["text"] + "\n")
            yield offset, record
            offset += len(record["text"]) + 1
            count += 1

    write_brat_annotations(placed(), ann_out)
    return count


def write_brat_annotations(
    placed_records: Iterable[tuple[int, dict[str, Any]]], ann_out: IO[str]
) -> int:
    """The ``.ann`` lines of records that start at the given offsets of a brat document's text:
    a ``T`` line per entity (and an ``AnnotatorNotes`` line with its score, if any); return how
    many entities."""
    number = 0
    for offset, record in placed_records:
        for entity in record["entities"]:
            number += 1
            start, end = offset + entity["start"], offset + entity["end"]
            surface = record["text"][entity["start"]:entity["end"]]
            ann_out.write(f"T{number}\t{entity['type']} {start} {end}\t{surface}\n")
            if "score" in entity:
                ann_out.write(f"#{number}\tAnnotatorNotes T{number}\tscore {entity['score']}\n")
    return number
