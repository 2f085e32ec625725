"""Write Sentences as CoNLL columns (``CHAR<TAB>TAG``, a blank line between sentences)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nerkit.common.atomic import atomic_open
from nerkit.data.sentence import Sentence
from nerkit.data.tag_schemes import check_scheme

#: File suffix per tag scheme, used by ``nerkit split`` and ``nerkit convert``.
SUFFIXES = {"BIO": ".bio", "BIOES": ".bioes", "BMES": ".bmes", "BIEO": ".bieo"}


def format_conll(sentence: Sentence, tag_scheme: str) -> str:
    """One sentence as ``CHAR<TAB>TAG`` lines, each ending in a newline.

    Raises:
        ValueError: A character is empty or holds a tab or line break (the format cannot
            carry it); the message names the sentence's source when its meta has one.
    """
    tags = sentence.tags(tag_scheme)
    for position, char in enumerate(sentence.chars):
        if not char or any(c in char for c in "\t\n\r"):
            where = f"{sentence.meta.get('file', '')}:{sentence.meta.get('line', '?')}"
            raise ValueError(
                f"{where}: character {position} is {char!r}, which a CoNLL line cannot hold"
            )
    return "".join(f"{char}\t{tag}\n" for char, tag in zip(sentence.chars, tags))


def write_conll(sentences: Iterable[Sentence], path: str | Path, tag_scheme: str = "BIO") -> int:
    """Write ``sentences`` to ``path`` in ``tag_scheme`` (atomically); return how many."""
    scheme = check_scheme(tag_scheme)
    count = 0
    with atomic_open(path, newline="\n") as handle:
        for sentence in sentences:
            if count:
                handle.write("\n")
            handle.write(format_conll(sentence, scheme))
            count += 1
    return count
