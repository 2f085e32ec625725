"""The ``brat`` reader: .txt/.ann pairs, a line per sentence, errors naming the .ann line."""

from __future__ import annotations

import pytest

from nerkit.common.errors import DataError
from nerkit.data import cache
from nerkit.data.dataset_readers import BratDatasetReader
from nerkit.data.sentence import Span

TEXT = "江泽民在北京。\r\n\n联合国秘书长安南\n"
ANN = ("T1\tPER 0 3\t江泽民\nT2\tLOC 4 6\t北京\nR1\tLocated Arg1:T1 Arg2:T2\n"
       "T3\tORG 10 13\t联合国\nA1\tNegated T3\n#1\tAnnotatorNotes T1\ta note\n"
       "T4\tPER 16 18\t安南\n")


def document(directory, name="doc", text=TEXT, ann=ANN):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.txt").write_bytes(text.encode("utf-8"))
    (directory / f"{name}.ann").write_bytes(ann.encode("utf-8"))
    return directory / f"{name}.ann"


def test_lines_become_sentences_with_line_offsets(tmp_path):
    sentences = BratDatasetReader().read(document(tmp_path))
    assert [s.text for s in sentences] == ["江泽民在北京。", "联合国秘书长安南"]
    assert sentences[0].spans == [Span(0, 3, "PER"), Span(4, 6, "LOC")]
    assert sentences[1].spans == [Span(0, 3, "ORG"), Span(6, 8, "PER")]
    assert [s.meta["line"] for s in sentences] == [1, 3]  # \r\n counts as two characters
    assert sentences[1].meta["file"] == str(tmp_path / "doc.txt")


def test_a_directory_reads_every_document_in_name_order(tmp_path):
    document(tmp_path / "corpus", "b", "安南\n", "T1\tPER 0 2\t安南\n")
    document(tmp_path / "corpus" / "sub", "a", "北京\n", "T1\tLOC 0 2\t北京\n")
    document(tmp_path / "corpus", "a")
    sentences = BratDatasetReader().read(tmp_path / "corpus")
    assert [s.text for s in sentences] == ["江泽民在北京。", "联合国秘书长安南", "安南", "北京"]


@pytest.mark.parametrize(("ann", "line", "message"), [
    ("T1\tPER 0 3\t江泽民\nT2\tLOC 0 2;4 6\t江泽 北京\n", 2, "several fragments"),
    ("T1\tPER 0 3\t江泽\n", 1, "says '江泽' but the text there is '江泽民'"),
    ("T1\tPER 5 12\n", 1, "crosses a line break"),
    ("T1\tPER x 3\t江泽民\n", 1, "two integer offsets"),
    ("T1\tPER 0 99\t江\n", 1, "outside the text"),
    ("T1\n", 1, "expected ID<TAB>TYPE START END"),
])
def test_bad_annotations_name_the_ann_file_and_line(tmp_path, ann, line, message):
    path = document(tmp_path, ann=ann)
    with pytest.raises(DataError) as caught:
        BratDatasetReader().read(path)
    assert caught.value.file == str(path) and caught.value.line == line
    assert message in str(caught.value)


def test_skip_invalid_drops_the_bad_annotation_only(tmp_path):
    path = document(tmp_path, ann="T1\tPER 0 3\t江泽民\nT2\tLOC 0 2;4 6\t江泽 北京\n")
    reader = BratDatasetReader(skip_invalid=True)
    sentences = reader.read(path)
    assert sentences[0].spans == [Span(0, 3, "PER")] and reader.skipped == 1


def test_nested_entities_follow_the_overlap_policy(tmp_path):
    path = document(tmp_path, ann="T1\tORG 10 16\t联合国秘书长\nT2\tORG 10 13\t联合国\n")
    with pytest.raises(DataError, match="overlap") as caught:
        BratDatasetReader().read(path)
    assert caught.value.file == str(tmp_path / "doc.txt") and caught.value.line == 3
    kept = BratDatasetReader(overlap="keep_longest").read(path)
    assert kept[1].spans == [Span(0, 6, "ORG")]


def test_missing_files_are_named(tmp_path):
    path = document(tmp_path)
    (tmp_path / "doc.txt").unlink()
    with pytest.raises(DataError, match="file not found") as caught:
        BratDatasetReader().read(path)
    assert caught.value.file == str(tmp_path / "doc.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no brat documents"):
        BratDatasetReader().read(tmp_path / "empty")


def test_the_cache_key_covers_every_file_of_the_corpus(tmp_path):
    document(tmp_path / "corpus")
    reader = BratDatasetReader()
    key = cache.cache_key(reader, {"type": "brat"}, tmp_path / "corpus")
    (tmp_path / "corpus" / "doc.txt").write_bytes(TEXT.replace("。", "！").encode("utf-8"))
    assert cache.cache_key(reader, {"type": "brat"}, tmp_path / "corpus") != key
    first = cache.read_cached(reader, {"type": "brat"}, tmp_path / "corpus", tmp_path / "c")
    moved = tmp_path / "moved"
    (tmp_path / "corpus").rename(moved)
    again = cache.read_cached(reader, {"type": "brat"}, moved, tmp_path / "c")
    assert [s.spans for s in again] == [s.spans for s in first]
    assert again[0].meta["file"] == str(moved / "doc.txt")  # the document's file, not the dir


def test_an_ann_file_with_a_byte_order_mark_or_crlf_lines_reads(tmp_path):
    path = document(tmp_path, ann="\ufeffT1\tPER 0 3\t江泽民\r\nT2\tLOC 4 6\t北京\r\n")
    assert BratDatasetReader().read(path)[0].spans == [Span(0, 3, "PER"), Span(4, 6, "LOC")]


def test_one_document_reads_through_the_cache(tmp_path):
    path = document(tmp_path / "doc")
    reader = BratDatasetReader()
    sentences = cache.read_cached(reader, {"type": "brat"}, path, tmp_path / "c")
    assert [s.text for s in sentences] == ["江泽民在北京。", "联合国秘书长安南"]
