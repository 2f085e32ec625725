"""``brat``: brat's standoff annotations, a document's text in ``NAME.txt`` and its entities in
``NAME.ann``, read as Sentences.

An entity is a text-bound annotation line of the ``.ann`` file::

    T1<TAB>PER 0 3<TAB>江泽民

with character offsets into the ``.txt`` file (end exclusive; a ``\\r\\n`` counts as two
characters, as brat counts them). Each non-blank line of the text is one sentence (the
reader's ``split_sentences`` cuts them further). Other annotations (relations, events,
attributes, notes) are ignored; an entity of several fragments (``0 2;5 7``) or one that
crosses a line break cannot be tagged and is an error naming the ``.ann`` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nerkit.common.errors import DataError
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.dataset_readers.jsonl import BadRecord, JsonlDatasetReader
from nerkit.data.sentence import Sentence, Span


@dataclass(frozen=True)
class _Entity:
    """A text-bound annotation: document offsets, type, and the ``.ann`` line it is on."""

    start: int
    end: int
    type: str
    line: int


@DatasetReader.register("brat")
class BratDatasetReader(JsonlDatasetReader):
    """brat standoff documents (``NAME.txt`` + ``NAME.ann``), a sentence per line of text.

    DATA is either file of a pair, or a directory, whose pairs (``**/*.ann``, in name order)
    are read one document after another.

    Args:
        overlap: As for ``jsonl``: ``"error"``, ``"keep_longest"`` or ``"keep_first"`` for
            nested or overlapping entities (brat allows them; a tagger does not).
        encoding: The text files' codec (brat writes UTF-8).
        **kwargs: DatasetReader's ``max_sentences``, ``skip_invalid`` (a bad ``.ann`` line is
            skipped) and ``split_sentences``.

    Each sentence's ``meta`` has the ``.txt`` file and its line. Registered as
    `dataset_readers: brat`.
    """

    def __init__(self, overlap: str = "error", encoding: str = "utf-8", **kwargs: Any) -> None:
        super().__init__(overlap=overlap, encoding=encoding, **kwargs)

    def source_files(self, path: Path) -> list[Path]:
        if path.is_dir():
            annotations = sorted(path.glob("**/*.ann"))
            return [f for ann in annotations for f in (ann.with_suffix(".txt"), ann)]
        if path.suffix in (".ann", ".txt"):
            return [path.with_suffix(".txt"), path.with_suffix(".ann")]
        return [path]

    def _read(self, path: Path) -> Iterator[Sentence]:
        self.dropped_entities = 0
        sources = self.source_files(path)
        if path.is_dir() and not sources:
            raise DataError("no brat documents (NAME.ann beside NAME.txt) in this directory",
                            str(path))
        for text_path in sources[::2]:
            yield from self._document(text_path, text_path.with_suffix(".ann"))

    def _document(self, text_path: Path, ann_path: Path) -> Iterator[Sentence]:
        data = text_path.read_bytes()
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError as error:
            self.problem(f"not {self.encoding} text ({error.reason})", text_path,
                         data[:error.start].count(b"\n") + 1)
            return
        entities = sorted(self._entities(ann_path, text), key=lambda e: (e.start, e.end))
        position, next_entity = 0, 0
        for number, line in enumerate(text.split("\n"), start=1):
            chars = line[:-1] if line.endswith("\r") else line
            end = position + len(chars)
            inside = []
            while next_entity < len(entities) and entities[next_entity].start <= end:
                entity = entities[next_entity]
                next_entity += 1
                if entity.end > end:
                    self.problem(f"entity {entity.type} {entity.start}-{entity.end} crosses a "
                                 f"line break (a sentence is one line of {text_path.name})",
                                 ann_path, entity.line)
                else:
                    inside.append(Span(entity.start - position, entity.end - position,
                                       entity.type))
            if chars.strip():
                try:
                    spans = self._resolve(inside, text_path, number)
                except BadRecord as error:
                    self.problem(str(error), text_path, number)
                    spans = []
                yield Sentence(list(chars), spans, {"file": str(text_path), "line": number})
            position += len(line) + 1

    def _entities(self, ann_path: Path, text: str) -> Iterator[_Entity]:
        lines = ann_path.read_bytes().decode(self.encoding).removeprefix("\ufeff").split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.startswith("T"):
                continue  # relations, events, attributes, notes, comments; blank lines
            try:
                yield _text_bound(line.rstrip("\r"), text, number)
            except BadRecord as error:
                self.problem(str(error), ann_path, number)


def _text_bound(line: str, text: str, number: int) -> _Entity:
    """One ``T`` line: ``ID<TAB>TYPE START END<TAB>SURFACE``, checked against the text."""
    fields = line.split("\t")
    if len(fields) < 2:
        raise BadRecord("expected ID<TAB>TYPE START END<TAB>TEXT")
    head = fields[1].split(" ", 1)
    if len(head) != 2 or not head[0]:
        raise BadRecord(f"expected TYPE START END, got {fields[1]!r}")
    entity_type, offsets = head
    if ";" in offsets:
        raise BadRecord(f"entity {entity_type} has several fragments ({offsets}); a tagger "
                        "needs one contiguous span")
    try:
        start, end = (int(value) for value in offsets.split(" "))
    except ValueError:
        raise BadRecord(f"expected two integer offsets, got {offsets!r}") from None
    if not 0 <= start < end <= len(text):
        raise BadRecord(f"entity ({start}, {end}) is outside the text of length {len(text)}")
    if len(fields) > 2 and fields[2] != text[start:end]:
        raise BadRecord(f"entity {entity_type} {start}-{end} says {fields[2]!r} but the text "
                        f"there is {text[start:end]!r}")
    return _Entity(start, end, entity_type, number)
