"""Cross-fold matching of training sentences: each sees the lexicon as if it had been built
without its own fold of articles.

A lexicon counted from the training data (People's Daily under the leakage rule) holds every
training entity, so in training each entity is a lexicon word and a tagger learns to trust
membership; a new name at test time is in no lexicon. Matching a training sentence without the
words that occur only in its own fold (of K, by article) gives training the test's mix of
listed and unlisted names. Text that is not a training sentence sees every word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nerkit.data.sentence import Sentence
from nerkit.lexicon.matcher import LexiconMatcher, Matches

SEVERAL = -1  # a text or word found in more than one fold: never held out


@dataclass
class FoldExclusion:
    """Which words each training text must not see.

    Attributes:
        text_fold: Training text -> its fold (``SEVERAL`` when it occurs in several).
        sole_fold: Per lexicon word, the one fold whose training texts contain it, else
            ``SEVERAL`` (in several folds, or in none).
    """

    text_fold: dict[str, int]
    sole_fold: np.ndarray

    def apply(self, text: str, found: Matches) -> Matches:
        """``found`` without the words seen only in ``text``'s own fold (unchanged for text
        that is not a training sentence)."""
        fold = self.text_fold.get(text, SEVERAL)
        if fold == SEVERAL or not len(found.word):
            return found
        kept = self.sole_fold[found.word] != fold
        return found if kept.all() else Matches(*(column[kept] for column in found))


def fold_of(sentence: Sentence, index: int, folds: int) -> int:
    """The sentence's fold: by ``meta["article"]`` when the reader gives one (so an article's
    repeated names stay together), else by position."""
    article = sentence.meta.get("article")
    return (article if isinstance(article, int) else index) % folds


def fold_exclusion(
    matcher: LexiconMatcher, num_words: int, sentences: Sequence[Sentence], folds: int
) -> FoldExclusion:
    """Match every training sentence once and record each word's folds."""
    text_fold: dict[str, int] = {}
    word_ids: list[np.ndarray] = []
    word_folds: list[np.ndarray] = []
    for index, sentence in enumerate(sentences):
        text, fold = sentence.text, fold_of(sentence, index, folds)
        text_fold[text] = fold if text_fold.get(text, fold) == fold else SEVERAL
        words = np.unique(matcher.match(text).word)
        word_ids.append(words)
        word_folds.append(np.full(len(words), fold, dtype=np.int64))
    ids = np.concatenate(word_ids) if word_ids else np.zeros(0, dtype=np.int64)
    seen_in = np.concatenate(word_folds) if word_folds else np.zeros(0, dtype=np.int64)
    lowest = np.full(num_words, folds, dtype=np.int64)
    highest = np.full(num_words, -1, dtype=np.int64)
    np.minimum.at(lowest, ids, seen_in)
    np.maximum.at(highest, ids, seen_in)
    sole_fold = np.where(lowest == highest, lowest, SEVERAL)
    return FoldExclusion(text_fold, sole_fold)
