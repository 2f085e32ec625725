"""The pfr1998 reader on a People's Daily sample as the corpus ships (GBK, CRLF, brackets)."""

from __future__ import annotations

import pytest

from nerkit.common.errors import DataError
from nerkit.data.dataset_readers import DatasetReader, Pfr1998DatasetReader
from nerkit.data.sentence import Span


@pytest.fixture
def sample(fixtures_root):
    return fixtures_root / "data" / "pfr1998_sample.txt"


def entities(sentence):
    return [(e["text"], e["type"]) for e in sentence.entities()]


def test_default_mapping_brackets_and_merged_names(sample):
    sentences = Pfr1998DatasetReader().read(sample)
    assert len(sentences) == 6
    assert entities(sentences[1]) == [("中共中央", "ORG"), ("江泽民", "PER")]
    # [..]nt is one ORG, [..]ns one LOC; the inner 香港/ns is not a separate entity.
    assert entities(sentences[3]) == [
        ("中央人民广播电台", "ORG"), ("香港特别行政区", "LOC"), ("北京", "LOC"), ("李鹏", "PER"),
    ]
    # An unmapped compound [..]nz is read token by token; the line's extra \r is tolerated.
    assert entities(sentences[4]) == [
        ("中国国际广播电台", "ORG"), ("王小明", "PER"), ("东方", "LOC"), ("上海", "LOC"),
    ]
    # A single space between tokens is tolerated too.
    assert sentences[5].text == "可叹身陷囹圄日，俄罗斯总统叶利钦访问中国。"


def test_paragraph_ids_and_articles(sample):
    sentences = Pfr1998DatasetReader().read(sample)
    assert sentences[0].meta["id"] == "19980101-01-001-001"
    assert [s.meta["article"] for s in sentences] == [0, 0, 0, 1, 1, 2]
    assert [s.meta["line"] for s in sentences] == [1, 2, 3, 5, 6, 8]


def test_extra_tags_map_and_merge(sample):
    reader = Pfr1998DatasetReader(
        entity_map={"nr": "PER", "ns": "LOC", "nt": "ORG", "t": "TIME"}, merge_adjacent=["nr", "t"]
    )
    sentences = reader.read(sample)
    assert entities(sentences[0]) == [("一九九八年新年", "TIME")]
    assert entities(sentences[2]) == [("１９９７年１２月３１日", "TIME")]


def test_adjacent_names_are_not_merged_when_not_asked(sample):
    sentence = Pfr1998DatasetReader(merge_adjacent=[]).read(sample)[1]
    assert entities(sentence) == [("中共中央", "ORG"), ("江", "PER"), ("泽民", "PER")]


def test_width_normalisation_keeps_offsets(sample):
    reader = Pfr1998DatasetReader(normalize_width=True)
    assert reader.read(sample)[2].text == "(1997年12月31日)"
    assert reader.text_to_sentence("１２３").chars == ["1", "2", "3"]
    assert Pfr1998DatasetReader().text_to_sentence("１").chars == ["１"]


def test_split_sentences_keeps_the_id(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("19980101-01-001-001/m  他/r  来/v  。/w  李/nr  鹏/nr  走/v  ！/w  \n")
    pieces = Pfr1998DatasetReader(split_sentences=True).read(path)
    assert [p.text for p in pieces] == ["他来。", "李鹏走！"]
    assert pieces[1].spans == [Span(0, 2, "PER")]
    assert pieces[1].meta["id"] == "19980101-01-001-001" and pieces[1].meta["offset"] == 3


def test_from_config():
    reader = DatasetReader.from_config({"type": "pfr1998", "entity_map": {"nr": "PER"}})
    assert reader.entity_map == {"nr": "PER"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("19980101-01-001-001/m  北京  上海/ns", "expected a word/POS token"),
        ("19980101-01-001-001/m  [中央/n  电台/n  北京/ns", "not closed"),
        ("19980101-01-001-001/m  中央/n  电台/n]nt", "never opened"),
        ("19980101-01-001-001/m  [中央/n  [电台/n]nt", "nested"),
        ("19980101-01-001-001/m  /w", "expected a word/POS token"),
    ],
)
def test_malformed_paragraph_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "p.txt"
    path.write_bytes(("19980101-01-001-000/m  好/a\r\n" + line + "\r\n").encode("gbk"))
    with pytest.raises(DataError, match=message) as info:
        Pfr1998DatasetReader().read(path)
    assert info.value.line == 2 and f"{path}:2:" in str(info.value)


def test_undecodable_line_names_file_and_line(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes("好/a\r\n".encode("gbk") + b"\x80\x20/w\r\n")
    with pytest.raises(DataError, match="not valid") as info:
        Pfr1998DatasetReader(encoding="gbk").read(path)
    assert f"{path}:2:" in str(info.value)


def test_skip_invalid_skips_the_paragraph(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("好/a\n北京\n中国/ns\n", encoding="utf-8")
    reader = Pfr1998DatasetReader(skip_invalid=True)
    assert [s.text for s in reader.read(path)] == ["好", "中国"]
    assert reader.problems[0][1] == 2


@pytest.mark.parametrize(
    ("tokens", "names"),
    [
        ("江/nr  泽民/nr  李/nr  鹏/nr  指示/v", ["江泽民", "李鹏"]),
        ("李/nr  鹏/nr  乔/nr  石/nr  朱/nr  镕基/nr", ["李鹏", "乔石", "朱镕基"]),
        ("陈/nr  方/nr  安生/nr", ["陈方安生"]),
        ("若愚/nr  肖/nr  荻/nr", ["若愚", "肖荻"]),
        ("欧阳/nr  修/nr", ["欧阳修"]),
        ("叶利钦/nr  、/w  李/nr  鹏/nr", ["叶利钦", "李鹏"]),
    ],
)
def test_lists_of_names_are_split_into_people(tokens, names):
    chars, spans = Pfr1998DatasetReader().paragraph(tokens.split())
    assert ["".join(chars[s.start:s.end]) for s in spans] == names


def test_name_lists_merge_whole_when_asked():
    chars, spans = Pfr1998DatasetReader(split_name_lists=False).paragraph(
        "江/nr  泽民/nr  李/nr  鹏/nr".split()
    )
    assert spans == [Span(0, 5, "PER")]
