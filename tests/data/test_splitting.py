"""Dataset splits: deterministic by seed, or in file order at article boundaries."""

from __future__ import annotations

import pytest

from nerkit.data.sentence import Sentence
from nerkit.data.splitting import normalize_ratios, split_by_article, split_random


def numbered(articles: list[int]) -> list[Sentence]:
    return [Sentence(["字"], [], {"line": i, "article": a}) for i, a in enumerate(articles)]


def test_random_split_is_deterministic_and_complete():
    sentences = numbered([0] * 100)
    first = split_random(sentences, [0.8, 0.2], seed=7)
    again = split_random(sentences, [0.8, 0.2], seed=7)
    other = split_random(sentences, [0.8, 0.2], seed=8)
    assert [len(p) for p in first] == [80, 20]
    assert first == again and first != other
    lines = [s.meta["line"] for part in first for s in part]
    assert sorted(lines) == list(range(100))
    assert [s.meta["line"] for s in first[1]] == sorted(s.meta["line"] for s in first[1])


def test_article_split_cuts_at_the_nearest_boundary_in_file_order():
    # 10 articles of 3, 1, 4, 2, ... sentences; 80% of 25 = 20 falls inside an article.
    articles = [a for a, size in enumerate([3, 1, 4, 2, 3, 2, 4, 2, 2, 2]) for _ in range(size)]
    train, test = split_by_article(numbered(articles), [0.8, 0.2])
    assert len(train) + len(test) == 25
    assert train[-1].meta["article"] != test[0].meta["article"]
    assert len(train) == 19  # boundaries at 19 and 21 are as near to 20: the earlier wins
    parts = split_by_article(numbered(articles), [8, 1, 1])
    assert [len(p) for p in parts] == [19, 2, 4]


def test_article_split_needs_articles():
    with pytest.raises(ValueError, match="no meta\\['article'\\]"):
        split_by_article([Sentence(["a"])], [0.5, 0.5])
    with pytest.raises(ValueError, match="1 articles cannot make 2 parts"):
        split_by_article(numbered([0, 0, 0]), [0.5, 0.5])


def test_ratios():
    assert normalize_ratios([8, 2]) == [0.8, 0.2]
    with pytest.raises(ValueError, match="two or more positive"):
        normalize_ratios([1.0])
