"""SoftLexicon's B/M/E/S word sets of each character, as flat arrays for a batch of sentences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from nerkit.lexicon.matcher import Matches

BEGIN, MIDDLE, END, SINGLE = 0, 1, 2, 3
SET_NAMES = ("B", "M", "E", "S")


class Memberships(NamedTuple):
    """Parallel int64 arrays, one entry per (character, set, word) membership."""

    row: np.ndarray
    position: np.ndarray
    set: np.ndarray
    word: np.ndarray


def memberships(batch: Sequence[Matches]) -> Memberships:
    """Which words each character is in: a word of length 1 is the S set of its character; a
    longer word is in the B set of its first character, the E set of its last and the M set of
    every character between (Ma et al., 2020)."""
    parts = []
    for row, (start, end, word) in enumerate(batch):
        start, end, word = (a.astype(np.int64) for a in (start, end, word))
        length = end - start
        single, multi = length == 1, length > 1
        inner = np.maximum(length - 2, 0)
        middle_word = np.repeat(word, inner)
        offsets = np.arange(int(inner.sum())) - np.repeat(np.cumsum(inner) - inner, inner)
        middle_position = np.repeat(start + 1, inner) + offsets
        positions = (start[multi], middle_position, end[multi] - 1, start[single])
        words = (word[multi], middle_word, word[multi], word[single])
        for set_id, (position, members) in enumerate(zip(positions, words)):
            parts.append((np.full(len(position), row), position,
                          np.full(len(position), set_id), members))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Memberships(empty, empty, empty, empty)
    return Memberships(*(np.concatenate([p[i] for p in parts]).astype(np.int64)
                         for i in range(4)))


def word_sets(matches: Matches, length: int, words: Sequence[str]) -> list[dict[str, set[str]]]:
    """Readable sets for one sentence: ``[{"B": {...}, "M": ..., "E": ..., "S": ...}, ...]``."""
    sets = [{name: set() for name in SET_NAMES} for _ in range(length)]
    found = memberships([matches])
    for position, set_id, word in zip(found.position, found.set, found.word):
        sets[position][SET_NAMES[set_id]].add(words[word])
    return sets
