"""A cache of read datasets, keyed by the file's content hash and the reader's config.

Entries are JSON lines under ``$NERKIT_CACHE`` (default ``~/.cache/nerkit``)/``datasets``: a
header line (format version, sentence count, reader problems, detected tag scheme), then one
sentence per line. No pickle: an entry is data, never code. Entries are written atomically, so
processes reading the same file at once each see a whole entry or none; an entry that does not
parse or holds fewer sentences than its header says is read again from the source, with a
warning. The key includes nerkit's version, so an upgrade never reads an older reader's output.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from nerkit.common.atomic import atomic_open
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.sentence import Sentence, Span
from nerkit.version import VERSION

logger = logging.getLogger(__name__)
FORMAT_VERSION = 2
# What a damaged entry can raise while being parsed.
UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError)


def default_cache_dir() -> Path:
    """``$NERKIT_CACHE`` if set, else ``~/.cache/nerkit``."""
    return Path(os.environ.get("NERKIT_CACHE") or Path.home() / ".cache" / "nerkit")


def cache_key(reader: DatasetReader, reader_config: dict[str, Any], path: str | Path) -> str:
    """SHA-256 over the bytes of every file the reader reads for ``path`` (their names too,
    relative to ``path``, when there are several), the reader class, its config and nerkit's
    version."""
    digest = hashlib.sha256()
    sources = reader.source_files(Path(path))
    for source in sources:
        if len(sources) > 1:
            digest.update(f"{os.path.relpath(source, path)}\0".encode("utf-8", "surrogateescape"))
        with open(source, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    described = {"class": type(reader).__qualname__, "config": reader_config,
                 "format": FORMAT_VERSION, "nerkit": VERSION}
    digest.update(json.dumps(described, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()


def read_cached(
    reader: DatasetReader, reader_config: dict[str, Any], path: str | Path,
    cache_dir: str | Path | None = None,
) -> list[Sentence]:
    """``reader.read(path)``, from the cache when the same file was read the same way before."""
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    entry = directory / "datasets" / f"{cache_key(reader, reader_config, path)}.jsonl"
    if entry.is_file():
        try:
            return _load(entry, reader, str(path))
        except UNREADABLE as error:
            logger.warning("cache entry %s is damaged (%s); reading %s again", entry, error, path)
    sentences = reader.read(path)
    try:
        _store(entry, reader, sentences, str(path))
    except OSError as error:
        logger.warning("could not write the dataset cache %s: %s", entry, error)
    return sentences


def _encode(sentence: Sentence) -> str:
    chars: str | list[str] = sentence.chars
    if all(len(c) == 1 for c in sentence.chars):
        chars = "".join(sentence.chars)
    spans = None if sentence.spans is None else [list(s) for s in sentence.spans]
    record = {"chars": chars, "spans": spans, "meta": sentence.meta}
    return json.dumps(record, ensure_ascii=False, default=str)


def _store(entry: Path, reader: DatasetReader, sentences: list[Sentence], source: str) -> None:
    header = {"nerkit_cache": FORMAT_VERSION, "sentences": len(sentences), "source": source,
              "problems": reader.problems,
              "detected_scheme": getattr(reader, "detected_scheme", None)}
    with atomic_open(entry, errors="backslashreplace") as out:  # lone surrogates as JSON escapes
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for sentence in sentences:
            out.write(_encode(sentence) + "\n")


def _load(entry: Path, reader: DatasetReader, path: str) -> list[Sentence]:
    with open(entry, encoding="utf-8") as handle:
        header = json.loads(handle.readline())
        if header.get("nerkit_cache") != FORMAT_VERSION:
            raise ValueError(f"cache format {header.get('nerkit_cache')!r}")
        sentences = []
        for line in handle:
            record = json.loads(line)
            spans = record["spans"]
            meta = record["meta"]
            if "file" in meta:  # the entry may have been made from a copy elsewhere
                meta["file"] = _moved(meta["file"], header.get("source"), path)
            sentences.append(Sentence(
                list(map(sys.intern, record["chars"])),  # shared objects: a fraction of the memory
                None if spans is None else [Span(*s) for s in spans],
                meta,
            ))
    if len(sentences) != header["sentences"]:
        raise ValueError(f"{len(sentences)} of {header['sentences']} sentences")
    reader.problems = [tuple(p) for p in header["problems"]]
    if header.get("detected_scheme") is not None and hasattr(reader, "detected_scheme"):
        reader.detected_scheme = header["detected_scheme"]
    return sentences


def _moved(file: str, source: str | None, path: str) -> str:
    """``file`` (read from ``source`` when the entry was made) as a path under ``path`` now:
    the dataset itself, or a file inside a dataset directory (a brat document)."""
    if source is not None and file.startswith(source + os.sep):
        return path + file[len(source):]
    return path if source is None or file == source else file
