"""``word_list``: a lexicon read from a ``word [frequency] [tag]`` file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nerkit.data.sentence import Sentence
from nerkit.lexicon.lexicon import Lexicon
from nerkit.lexicon.word_list_file import WordList, read_word_list


@Lexicon.register("word_list")
class WordListLexicon(Lexicon):
    """Words from a UTF-8 file with one ``word [frequency] [tag]`` per line.

    Args:
        path: The word list (e.g. written by ``nerkit lexicon build``).
        min_frequency: See Lexicon.
        max_word_length: See Lexicon.
        cross_fold: See Lexicon (for a word list counted from the training data).
        sentences: Injected in training (see Lexicon).
        archive_resources: Injected when loading an archive (``path`` is then not read).

    Registered as `lexicons: word_list`.
    """

    def __init__(
        self, path: str, min_frequency: int = 0, max_word_length: int | None = None,
        cross_fold: int = 0, sentences: Sequence[Sentence] | None = None,
        archive_resources: Path | None = None,
    ) -> None:
        self.path = path
        super().__init__(
            min_frequency, max_word_length, cross_fold, sentences, archive_resources
        )

    def load_words(self) -> WordList:
        return read_word_list(self.path)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "path": self.path}

    def stem(self) -> str:
        return re.sub(r"[^\w.-]+", "_", Path(self.path).stem) or "word_list"
