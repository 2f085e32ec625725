from __future__ import annotations

import pytest

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.pretrain.corpus import (
    CorpusStats,
    bucketed_batches,
    by_frequency,
    char_counts,
    chunk_lines,
    read_corpus,
    split_held_out,
)


def test_plain_text_drops_whitespace_and_empty_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("北京 欢迎你\n\n  \n上海\r\n", encoding="utf-8")
    lines = read_corpus([path])
    assert lines == [list("北京欢迎你"), list("上海")]
    assert str(CorpusStats.of(lines)) == "2 lines, 7 characters, 7 distinct characters"


def test_gbk_text_is_detected(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("人民日报\n".encode("gbk"))
    assert read_corpus([path]) == [list("人民日报")]


def test_one_reader_per_input_or_one_for_all(fixtures_root, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("你好\n", encoding="utf-8")
    bio = fixtures_root / "data" / "tiny.bio"
    labelled = read_corpus([bio], ["conll"])
    assert labelled[0][:4] == list("最后，“")
    both = read_corpus([bio, bio], ["conll"])
    assert len(both) == 2 * len(labelled)
    json_config = read_corpus([bio], ['{"type": "conll", "tag_scheme": "BIO"}'])
    assert json_config == labelled
    with pytest.raises(ConfigurationError, match="one per input"):
        read_corpus([bio, text, text], ["conll", "conll"])


def test_errors(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        read_corpus([tmp_path / "missing.txt"])
    (tmp_path / "empty.txt").write_text("\n \n", encoding="utf-8")
    with pytest.raises(DataError, match="no text"):
        read_corpus([tmp_path / "empty.txt"])
    with pytest.raises(ConfigurationError, match="JSON"):
        read_corpus([tmp_path / "empty.txt"], ["{bad"])


def test_held_out_split_is_seeded_and_disjoint():
    lines = [[str(i)] for i in range(100)]
    train, held = split_held_out(lines, 0.1, seed=1)
    assert len(held) == 10 and len(train) == 90
    assert sorted(train + held) == sorted(lines)
    assert split_held_out(lines, 0.1, seed=1) == (train, held)
    assert len(split_held_out(lines, 0.5, seed=1, max_lines=3)[1]) == 3
    assert len(split_held_out(lines[:2], 0.01, seed=1)[1]) == 1
    with pytest.raises(ConfigurationError):
        split_held_out(lines, 1.5, seed=1)


def test_vocabulary_chunks_and_batches():
    lines = [list("aab"), list("bbc")]
    assert by_frequency(char_counts(lines)) == ["b", "a", "c"]
    assert by_frequency(char_counts(lines), min_count=2) == ["b", "a"]
    assert chunk_lines([list("abcde")], 2) == [["a", "b"], ["c", "d"], ["e"]]
    items = [list("x" * n) for n in range(1, 24)]
    batches = bucketed_batches(items, batch_size=4, seed=3)
    assert sorted(i for b in batches for i in b) == list(range(23))
    assert all(len(b) <= 4 for b in batches)
    assert bucketed_batches(items, batch_size=4, seed=3) == batches
