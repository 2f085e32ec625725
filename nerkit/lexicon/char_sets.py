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
    every character between (Ma et al., 2020). One set of array operations for the batch."""
    counts = [len(matches.word) for matches in batch]
    if not sum(counts):
        empty = np.zeros(0, dtype=np.int64)
        return Memberships(empty, empty, empty, empty)
    row = np.repeat(np.arange(len(batch)), counts)
    start, end, word = (np.concatenate([m[i] for m in batch]).astype(np.int64) for i in range(3))
    length = end - start
    single, multi = length == 1, length > 1
    inner = np.maximum(length - 2, 0)
    offsets = np.arange(int(inner.sum())) - np.repeat(np.cumsum(inner) - inner, inner)
    middle = np.repeat(np.arange(len(word)), inner)
    parts = (  # (which matches, their positions) for B, M, E, S in order
        (multi, start[multi]),
        (middle, start[middle] + 1 + offsets),
        (multi, end[multi] - 1),
        (single, start[single]),
    )
    sets = np.concatenate([np.full(len(position), set_id)
                           for set_id, (_, position) in enumerate(parts)])
    return Memberships(
        np.concatenate([row[chosen] for chosen, _ in parts]),
        np.concatenate([position for _, position in parts]),
        sets,
        np.concatenate([word[chosen] for chosen, _ in parts]),
    )


def word_sets(matches: Matches, length: int, words: Sequence[str]) -> list[dict[str, set[str]]]:
    """Readable sets for one sentence: ``[{"B": {...}, "M": ..., "E": ..., "S": ...}, ...]``."""
    sets: list[dict[str, set[str]]] = [{name: set() for name in SET_NAMES} for _ in range(length)]
    found = memberships([matches])
    for position, set_id, word in zip(found.position, found.set, found.word):
        sets[position][SET_NAMES[set_id]].add(words[word])
    return sets
