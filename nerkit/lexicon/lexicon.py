"""The ``Lexicon`` base: a word list with frequencies and tags, matched in text by an automaton.

A lexicon travels inside ``model.tar.gz`` as a plain word list under ``resources/lexicons/``,
so a loaded model never reads the file (or the package) it was first built from.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from nerkit.common.component import Component
from nerkit.common.errors import ConfigurationError
from nerkit.common.resource_names import resource_name
from nerkit.data.sentence import Sentence
from nerkit.lexicon.cross_fold import FoldExclusion, fold_exclusion
from nerkit.lexicon.matcher import LexiconMatcher, Matches
from nerkit.lexicon.word_list_file import WordList, read_word_list, write_word_list

RESOURCE_DIRECTORY = "lexicons"
MEMO_SIZE = 500_000  # sentences whose matches are kept (about 1 KB each)


class Lexicon(Component):
    """Words with a frequency and a tag (POS such as ``nr``/``ns``/``nt``, or ``""``).

    Implementations read their source in ``load_words``; this base applies the common filters,
    keeps the archive copy, and matches text.

    Args:
        min_frequency: Leave out words rarer than this.
        max_word_length: Leave out words longer than this many characters (no limit: null).
        cross_fold: For a lexicon counted from the training data: split the training sentences
            into this many folds (by article where the reader gives one) and match each
            training sentence without the words found only in its own fold, so training sees
            unlisted names as often as a test set does (``nerkit.lexicon.cross_fold``). Other
            text, and every text of a loaded archive, sees the whole list. 0: off.
        sentences: Injected in training: the training sentences ``cross_fold`` splits.
        archive_resources: Injected when loading an archive: the word list is read from the
            archive's copy instead of the source.
    """

    registry_name = "lexicons"
    default_type = "word_list"
    shared_instances = True  # the softlexicon and lexicon_features of one list match it once

    def __init__(
        self, min_frequency: int = 0, max_word_length: int | None = None, cross_fold: int = 0,
        sentences: Sequence[Sentence] | None = None, archive_resources: Path | None = None,
    ) -> None:
        if cross_fold < 0 or cross_fold == 1:
            raise ConfigurationError(f"cross_fold must be 0 (off) or at least 2, got {cross_fold}")
        self.min_frequency = min_frequency
        self.max_word_length = max_word_length
        if archive_resources is not None:
            source = read_word_list(Path(archive_resources) / RESOURCE_DIRECTORY
                                    / self.resource_name())
        else:
            source = self.load_words()
        self.entries: WordList = source.filtered(min_frequency, max_word_length)
        self.index = {word: i for i, word in enumerate(self.entries.words)}
        self.frequencies = np.asarray(self.entries.frequencies, dtype=np.float64)
        self._memo: dict[str, Matches] = {}
        self.exclusion: FoldExclusion | None = None
        if cross_fold and sentences and archive_resources is None:
            self.exclusion = fold_exclusion(self.matcher, len(self), sentences, cross_fold)

    def load_words(self) -> WordList:
        """The source's entries (before filtering)."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """What identifies this lexicon's content (source and filters), for the resource name."""
        return {"type": type(self).__name__, "min_frequency": self.min_frequency,
                "max_word_length": self.max_word_length}

    def resource_name(self) -> str:
        """The archive file name: a readable stem plus a digest of ``describe()``."""
        return resource_name(self.stem(), ".txt", self.describe())

    def stem(self) -> str:
        return "lexicon"

    def save_resources(self, directory: Path) -> None:
        """Write the filtered word list into an archive's ``resources`` directory."""
        write_word_list(self.entries, Path(directory) / RESOURCE_DIRECTORY / self.resource_name())

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def words(self) -> list[str]:
        return self.entries.words

    @property
    def tags(self) -> list[str]:
        return self.entries.tags

    @cached_property
    def matcher(self) -> LexiconMatcher:
        return LexiconMatcher(self.entries.words)

    def match(self, text: str) -> Matches:
        """Every occurrence of a lexicon word in ``text`` (overlapping ones included).

        Results are remembered per text, so a training set is matched once, not once per epoch.
        With ``cross_fold``, a training sentence's matches leave out the words of its own fold.
        """
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            found = self.matcher.match(text)
            if self.exclusion is not None:
                found = self.exclusion.apply(text, found)
            self._memo[text] = found
        return found

    def forget_matches(self) -> None:
        """Drop the remembered matches (to time matching, or to free memory)."""
        self._memo.clear()
