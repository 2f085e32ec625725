import re

import pytest

from nerkit.common.build import build_and_fill
from nerkit.common.errors import DataError
from nerkit.lexicon.lexicon import RESOURCE_DIRECTORY, Lexicon
from nerkit.lexicon.word_list import WordListLexicon
from nerkit.lexicon.word_list_file import read_word_list, write_word_list


def test_reads_word_frequency_tag_lines(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# comment\n北京 10 ns\n\n大学\n北京 3 n\n张三 2\n", encoding="utf-8")
    words = read_word_list(path)
    assert words.words == ["北京", "大学", "张三"]
    assert words.frequencies == [10, 1, 2]  # a repeated word keeps its highest frequency
    assert words.tags == ["ns", "", ""]


@pytest.mark.parametrize(("line", "message"), [
    ("北京 many ns", "frequency must be a whole number"),
    ("北京 1 ns extra", "expected 'word [frequency] [tag]'"),
])
def test_a_malformed_line_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "words.txt"
    path.write_text(f"上海 2\n{line}\n", encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(f"words.txt:2: {message}")):
        read_word_list(path)


def test_write_then_read_is_the_same(tmp_path, tiny_lexicon_path):
    words = read_word_list(tiny_lexicon_path)
    assert read_word_list(write_word_list(words, tmp_path / "copy.txt")) == words


def test_builds_from_config_with_filters(tiny_lexicon_path):
    lexicon, filled = build_and_fill(
        {"path": str(tiny_lexicon_path), "min_frequency": 3, "max_word_length": 3}, Lexicon)
    assert isinstance(lexicon, WordListLexicon) and filled["type"] == "word_list"
    assert "撒哈拉沙漠" not in lexicon.index and "卢嘉锡" not in lexicon.index
    assert lexicon.frequencies[lexicon.index["武斌"]] == 12
    assert lexicon.tags[lexicon.index["山东"]] == "ns"


def test_archive_copy_is_read_instead_of_the_source(tmp_path, tiny_lexicon_path):
    source = tmp_path / "source.txt"
    source.write_bytes(tiny_lexicon_path.read_bytes())
    lexicon = WordListLexicon(str(source), min_frequency=2)
    lexicon.save_resources(tmp_path / "resources")
    saved = list((tmp_path / "resources" / RESOURCE_DIRECTORY).iterdir())
    assert [p.name for p in saved] == [lexicon.resource_name()]
    source.unlink()
    loaded = WordListLexicon(str(source), min_frequency=2, archive_resources=tmp_path / "resources")
    assert loaded.entries == lexicon.entries


def test_match_finds_words_and_remembers_the_text(tiny_lexicon_path):
    lexicon = WordListLexicon(str(tiny_lexicon_path))
    first = lexicon.match("领导同志")
    assert {lexicon.words[w] for w in first.word} == {"领导", "领导同志", "同志"}
    assert lexicon.match("领导同志") is first


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="lexicon word list not found"):
        WordListLexicon(str(tmp_path / "nope.txt"))
