"""All occurrences of lexicon words in a text, from a compiled Aho-Corasick automaton."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
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

    Backed by pyahocorasick's C automaton (one pass over the text whatever the list's size);
    its ``(last index, word index)`` pairs go straight into numpy without a Python loop.
    """

    def __init__(self, words: Sequence[str]) -> None:
        try:
            import ahocorasick
        except ImportError as error:
            raise ConfigurationError(
                "lexicon matching needs pyahocorasick: pip install 'nerkit[lexicon]'"
            ) from error

        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for index, word in enumerate(words):
            if word:
                self.automaton.add_word(word, index)
        self.lengths = np.array([len(word) for word in words], dtype=np.int32)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def match(self, text: str) -> Matches:
        """Occurrences in ``text``, ordered by end position."""
        if self.empty or not text:
            return _NONE
        pairs = np.fromiter(chain.from_iterable(self.automaton.iter(text)), dtype=np.int32)
        if not len(pairs):
            return _NONE
        end, word = pairs[0::2] + 1, pairs[1::2]
        return Matches(end - self.lengths[word], end, word)


_NONE = Matches(*(np.zeros(0, dtype=np.int32) for _ in range(3)))
