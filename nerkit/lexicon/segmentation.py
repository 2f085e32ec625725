"""Words of a text: segmented by jieba, or as a segmented corpus (People's Daily) gives them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.data.dataset_readers.pfr1998 import _PARAGRAPH_ID, PfrFormatError, _parse
from nerkit.data.text_file import iter_lines


@lru_cache(maxsize=1)
def jieba_tokenizer() -> Any:
    """One jieba Tokenizer (its bundled dictionary; no download) per process."""
    try:
        import jieba
    except ImportError as error:
        raise ConfigurationError("segmenting with jieba needs: pip install 'nerkit[lexicon]'") \
            from error
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def segment_with_jieba(lines: Sequence[str]) -> list[list[str]]:
    """Each line cut into words by jieba (accurate mode, HMM for unknown words); whitespace
    between words is dropped."""
    cut = jieba_tokenizer().lcut
    return [[word for word in cut(line) if not word.isspace()] for line in lines]


def _raise(message: str, path: Path, line: int) -> None:
    raise DataError(message, str(path), line)


def read_pfr1998_words(path: str | Path, encoding: str = "auto") -> Iterator[list[tuple[str, str]]]:
    """``(word, POS)`` tokens of each paragraph of a People's Daily 1998 file (id token removed;
    bracketed compounds give their inner words)."""
    path = Path(path)
    if not path.is_file():
        raise DataError("file not found", str(path))
    for number, line in iter_lines(path, encoding, _raise):
        tokens = line.replace("\r", "").split()
        if tokens and _PARAGRAPH_ID.match(tokens[0]):
            tokens = tokens[1:]
        if not tokens:
            continue
        try:
            parsed, _ = _parse(tokens)
        except PfrFormatError as error:
            raise DataError(str(error), str(path), number) from None
        yield [(word, tag) for word, tag, _ in parsed]


def read_word_lines(
    paths: Sequence[str | Path], readers: Sequence[str] = (), encoding: str = "auto"
) -> list[list[str]]:
    """Lines of words for word vectors, ``readers`` as in ``read_corpus``: People's Daily files
    (reader ``pfr1998``) keep their own segmentation; anything else is read as characters and
    segmented with jieba."""
    from nerkit.pretrain.corpus import read_corpus, readers_per_path

    lines: list[list[str]] = []
    for path, reader in zip(paths, readers_per_path(paths, readers)):
        if reader is not None and _reader_type(reader) == "pfr1998":
            lines.extend([word for word, _ in paragraph]
                         for paragraph in read_pfr1998_words(path, encoding))
        else:
            chars = read_corpus([path], [reader] if reader else [], encoding)
            lines.extend(segment_with_jieba(["".join(line) for line in chars]))
    return [line for line in lines if line]


def _reader_type(reader: str) -> str | None:
    """The registered name a --reader value (a name or a JSON block) stands for."""
    if not reader.lstrip().startswith("{"):
        return reader
    try:
        return json.loads(reader).get("type")
    except (json.JSONDecodeError, AttributeError):
        return None  # read_corpus reports the malformed value
