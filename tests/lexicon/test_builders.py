from pathlib import Path

import pytest

from nerkit.common.errors import ConfigurationError
from nerkit.lexicon import builders
from nerkit.lexicon.segmentation import read_word_lines, segment_with_jieba
from nerkit.lexicon.word_list_file import WordList

PFR = Path(__file__).resolve().parents[2] / "fixtures" / "data" / "pfr1998_sample.txt"
TINY = PFR.with_name("tiny.bio")


def test_pfr1998_words_with_counts_and_pos_tags():
    words = builders.from_pfr1998([PFR])
    entries = {w: (f, t) for w, f, t in zip(words.words, words.frequencies, words.tags)}
    assert entries["北京"] == (1, "ns")
    assert entries["江"][1] == "nr" and entries["泽民"][1] == "nr"
    assert entries["电台"] == (2, "n")  # words inside a bracketed compound count too
    assert "19980101-01-001-001" not in entries  # the paragraph id is not a word
    assert words.frequencies == sorted(words.frequencies, reverse=True)


def test_jieba_segments_raw_text_and_counts_words():
    assert segment_with_jieba(["我爱北京天安门", " "]) == [["我", "爱", "北京", "天安门"], []]
    words = builders.from_text(["北京欢迎你", "我爱北京"])
    assert words.frequencies[words.words.index("北京")] == 2
    assert set(words.tags) == {""}


def test_count_in_prunes_and_counts_only_words_not_inside_longer_matches():
    words = WordList(["北京", "北京大学", "大学", "上海", "京"], [9, 9, 9, 9, 9],
                     ["ns", "nt", "n", "ns", ""])
    counted = builders.count_in(words, ["北京大学在北京", "大学"])
    entries = dict(zip(counted.words, counted.frequencies))
    assert "上海" not in entries  # never occurs
    # 北京: once alone (maximal) + once inside 北京大学 -> 1 + 1; 大学: once alone -> 1 + 1;
    # 京: always inside 北京 -> 1 + 0; 北京大学: 1 + 1
    assert entries == {"北京": 2, "北京大学": 2, "大学": 2, "京": 1}
    assert counted.tags[counted.words.index("北京大学")] == "nt"


def test_word_lines_keep_the_corpus_segmentation_or_use_jieba(tmp_path):
    lines = read_word_lines([PFR], ["pfr1998"])
    assert lines[1][:4] == ["中共中央", "总书记", "、", "国家"]
    text = tmp_path / "raw.txt"
    text.write_text("我爱北京天安门\n", encoding="utf-8")
    assert read_word_lines([text]) == [["我", "爱", "北京", "天安门"]]


def test_entities_of_annotated_files_with_counts_and_types():
    words = builders.from_entities([PFR, TINY], ["pfr1998", "conll"])
    entries = {w: (f, t) for w, f, t in zip(words.words, words.frequencies, words.tags)}
    assert entries["江泽民"][1] == "PER"  # the reader's merged name, not its nr parts
    assert entries["北京"][1] == "LOC"
    assert "电台" not in entries  # words that are no entity stay out
    assert set(words.tags) <= {"PER", "LOC", "ORG"}
    assert words.frequencies == sorted(words.frequencies, reverse=True)


def test_entities_need_a_dataset_reader():
    with pytest.raises(ConfigurationError, match="give its dataset reader"):
        builders.from_entities([TINY], [])
