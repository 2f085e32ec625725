"""A user's entity dictionary applied to predictions: names that must come out as a given type.

A file of ``WORD<TAB>TYPE`` lines (UTF-8; blank lines and ``#`` comments skipped), e.g. product
or client names the training data never saw. Occurrences are found leftmost-longest without
overlaps, then merged with the model's entities:

* ``fill`` (default): a dictionary entity is added where the model found nothing overlapping
  it, so the model's own entities are never changed;
* ``force``: a dictionary entity replaces every predicted entity it overlaps (with 北京 as LOC,
  a predicted ORG 北京大学 becomes LOC 北京: list the longer names too).

Entities from the dictionary carry ``"source": "dictionary"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.data.text_file import iter_lines

DICTIONARY_MODES = ("fill", "force")


class EntityDictionary:
    """Entity names with their types, and how they are merged with predictions."""

    def __init__(self, entries: dict[str, str], mode: str = "fill") -> None:
        if mode not in DICTIONARY_MODES:
            raise ConfigurationError(f"dictionary mode must be one of "
                                     f"{', '.join(DICTIONARY_MODES)}, got {mode!r}")
        try:
            import ahocorasick_rs
        except ImportError as error:
            raise ConfigurationError(
                "an entity dictionary needs ahocorasick-rs: pip install 'nerkit[lexicon]'"
            ) from error
        self.mode = mode
        self.words = [word for word in entries if word]
        self.types = [entries[word] for word in self.words]
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        ) if self.words else None

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def from_file(cls, path: str | Path, mode: str = "fill") -> EntityDictionary:
        """Read ``WORD<TAB>TYPE`` lines; a malformed line is a DataError naming it."""
        path = Path(path)
        if not path.is_file():
            raise DataError("dictionary file not found", str(path))
        entries: dict[str, str] = {}

        def problem(message: str, where: Path, line: int) -> None:
            raise DataError(message, str(where), line)

        for number, line in iter_lines(path, "utf-8", problem):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t") if "\t" in line else line.split()
            if len(fields) != 2 or not all(f.strip() for f in fields):
                raise DataError(f"expected WORD<TAB>TYPE, got {line!r}", str(path), number)
            word, entity_type = (f.strip() for f in fields)
            if entries.get(word, entity_type) != entity_type:
                raise DataError(f"{word!r} is listed as {entries[word]} and as {entity_type}",
                                str(path), number)
            entries[word] = entity_type
        return cls(entries, mode)

    def matches(self, text: str) -> list[dict[str, Any]]:
        """Leftmost-longest, non-overlapping occurrences in ``text`` as entity dicts."""
        if self.automaton is None or not text:
            return []
        return [{"start": start, "end": end, "type": self.types[index],
                 "text": text[start:end], "source": "dictionary"}
                for index, start, end in self.automaton.find_matches_as_indexes(text)]

    def apply(self, text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``entities`` predicted in ``text`` merged with the dictionary's, in text order."""
        found = self.matches(text)
        if not found:
            return entities
        if self.mode == "force":
            kept = [e for e in entities if not any(_overlap(e, m) for m in found)]
            merged = kept + found
        else:
            merged = entities + [m for m in found if not any(_overlap(e, m) for e in entities)]
        return sorted(merged, key=lambda e: e["start"])


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]
