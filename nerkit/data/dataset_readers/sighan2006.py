"""``sighan2006``: the original MSRA files of the SIGHAN 2006 NER bakeoff.

One sentence per line of space-separated ``chunk/tag`` tokens, tags ``o`` (not an entity; a
chunk may hold many characters), ``nr`` (person), ``ns`` (location), ``nt`` (organisation)::

    中共中央/nt 致/o 中国致公党十一大/nt 的/o 贺词/o

Every entity chunk is one entity (two adjacent ``nr`` chunks are two people).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.normalization import to_half_width
from nerkit.data.sentence import Sentence, Span
from nerkit.data.text_file import iter_lines

DEFAULT_ENTITY_MAP = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


@DatasetReader.register("sighan2006")
class Sighan2006DatasetReader(DatasetReader):
    """MSRA bakeoff ``chunk/tag`` lines as character-level entity spans.

    Args:
        entity_map: Chunk tag -> entity type (default ``{"nr": "PER", "ns": "LOC",
            "nt": "ORG"}``); tags are matched case-insensitively.
        outside_tag: The tag of non-entity chunks (default ``o``). Any other tag that is not in
            ``entity_map`` is a ``DataError`` naming the line.
        encoding: A Python codec name, or ``"auto"`` for UTF-8 else GB18030/GBK.
        normalize_width: Map full-width digits, letters and punctuation to ASCII.
        **kwargs: DatasetReader's ``max_sentences``, ``skip_invalid`` and ``split_sentences``
            (skip_invalid: a malformed line is skipped whole).

    Registered as `dataset_readers: sighan2006`.
    """

    def __init__(
        self,
        entity_map: dict[str, str] | None = None,
        outside_tag: str = "o",
        encoding: str = "auto",
        normalize_width: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        mapping = DEFAULT_ENTITY_MAP if entity_map is None else entity_map
        self.entity_map = {tag.lower(): label for tag, label in mapping.items()}
        self.outside_tag = outside_tag.lower()
        self.encoding = encoding
        self.normalize_width = normalize_width

    def _read(self, path: Path) -> Iterator[Sentence]:
        for number, line in iter_lines(path, self.encoding, self.problem):
            tokens = line.split()
            if not tokens:
                continue
            try:
                text, spans = self._chunks(tokens)
            except ValueError as error:
                self.problem(str(error), path, number)
                continue
            if self.normalize_width:
                text = to_half_width(text)
            yield Sentence(list(text), spans, {"file": str(path), "line": number})

    def _chunks(self, tokens: list[str]) -> tuple[str, list[Span]]:
        text = ""
        spans = []
        for token in tokens:
            chunk, _, tag = token.rpartition("/")
            tag = tag.lower()
            if not chunk:
                raise ValueError(f"expected a chunk/tag token such as 北京/ns, got {token!r}")
            if tag in self.entity_map:
                spans.append(Span(len(text), len(text) + len(chunk), self.entity_map[tag]))
            elif tag != self.outside_tag:
                known = ", ".join([self.outside_tag, *self.entity_map])
                raise ValueError(f"unknown tag {tag!r} in {token!r} (expected one of {known})")
            text += chunk
        return text, spans

    def text_to_sentence(self, text: str) -> Sentence:
        """An unlabelled Sentence, normalised like the training data."""
        chars = to_half_width(text) if self.normalize_width else text
        return Sentence(list(chars), None, {"text": text})
