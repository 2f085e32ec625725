"""All occurrences of lexicon words in a text, from a compiled Aho-Corasick automaton."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from nerkit.common.errors import ConfigurationError


class Matches(NamedTuple):
    """Parallel int32 arrays, one entry per occurrence: ``text[start:end]`` is word ``word``."""

    start: np.ndarray
    end: np.ndarray
    word: np.ndarray


class LexiconMatcher:
    """Finds every occurrence (overlapping ones included) of any word of a list.

    Backed by ahocorasick-rs (a Rust Aho-Corasick automaton): one pass over the text whatever
    the list's size, and one call per text returning ``(word, start, end)`` character offsets.
    """

    def __init__(self, words: Sequence[str]) -> None:
        try:
            import ahocorasick_rs
        except ImportError as error:
            raise ConfigurationError(
                "lexicon matching needs ahocorasick-rs: pip install 'nerkit[lexicon]'"
            ) from error
        self.indices = np.array([i for i, word in enumerate(words) if word], dtype=np.int32)
        self.automaton = None
        if len(self.indices):
            self.automaton = ahocorasick_rs.AhoCorasick(
                [words[i] for i in self.indices], matchkind=ahocorasick_rs.MatchKind.Standard
            )

    def match(self, text: str) -> Matches:
        """Occurrences in ``text`` (in no particular order)."""
        if self.automaton is None or not text:
            return _NONE
        found = self.automaton.find_matches_as_indexes(text, overlapping=True)
        if not found:
            return _NONE
        table = np.array(found, dtype=np.int32)
        return Matches(table[:, 1], table[:, 2], self.indices[table[:, 0]])


_NONE = Matches(*(np.zeros(0, dtype=np.int32) for _ in range(3)))
