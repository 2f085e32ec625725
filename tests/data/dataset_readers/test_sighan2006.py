"""The sighan2006 reader: MSRA bakeoff chunk/tag lines."""

from __future__ import annotations

import pytest

from nerkit.common.errors import DataError
from nerkit.data.dataset_readers import Sighan2006DatasetReader
from nerkit.data.sentence import Span


def test_reads_the_fixture(fixtures_root):
    sentences = Sighan2006DatasetReader().read(fixtures_root / "data" / "sighan2006_sample.txt")
    assert len(sentences) == 4
    assert sentences[0].text == "中共中央致中国致公党十一大的贺词"
    assert sentences[0].spans == [Span(0, 4, "ORG"), Span(5, 13, "ORG")]
    assert sentences[1].spans == []
    assert [e["text"] for e in sentences[3].entities()] == ["毛泽东", "延安", "斯诺"]
    assert sentences[3].meta["line"] == 4


def test_gbk_and_crlf(tmp_path):
    path = tmp_path / "msra.txt"
    path.write_bytes("北京/ns 欢迎/o 你/o\r\n".encode("gbk"))
    sentence = Sighan2006DatasetReader().read(path)[0]
    assert sentence.text == "北京欢迎你" and sentence.spans == [Span(0, 2, "LOC")]


def test_adjacent_chunks_stay_separate_entities(tmp_path):
    path = tmp_path / "msra.txt"
    path.write_text("毛泽东/nr 周恩来/nr 来/o\n", encoding="utf-8")
    assert Sighan2006DatasetReader().read(path)[0].spans == [Span(0, 3, "PER"), Span(3, 6, "PER")]


@pytest.mark.parametrize(
    ("line", "message"),
    [("北京/xx 好/o", "unknown tag 'xx'"), ("/ns 好/o", "expected a chunk/tag token")],
)
def test_bad_tokens_name_file_and_line(tmp_path, line, message):
    path = tmp_path / "msra.txt"
    path.write_text(f"好/o\n\n{line}\n", encoding="utf-8")
    with pytest.raises(DataError, match=message) as info:
        Sighan2006DatasetReader().read(path)
    assert f"{path}:3:" in str(info.value)
