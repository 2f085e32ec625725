"""The conll reader: schemes given or detected, columns, BOM/CRLF, documents, every error path."""

from __future__ import annotations

import logging

import pytest

from nerkit.common.errors import DataError
from nerkit.data.dataset_readers import ConllDatasetReader, DatasetReader
from nerkit.data.sentence import Span


def write(tmp_path, text: str, name: str = "data.bio", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def assert_names(error: DataError, path, line: int) -> None:
    assert error.file == str(path) and error.line == line
    assert f"{path}:{line}:" in str(error)


def test_reads_the_tiny_fixture(fixtures_root):
    sentences = ConllDatasetReader().read(fixtures_root / "data" / "tiny.bio")
    assert sentences[0].text.startswith("最后")
    assert Span(11, 14, "PER") in sentences[0].spans
    assert sentences[0].meta["line"] == 1


def test_built_from_config_by_default_type():
    reader = DatasetReader.from_config({"tag_scheme": "BIOES", "tag_column": 1})
    assert isinstance(reader, ConllDatasetReader) and reader.tag_scheme == "BIOES"


@pytest.mark.parametrize(
    ("rows", "scheme"),
    [
        ("北\tB-LOC\n京\tE-LOC\n人\tS-PER\n", "BIOES"),
        ("北\tB-LOC\n京\tM-LOC\n市\tE-LOC\n", "BMES"),
        ("北\tB-LOC\n京\tI-LOC\n市\tE-LOC\n人\tB-PER\n", "BIEO"),
        ("北\tB-LOC\n京\tI-LOC\n", "BIO"),
    ],
)
def test_auto_detects_the_scheme(tmp_path, rows, scheme):
    reader = ConllDatasetReader(tag_scheme="auto")
    sentences = reader.read(write(tmp_path, rows))
    assert reader.detected_scheme == scheme
    assert sentences[0].spans[0].label == "LOC"


def test_space_columns_tag_column_bom_crlf_and_docstart(tmp_path):
    text = (
        "\ufeff-DOCSTART- -X- O O\r\n\r\n"
        "# a comment line\r\n"
        "北 ns B-LOC\r\n京 ns I-LOC\r\n\r\n"
        "-DOCSTART- -X- O O\r\n\r\n"
        "# ns O\r\n人 n O\r\n"
    )
    reader = ConllDatasetReader(tag_column=2)
    first, second = reader.read(write(tmp_path, text))
    assert first.chars == ["北", "京"] and first.spans == [Span(0, 2, "LOC")]
    assert first.meta["line"] == 4 and first.meta["article"] == 0
    assert second.chars == ["#", "人"] and second.meta["article"] == 1


def test_gbk_file_is_detected(tmp_path):
    path = write(tmp_path, "北\tB-LOC\n京\tI-LOC\n", encoding="gbk")
    assert ConllDatasetReader().read(path)[0].text == "北京"


def test_tags_in_other_scheme_can_be_written_back(tmp_path):
    sentence = ConllDatasetReader().read(write(tmp_path, "北\tB-LOC\n京\tI-LOC\n人\tB-PER\n"))[0]
    assert sentence.tags("BIEO") == ["B-LOC", "E-LOC", "B-PER"]


def test_wrong_column_count_names_file_and_line(tmp_path):
    path = write(tmp_path, "北\tB-LOC\n京\tI-LOC\n\n人\tx\tO\n")
    with pytest.raises(DataError, match="expected 2 columns like line 1, got 3") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 4)


def test_a_line_with_one_column_names_file_and_line(tmp_path):
    path = write(tmp_path, "北\tB-LOC\n京\n")
    with pytest.raises(DataError, match="a character and a tag") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 2)


def test_unknown_tag_prefix_names_file_and_line(tmp_path):
    path = write(tmp_path, "北\tB-LOC\n京\tI-LOC\n\n人\tO\n民\tX-PER\n")
    with pytest.raises(DataError, match="prefix 'X'") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 5)


def test_malformed_tag_names_file_and_line(tmp_path):
    path = write(tmp_path, "北\tLOC\n")
    with pytest.raises(DataError, match="malformed tag 'LOC'") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 1)


def test_orphan_inside_tag_names_file_and_line(tmp_path):
    path = write(tmp_path, "北\tO\n京\tI-LOC\n")
    with pytest.raises(DataError, match="'I-LOC' cannot follow 'O'") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 2)


def test_unclosed_bioes_entity_names_file_and_line(tmp_path):
    path = write(tmp_path, "北\tB-LOC\n京\tO\n")
    with pytest.raises(DataError, match="cannot follow 'B-LOC'") as info:
        ConllDatasetReader(tag_scheme="BIOES").read(path)
    assert_names(info.value, path, 2)


def test_undecodable_bytes_name_file_and_line(tmp_path):
    path = tmp_path / "bad.bio"
    path.write_bytes("北\tB-LOC\n".encode() + b"\xff\xfe\tO\n")
    with pytest.raises(DataError, match="not valid utf-8") as info:
        ConllDatasetReader(encoding="utf-8").read(path)
    assert_names(info.value, path, 2)


def test_empty_file_names_file_and_line(tmp_path):
    path = write(tmp_path, "")
    with pytest.raises(DataError, match="the file is empty") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 1)


def test_file_of_comments_only_names_its_last_line(tmp_path):
    path = write(tmp_path, "# nothing\n\n# here\n")
    with pytest.raises(DataError, match="no sentences in the file's 3 lines") as info:
        ConllDatasetReader().read(path)
    assert_names(info.value, path, 3)


def test_skip_invalid_counts_and_logs_each_skipped_line(tmp_path, caplog):
    path = write(tmp_path, "北\tB-LOC\n\n京\tI-LOC\n\n人\tO\n人\tx\tO\n\n民\tO\n")
    reader = ConllDatasetReader(skip_invalid=True)
    with caplog.at_level(logging.WARNING):
        sentences = reader.read(path)
    assert [s.text for s in sentences] == ["北", "民"]
    assert reader.skipped == 2
    assert [line for _, line, _ in reader.problems] == [3, 6]
    assert f"{path}:3" in caplog.text and f"{path}:6" in caplog.text


def test_max_sentences_and_split_sentences(tmp_path):
    rows = "他\tO\n说\tO\n。\tO\n北\tB-LOC\n京\tI-LOC\n好\tO\n！\tO\n"
    sentences = ConllDatasetReader(split_sentences=True).read(write(tmp_path, rows))
    assert [s.text for s in sentences] == ["他说。", "北京好！"]
    assert sentences[1].spans == [Span(0, 2, "LOC")] and sentences[1].meta["offset"] == 3
    assert len(ConllDatasetReader(split_sentences=True, max_sentences=1).read(
        write(tmp_path, rows))) == 1


def test_lenient_reading_repairs_transitions_and_records_them(tmp_path):
    path = write(tmp_path, "北\tI-LOC\n京\tI-LOC\n人\tO\n\n李\tB-PER\n鹏\tI-PER\n好\tO\n")
    reader = ConllDatasetReader(strict=False)
    first, second = reader.read(path)
    assert first.spans == [Span(0, 2, "LOC")] and second.spans == [Span(0, 2, "PER")]
    assert [line for _, line, _ in reader.repaired] == [1]


def test_lenient_reading_still_refuses_unknown_prefixes(tmp_path):
    path = write(tmp_path, "北\tI-LOC\n京\tX-LOC\n")
    with pytest.raises(DataError, match="prefix 'X'") as info:
        ConllDatasetReader(strict=False).read(path)
    assert_names(info.value, path, 2)


def test_an_ideographic_space_is_a_character_in_space_separated_rows(tmp_path):
    """Issue #10: a U+3000 row was rejected although space columns are documented."""
    path = write(tmp_path, "北 B-LOC\n京 I-LOC\n\u3000 O\n人 O\n")
    (sentence,) = ConllDatasetReader().read(path)
    assert sentence.chars == ["北", "京", "\u3000", "人"]
    assert sentence.spans == [(0, 2, "LOC")]


def test_a_file_whose_every_line_is_invalid_names_the_first_problem(tmp_path):
    path = write(tmp_path, "北\tX-LOC\n\n京\tQ\n")
    reader = ConllDatasetReader(skip_invalid=True)
    with pytest.raises(DataError, match="no valid sentence: 2 invalid lines") as info:
        reader.read(path)
    assert_names(info.value, path, 1)
    assert reader.read(path, allow_empty=True) == []
