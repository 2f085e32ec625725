"""Word lists for ``nerkit lexicon build``: from jieba's dictionary, a segmented corpus, raw text
segmented with jieba, or the entities of an annotated corpus; optionally re-counted (and pruned)
on a training text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from nerkit.common.errors import ConfigurationError
from nerkit.lexicon.jieba_dictionary import jieba_dictionary_path
from nerkit.lexicon.matcher import LexiconMatcher
from nerkit.lexicon.segmentation import read_pfr1998_words, segment_with_jieba
from nerkit.lexicon.word_list_file import WordList, read_word_list


def from_jieba() -> WordList:
    """jieba's bundled dictionary (about 349k words with frequencies and POS tags)."""
    return read_word_list(jieba_dictionary_path())


def from_counts(counts: Counter[str], tags: dict[str, Counter[str]] | None = None) -> WordList:
    """Words by descending count (ties by word), each with its most frequent tag."""
    words = WordList()
    for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        words.words.append(word)
        words.frequencies.append(count)
        tag_counts = (tags or {}).get(word)
        words.tags.append(tag_counts.most_common(1)[0][0] if tag_counts else "")
    return words


def from_pfr1998(paths: Sequence[str | Path], encoding: str = "auto") -> WordList:
    """The words of People's Daily files with their counts and most frequent POS tag."""
    counts: Counter[str] = Counter()
    tags: dict[str, Counter[str]] = {}
    for path in paths:
        for paragraph in read_pfr1998_words(path, encoding):
            for word, tag in paragraph:
                counts[word] += 1
                tags.setdefault(word, Counter())[tag] += 1
    return from_counts(counts, tags)


def from_text(lines: Sequence[str]) -> WordList:
    """The words jieba finds in ``lines``, with their counts (no tags)."""
    counts: Counter[str] = Counter()
    for words in segment_with_jieba(lines):
        counts.update(words)
    return from_counts(counts)


def from_entities(paths: Sequence[str | Path], readers: Sequence[str]) -> WordList:
    """The entity mentions of annotated files (a gazetteer), with their counts and most frequent
    entity type as the tag.

    ``readers`` as in ``read_corpus`` (a dataset reader for every file, or one per file). Useful
    as an outside gazetteer for another corpus (``lexicon_features`` with ``tags`` set to the
    entity types); never from the corpus a model trains on, whose entities it would give away.
    """
    from nerkit.pretrain.corpus import dataset_reader, readers_per_path

    counts: Counter[str] = Counter()
    tags: dict[str, Counter[str]] = {}
    for path, reader in zip(paths, readers_per_path(paths, readers)):
        if reader is None:
            raise ConfigurationError(
                f"{path}: entities need an annotated corpus; give its dataset reader "
                "(--reader conll, jsonl, pfr1998, ...)"
            )
        for sentence in dataset_reader(reader).read(path):
            for span in sentence.spans or []:
                mention = "".join(sentence.chars[span.start:span.end])
                counts[mention] += 1
                tags.setdefault(mention, Counter())[span.label] += 1
    return from_counts(counts, tags)


def count_in(words: WordList, texts: Iterable[str]) -> WordList:
    """``words`` re-counted on ``texts`` and pruned to those that occur there.

    A word's new frequency is 1 + the number of its occurrences not inside a longer matched word
    (the counting of Ma et al., 2020; the 1 keeps a word seen only inside longer ones).
    """
    matcher = LexiconMatcher(words.words)
    seen = np.zeros(len(words), dtype=np.int64)
    maximal = np.zeros(len(words), dtype=np.int64)
    for text in texts:
        start, end, word = matcher.match(text)
        if not len(word):
            continue
        seen[word] += 1
        order = np.lexsort((-end, start))  # by start, longest first
        reach = np.maximum.accumulate(end[order])
        covered = np.r_[False, reach[:-1] >= end[order][1:]]
        np.add.at(maximal, word[order][~covered], 1)
    kept = WordList()
    for index in np.flatnonzero(seen):
        kept.words.append(words.words[index])
        kept.frequencies.append(int(maximal[index]) + 1)
        kept.tags.append(words.tags[index])
    return kept
