"""Pretraining corpora: lines of characters from plain text or from labelled corpora."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.common.plugins import import_plugins
from nerkit.data.dataset_readers import DatasetReader
from nerkit.data.text_file import iter_lines

Line = list[str]
PLAIN_TEXT = "text"  # the --reader value for plain text files


def _raise(message: str, path: Path, line: int) -> None:
    raise DataError(message, str(path), line)


def read_text_lines(path: Path, encoding: str = "auto") -> list[Line]:
    """One line per paragraph of ``path``; whitespace is dropped, empty lines are skipped."""
    if not path.is_file():
        raise DataError("file not found", str(path))
    lines = []
    for _, text in iter_lines(path, encoding, _raise):
        chars = [c for c in text if not c.isspace()]
        if chars:
            lines.append(chars)
    return lines


def read_with_reader(path: Path, reader: str) -> list[Line]:
    """The characters of each sentence a registered dataset reader finds (labels ignored).

    ``reader`` is a registered name (``conll``) or a JSON config block
    (``{"type": "pfr1998", "normalize_width": true}``).
    """
    return [
        [c for c in sentence.chars if not c.isspace()]
        for sentence in dataset_reader(reader).read(path)
        if any(not c.isspace() for c in sentence.chars)
    ]


def dataset_reader(reader: str) -> DatasetReader:
    """The dataset reader a ``--reader`` value names: a registered name or a JSON config block."""
    import_plugins()
    try:
        config = json.loads(reader) if reader.lstrip().startswith("{") else {"type": reader}
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"--reader is not a name or a JSON object: {error}") from None
    return DatasetReader.from_config(config)


def readers_per_path(paths: Sequence[str | Path], readers: Sequence[str]) -> list[str | None]:
    """Each path's reader from ``--reader`` values: none, one for every path, or one per path."""
    if len(readers) not in (0, 1, len(paths)):
        raise ConfigurationError(
            f"give one --reader for all inputs or one per input ({len(paths)}), not {len(readers)}"
        )
    chosen: list[str | None] = list(readers) if readers else [None]
    return chosen * len(paths) if len(chosen) == 1 else chosen


def read_corpus(
    paths: Sequence[str | Path], readers: Sequence[str] = (), encoding: str = "auto"
) -> list[Line]:
    """All lines of all ``paths``, in order.

    Args:
        paths: Input files.
        readers: None (plain text), one dataset reader for every path, or one per path;
            ``text`` stands for plain text.
        encoding: Encoding of plain text files (``auto``: UTF-8, else GB18030).
    """
    lines: list[Line] = []
    for path, reader in zip(paths, readers_per_path(paths, readers)):
        if reader and reader != PLAIN_TEXT:
            lines.extend(read_with_reader(Path(path), reader))
        else:
            lines.extend(read_text_lines(Path(path), encoding))
    if not lines:
        raise DataError("no text found in " + ", ".join(str(p) for p in paths))
    return lines


@dataclass
class CorpusStats:
    lines: int
    characters: int
    distinct: int

    @classmethod
    def of(cls, lines: Sequence[Line]) -> CorpusStats:
        counts = char_counts(lines)
        return cls(len(lines), sum(counts.values()), len(counts))

    def __str__(self) -> str:
        return (
            f"{self.lines:,} lines, {self.characters:,} characters, "
            f"{self.distinct:,} distinct characters"
        )


def char_counts(lines: Sequence[Line]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(line)
    return counts


def by_frequency(
    counts: Counter[str], min_count: int = 1, max_size: int | None = None
) -> list[str]:
    """Characters seen ``min_count`` times or more, most frequent first (ties by character)."""
    kept = [c for c, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= min_count]
    return kept[:max_size] if max_size else kept


def split_held_out(
    lines: Sequence[Line], fraction: float, seed: int, max_lines: int | None = None
) -> tuple[list[Line], list[Line]]:
    """Shuffle-free split: a seeded random ``fraction`` of lines (at least one) is held out."""
    if not 0 < fraction < 1:
        raise ConfigurationError(f"the held-out fraction must be in (0, 1), not {fraction}")
    if len(lines) < 2:
        raise DataError("need at least 2 lines to hold some out for evaluation")
    count = min(max(1, round(len(lines) * fraction)), max_lines or len(lines), len(lines) - 1)
    held = set(random.Random(seed).sample(range(len(lines)), count))
    train = [line for i, line in enumerate(lines) if i not in held]
    return train, [lines[i] for i in sorted(held)]


def chunk_lines(lines: Sequence[Line], max_length: int) -> list[Line]:
    """Cut lines longer than ``max_length`` into consecutive pieces (nothing is dropped)."""
    return [line[i : i + max_length] for line in lines for i in range(0, len(line), max_length)]


def bucketed_batches(
    items: Sequence[Sequence[object]], batch_size: int, seed: int, pool: int = 50
) -> list[list[int]]:
    """Index batches of similar-length items: shuffle, sort within pools, shuffle the batches."""
    rng = random.Random(seed)
    order = list(range(len(items)))
    rng.shuffle(order)
    batches: list[list[int]] = []
    for start in range(0, len(order), batch_size * pool):
        chunk = sorted(order[start : start + batch_size * pool], key=lambda i: len(items[i]))
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches
