"""Word list files: ``word [frequency] [tag]`` per line, UTF-8 (jieba's ``dict.txt`` format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nerkit.common.errors import DataError
from nerkit.data.text_file import iter_lines


@dataclass
class WordList:
    """Distinct words in first-seen order, each with a frequency (1 when not given) and a tag
    (``""`` when not given)."""

    words: list[str] = field(default_factory=list)
    frequencies: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.words)

    def filtered(self, min_frequency: int = 0, max_word_length: int | None = None) -> WordList:
        """The entries with frequency >= ``min_frequency`` and at most ``max_word_length`` chars."""
        kept = WordList()
        for word, frequency, tag in zip(self.words, self.frequencies, self.tags):
            if frequency >= min_frequency and (max_word_length is None
                                               or len(word) <= max_word_length):
                kept.words.append(word)
                kept.frequencies.append(frequency)
                kept.tags.append(tag)
        return kept


def _raise(message: str, path: Path, line: int) -> None:
    raise DataError(message, str(path), line)


def read_word_list(path: str | Path, encoding: str = "utf-8") -> WordList:
    """Read ``path``; a word listed twice keeps its highest frequency and first tag.

    Blank lines and lines starting with ``#`` are skipped; anything else malformed is a DataError
    naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError("lexicon word list not found", str(path))
    entries: dict[str, list] = {}
    for number, line in iter_lines(path, encoding, _raise):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) > 3:
            _raise(f"expected 'word [frequency] [tag]', got {len(fields)} fields", path, number)
        frequency = 1
        if len(fields) > 1:
            if not fields[1].isdigit():
                _raise(f"frequency must be a whole number, got {fields[1]!r}", path, number)
            frequency = int(fields[1])
        tag = fields[2] if len(fields) > 2 else ""
        known = entries.get(fields[0])
        if known is None:
            entries[fields[0]] = [frequency, tag]
        else:
            known[0] = max(known[0], frequency)
            known[1] = known[1] or tag
    return WordList(list(entries), [e[0] for e in entries.values()],
                    [e[1] for e in entries.values()])


def write_word_list(words: WordList, path: str | Path) -> Path:
    """Write ``words`` as ``word frequency [tag]`` lines (UTF-8, LF)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for word, frequency, tag in zip(words.words, words.frequencies, words.tags):
            out.write(f"{word} {frequency} {tag}\n" if tag else f"{word} {frequency}\n")
    return path
