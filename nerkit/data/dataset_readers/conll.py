"""``conll``: one character per line with its tag, a blank line between sentences (MSRA's BIO)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence
from nerkit.data.tag_schemes import (
    InvalidTagSequence,
    check_scheme,
    check_tag,
    detect_scheme,
    lenient_tags_to_spans,
    split_tag,
    validate_tags,
)
from nerkit.data.text_file import iter_lines

logger = logging.getLogger(__name__)


@dataclass
class _Block:
    """The rows of one sentence with the line number of each row."""

    chars: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    article: int = 0
    broken: bool = False  # a row was malformed (and reported): the sentence is left out


@DatasetReader.register("conll")
class ConllDatasetReader(DatasetReader):
    """Column files: the character in the first column, the tag in ``tag_column``.

    Columns are tab separated when a line has a tab, else whitespace separated; every row must
    have as many columns as the file's first row. A BOM and CRLF line ends are tolerated.
    ``-DOCSTART-`` lines start a new document (counted in ``meta["article"]``); lines starting
    with ``#`` that are not a ``#`` character row are comments. Tags are read strictly by
    default: a tag sequence the scheme does not allow (an unknown prefix, BIO ``I-`` with no
    entity open, BIOES ``B-`` not closed by ``E-``, ...) is a ``DataError`` naming the file and
    line.

    Args:
        tag_scheme: The file's scheme (``BIO``, ``BIOES``, ``BMES``, ``BIEO``), or ``"auto"`` to
            detect it from the tags used (``reader.detected_scheme`` tells which).
        tag_column: Index of the tag column (default: the last).
        encoding: A Python codec name, or ``"auto"`` for UTF-8 else GB18030/GBK.
        strict: ``false`` reads invalid transitions with conlleval's lenient chunk rule (an
            ``I-`` with no entity open starts one; an unclosed entity ends before the next
            ``O`` or ``B-``), as IOB1 files need; each such sentence is recorded in
            ``reader.repaired`` and logged. Unknown prefixes and malformed tags stay errors.
        **kwargs: DatasetReader's ``max_sentences``, ``skip_invalid`` and ``split_sentences``
            (skip_invalid: a sentence with a malformed row or an invalid tag is
            skipped whole).

    Registered as `dataset_readers: conll`.
    """

    def __init__(
        self,
        tag_scheme: str = "BIO",
        tag_column: int = -1,
        encoding: str = "auto",
        strict: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.tag_scheme = tag_scheme if tag_scheme == "auto" else check_scheme(tag_scheme)
        self.tag_column = tag_column
        self.encoding = encoding
        self.strict = strict
        self.repaired: list[tuple[str, int, str]] = []
        self.detected_scheme: str | None = None if tag_scheme == "auto" else self.tag_scheme

    def _read(self, path: Path) -> Iterator[Sentence]:
        self.repaired = []
        blocks: Iterable[_Block] = self._blocks(path)
        scheme = self.tag_scheme
        if scheme == "auto":
            blocks = list(blocks)
            scheme = detect_scheme([block.tags for block in blocks])
        self.detected_scheme = scheme
        for block in blocks:
            sentence = None if block.broken else self._sentence(block, scheme, path)
            if sentence is not None:
                yield sentence

    def _blocks(self, path: Path) -> Iterator[_Block]:
        block = _Block()
        width: tuple[int, int] | None = None  # (columns, line number of the first row)
        article = 0
        tag_column = self.tag_column
        for number, line in iter_lines(path, self.encoding, self.problem):
            if not line or line.isspace():
                if block.chars:
                    yield block
                block = _Block(article=article)
                continue
            first = line[0]
            if first == "-" and line.startswith("-DOCSTART-"):
                article += 1 if width is not None else 0
                block.article = article
                continue
            # Columns split on tabs, else on ASCII spaces only: U+3000 and other Unicode
            # spaces are characters a corpus may label.
            columns = line.split("\t") if "\t" in line else [c for c in line.split(" ") if c]
            if first == "#" and not self._is_row(columns, width):
                continue
            if width is None:
                width = (len(columns), number)
            if len(columns) != width[0] or len(columns) < 2:
                self.problem(self._column_message(line, columns, width), path, number)
                block.broken = True
                continue
            block.chars.append(sys.intern(columns[0]))  # one shared object per character
            block.tags.append(columns[tag_column].strip())
            block.lines.append(number)
        if block.chars:
            yield block

    def _is_row(self, columns: list[str], width: tuple[int, int] | None) -> bool:
        if columns[0] != "#" or len(columns) < 2 or (width and len(columns) != width[0]):
            return False
        try:
            split_tag(columns[self.tag_column].strip())
        except ValueError:
            return False
        return True

    @staticmethod
    def _column_message(line: str, columns: list[str], width: tuple[int, int]) -> str:
        if len(columns) < 2:
            return f"expected a character and a tag separated by a tab or space, got {line!r}"
        return (
            f"expected {width[0]} columns like line {width[1]}, got {len(columns)} in {line!r}"
        )

    def _sentence(self, block: _Block, scheme: str, path: Path) -> Sentence | None:
        try:
            validate_tags(block.tags, scheme)
        except InvalidTagSequence as error:
            if not self._tolerate(block, scheme, error, path):
                return None
        spans = lenient_tags_to_spans(block.tags)
        meta = {"file": str(path), "line": block.lines[0], "article": block.article}
        return Sentence(block.chars, spans, meta)

    def _tolerate(
        self, block: _Block, scheme: str, error: InvalidTagSequence, path: Path
    ) -> bool:
        """Report an invalid sequence; True when it is to be read leniently instead."""
        if not self.strict:
            bad = next(
                (InvalidTagSequence(i, m) for i, tag in enumerate(block.tags)
                 if (m := check_tag(tag, scheme)) is not None),
                None,
            )
            if bad is None:
                line = block.lines[error.position]
                self.repaired.append((str(path), line, str(error)))
                logger.info("%s:%d: read leniently: %s", path, line, error)
                return True
            error = bad
        self.problem(f"{error} (reading the tags as {scheme})", path, block.lines[error.position])
        return False
