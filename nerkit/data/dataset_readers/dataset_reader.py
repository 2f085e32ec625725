"""DatasetReader base: a file becomes Sentences; raw text becomes a Sentence the same way."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from nerkit.common.component import Component
from nerkit.common.errors import DataError
from nerkit.data.sentence import Sentence
from nerkit.data.sentence_split import split_sentence

logger = logging.getLogger(__name__)


class DatasetReader(Component):
    """Reads a corpus file into Sentences with gold spans.

    Args:
        max_sentences: Stop after this many sentences (handy for quick runs and tests).
        skip_invalid: Count and log malformed lines instead of raising ``DataError``; the
            problems are kept in ``reader.problems`` as ``(file, line, message)``.
        split_sentences: Cut each instance after 。！？ (never inside an entity); the pieces
            carry ``meta["offset"]``, their position in the original instance.

    Subclasses implement ``_read(path)`` and report bad input through ``problem``;
    ``text_to_sentence`` is shared by training and prediction so both see the same characters.
    A format that keeps a corpus in several files (``brat``) overrides ``source_files``, so the
    dataset cache notices a change in any of them.
    """

    registry_name = "dataset_readers"
    default_type = "conll"

    def __init__(
        self,
        max_sentences: int | None = None,
        skip_invalid: bool = False,
        split_sentences: bool = False,
    ) -> None:
        self.max_sentences = max_sentences
        self.skip_invalid = skip_invalid
        self.split_sentences = split_sentences
        self.problems: list[tuple[str, int, str]] = []

    @property
    def skipped(self) -> int:
        """How many problems the last ``read`` skipped."""
        return len(self.problems)

    def read(self, path: str | Path, allow_empty: bool = False) -> list[Sentence]:
        """All sentences of ``path`` (at most ``max_sentences``).

        A file without a sentence is an error unless ``allow_empty`` (``data-stats`` reports it).
        """
        path = Path(path)
        for source in self.source_files(path):
            if not source.is_file():
                raise DataError("file not found", str(source))
        self.problems = []
        sentences: list[Sentence] = []
        for instance in self._read(path):
            pieces = split_sentence(instance) if self.split_sentences else [instance]
            sentences.extend(pieces)
            if self.max_sentences is not None and len(sentences) >= self.max_sentences:
                del sentences[self.max_sentences:]
                break
        if self.problems:
            logger.warning("%s: skipped %d invalid lines", path, len(self.problems))
        if not sentences and not allow_empty:
            raise _no_sentences(path, self.problems)
        return sentences

    def _read(self, path: Path) -> Iterator[Sentence]:
        raise NotImplementedError

    def source_files(self, path: Path) -> list[Path]:
        """The files that reading ``path`` reads (the dataset cache hashes them all): ``path``
        itself, unless a format keeps a corpus in several files (``brat``)."""
        return [path]

    def problem(self, message: str, path: Path | str, line: int) -> None:
        """Raise a DataError, or record and log it when ``skip_invalid`` is on."""
        if not self.skip_invalid:
            raise DataError(message, str(path), line)
        self.problems.append((str(path), line, message))
        logger.warning("skipping %s:%d: %s", path, line, message)

    def text_to_sentence(self, text: str) -> Sentence:
        """An unlabelled Sentence, one position per character of ``text``."""
        return Sentence(list(text), None, {"text": text})


def _no_sentences(path: Path, problems: list[tuple[str, int, str]]) -> DataError:
    if problems:
        _, line, message = problems[0]
        return DataError(f"no valid sentence: {len(problems)} invalid lines were skipped, "
                         f"the first here: {message}", str(path), line)
    if not path.is_file():
        return DataError("no sentences found (expected at least one sentence)", str(path))
    data = path.read_bytes()
    if not data.strip():
        return DataError("the file is empty (expected at least one sentence)", str(path), 1)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return DataError(
        f"no sentences in the file's {lines} lines (expected at least one sentence)",
        str(path), lines,
    )
