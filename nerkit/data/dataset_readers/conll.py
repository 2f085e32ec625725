"""``conll``: one character per line with its tag, a blank line between sentences (MSRA's BIO)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from nerkit.common.errors import DataError
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence
from nerkit.data.tag_schemes import InvalidTagSequence, check_scheme, tags_to_spans, validate_tags


@DatasetReader.register("conll")
class ConllDatasetReader(DatasetReader):
    """Column files: character in the first column, tag in ``tag_column``; tab or space separated.

    Args:
        tag_scheme: The file's scheme (``BIO``, ``BIOES``, ``BMES``, ``BIEO``).
        tag_column: Index of the tag column (default: the last).
        max_sentences: See DatasetReader.
        skip_invalid: See DatasetReader.

    ``-DOCSTART-`` lines and lines starting with ``#`` are skipped; a BOM and CRLF are tolerated.
    Registered as `dataset_readers: conll`.
    """

    def __init__(
        self,
        tag_scheme: str = "BIO",
        tag_column: int = -1,
        max_sentences: int | None = None,
        skip_invalid: bool = False,
    ) -> None:
        super().__init__(max_sentences=max_sentences, skip_invalid=skip_invalid)
        self.tag_scheme = check_scheme(tag_scheme)
        self.tag_column = tag_column

    def _read(self, path: Path) -> Iterator[Sentence]:
        chars: list[str] = []
        tags: list[str] = []
        first_line = 0
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                line = self._decode(raw, path, number)
                if line is None:
                    continue
                if not line.strip():
                    if chars:
                        sentence = self._sentence(chars, tags, path, first_line)
                        if sentence is not None:
                            yield sentence
                    chars, tags = [], []
                    continue
                if line.startswith("-DOCSTART-") or line.startswith("#"):
                    continue
                columns = line.split("\t") if "\t" in line else line.split()
                if len(columns) < 2:
                    self.problem(
                        f"expected a character and a tag separated by a tab or space, got {line!r}",
                        path, number,
                    )
                    continue
                if not chars:
                    first_line = number
                chars.append(columns[0])
                tags.append(columns[self.tag_column].strip())
        if chars:
            sentence = self._sentence(chars, tags, path, first_line)
            if sentence is not None:
                yield sentence

    def _decode(self, raw: bytes, path: Path, number: int) -> str | None:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(f"not valid UTF-8 ({error.reason} at byte {error.start})", path, number)
            return None
        if number == 1:
            line = line.lstrip("\ufeff")
        return line.rstrip("\r\n")

    def _sentence(
        self, chars: list[str], tags: list[str], path: Path, first_line: int
    ) -> Sentence | None:
        try:
            validate_tags(tags, self.tag_scheme)
        except InvalidTagSequence as error:
            if not self.skip_invalid:
                raise DataError(str(error), str(path), first_line + error.position) from None
            self.problem(str(error), path, first_line + error.position)
            return None
        spans = tags_to_spans(tags, self.tag_scheme)
        return Sentence(chars, spans, {"file": str(path), "line": first_line})
