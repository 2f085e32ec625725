"""Encodings and line ends, width/digit normalisation, sentence splitting."""

from __future__ import annotations

import pytest

from nerkit.common.errors import DataError
from nerkit.data.normalization import digits_to_zero, normalize, to_half_width
from nerkit.data.sentence import Sentence, Span
from nerkit.data.sentence_split import split_sentence
from nerkit.data.text_file import detect_encoding, iter_lines


def raise_problem(message, path, line):
    raise DataError(message, str(path), line)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [("北京".encode(), "utf-8"), ("北京".encode("gbk"), "gb18030"),
     (b"\xef\xbb\xbf" + "北".encode(), "utf-8")],
)
def test_detect_encoding(data, encoding):
    assert detect_encoding(data) == encoding


def test_lines_without_bom_crlf_and_extra_cr(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"\xef\xbb\xbfa\r\nb\r\r\n\r\nc")
    assert list(iter_lines(path, "auto", raise_problem)) == [(1, "a"), (2, "b"), (3, ""), (4, "c")]


def test_undecodable_line_is_reported_with_its_number(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes("好\n".encode() + b"ok\n\xff\n")
    with pytest.raises(DataError, match="not valid utf-8") as info:
        list(iter_lines(path, "utf-8", raise_problem))
    assert info.value.line == 3
    problems = []
    lines = list(iter_lines(path, "utf-8", lambda m, p, n: problems.append(n)))
    assert lines == [(1, "好"), (2, "ok")] and problems == [3]


def test_normalisation_keeps_length():
    assert to_half_width("ＡＢ１２　！中") == "AB12 !中"
    assert digits_to_zero("1９٣x") == "000x"
    assert normalize("１a", width=True, digits=True) == "0a"


def test_split_sentence_keeps_closers_and_entities():
    text = "他说：“好。”李鹏来了！再见"
    sentence = Sentence(list(text), [Span(7, 9, "PER")], {"line": 3})
    pieces = split_sentence(sentence)
    assert ["".join(p.chars) for p in pieces] == ["他说：“好。”", "李鹏来了！", "再见"]
    assert pieces[1].spans == [Span(0, 2, "PER")]
    assert [p.meta["offset"] for p in pieces] == [0, 7, 12] and pieces[2].meta["line"] == 3


def test_split_sentence_never_cuts_an_entity():
    sentence = Sentence(list("《你好。世界》来了。"), [Span(0, 7, "WORK")])
    assert ["".join(p.chars) for p in split_sentence(sentence)] == ["《你好。世界》来了。"]
    assert split_sentence(Sentence(list("无标点"))) == [Sentence(list("无标点"))]
