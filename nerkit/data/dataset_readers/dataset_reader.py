"""DatasetReader base: a file becomes Sentences; raw text becomes a Sentence the same way."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from nerkit.common.component import Component
from nerkit.common.errors import DataError
from nerkit.data.sentence import Sentence

logger = logging.getLogger(__name__)


class DatasetReader(Component):
    """Reads a corpus file into Sentences with gold spans.

    Args:
        max_sentences: Stop after this many sentences (handy for quick runs and tests).
        skip_invalid: Count and log malformed lines instead of raising ``DataError``.

    Subclasses implement ``_read(path)``; ``text_to_sentence`` is shared by training and
    prediction so both see the same characters.
    """

    registry_name = "dataset_readers"
    default_type = "conll"

    def __init__(self, max_sentences: int | None = None, skip_invalid: bool = False) -> None:
        self.max_sentences = max_sentences
        self.skip_invalid = skip_invalid
        self.skipped = 0

    def read(self, path: str | Path) -> list[Sentence]:
        """All sentences of ``path`` (at most ``max_sentences``); an empty file is an error."""
        path = Path(path)
        if not path.is_file():
            raise DataError("file not found", str(path))
        self.skipped = 0
        sentences: list[Sentence] = []
        for sentence in self._read(path):
            sentences.append(sentence)
            if self.max_sentences is not None and len(sentences) >= self.max_sentences:
                break
        if self.skipped:
            logger.warning("%s: skipped %d invalid lines", path, self.skipped)
        if not sentences:
            raise DataError("no sentences found (empty file?)", str(path))
        return sentences

    def _read(self, path: Path) -> Iterator[Sentence]:
        raise NotImplementedError

    def problem(self, message: str, path: Path | str, line: int) -> None:
        """Raise a DataError, or count and log it when ``skip_invalid`` is on."""
        if not self.skip_invalid:
            raise DataError(message, str(path), line)
        self.skipped += 1
        logger.warning("skipping %s:%d: %s", path, line, message)

    def text_to_sentence(self, text: str) -> Sentence:
        """An unlabelled Sentence, one position per character of ``text``."""
        return Sentence(list(text), None, {"text": text})
