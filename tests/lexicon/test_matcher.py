import random

import numpy as np

from nerkit.lexicon.matcher import LexiconMatcher


def brute_force(text: str, words: list[str]) -> set[tuple[int, int, int]]:
    """Every (start, end, word index) by trying each word at each position."""
    return {(start, start + len(word), index)
            for index, word in enumerate(words)
            for start in range(len(text) - len(word) + 1)
            if text.startswith(word, start)}


def found(matcher: LexiconMatcher, text: str) -> set[tuple[int, int, int]]:
    start, end, word = matcher.match(text)
    return set(zip(start.tolist(), end.tolist(), word.tolist()))


def test_matches_equal_a_brute_force_scan_on_random_sentences():
    rng = random.Random(7)
    alphabet = "北京大学生人民日报社中国东山"  # few characters: many overlapping matches
    words = sorted({"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(60)})
    matcher = LexiconMatcher(words)
    for _ in range(300):
        text = "".join(rng.choices(alphabet + "，。a1", k=rng.randint(0, 40)))
        assert found(matcher, text) == brute_force(text, words), text


def test_nested_and_overlapping_words_are_all_found():
    words = ["北京", "北京大学", "大学", "大学生", "学生", "京"]
    assert found(LexiconMatcher(words), "北京大学生") == brute_force("北京大学生", words)


def test_no_words_or_no_text_give_empty_int32_arrays():
    for matcher, text in ((LexiconMatcher([]), "北京"), (LexiconMatcher(["北京"]), ""),
                          (LexiconMatcher(["北京"]), "上海")):
        matches = matcher.match(text)
        assert all(len(a) == 0 and a.dtype == np.int32 for a in matches)
