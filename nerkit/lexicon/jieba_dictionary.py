"""``jieba_dictionary``: the word list bundled with the jieba package (no download)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence
from nerkit.lexicon.lexicon import Lexicon
from nerkit.lexicon.word_list_file import WordList, read_word_list


def jieba_dictionary_path() -> Path:
    """The ``dict.txt`` shipped inside the installed jieba package."""
    try:
        import jieba
    except ImportError as error:
        raise ConfigurationError(
            "the jieba dictionary needs jieba: pip install 'nerkit[lexicon]'"
        ) from error
    return Path(jieba.__file__).parent / "dict.txt"


@Lexicon.register("jieba_dictionary")
class JiebaDictionaryLexicon(Lexicon):
    """jieba's bundled dictionary: about 349k words with frequencies and POS tags.

    Tags include ``nr`` (72k person names), ``ns`` (17k places) and ``nt`` (4.7k organisations).
    It was built partly from People's Daily text, so do not use it for results on that corpus
    (build a lexicon from its training portion instead).

    Args:
        min_frequency: See Lexicon.
        max_word_length: See Lexicon.
        cross_fold: See Lexicon (for a word list counted from the training data).
        sentences: Injected in training (see Lexicon).
        archive_resources: Injected when loading an archive (jieba is then not needed).

    Registered as `lexicons: jieba_dictionary`.
    """

    def __init__(
        self, min_frequency: int = 0, max_word_length: int | None = None,
        cross_fold: int = 0, sentences: Sequence[Sentence] | None = None,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__(
            min_frequency, max_word_length, cross_fold, sentences, archive_resources
        )

    def load_words(self) -> WordList:
        return read_word_list(jieba_dictionary_path())

    def stem(self) -> str:
        return "jieba_dictionary"
