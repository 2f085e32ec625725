"""The read cache: keyed by content and reader config, JSON lines, problems restored."""

from __future__ import annotations

from nerkit.data import cache
from nerkit.data.dataset_readers import ConllDatasetReader, Pfr1998DatasetReader


def test_second_read_comes_from_the_cache(fixtures_root, tmp_path, monkeypatch):
    path = fixtures_root / "data" / "pfr1998_sample.txt"
    reader = Pfr1998DatasetReader()
    first = cache.read_cached(reader, {"type": "pfr1998"}, path, tmp_path)
    entries = list((tmp_path / "datasets").glob("*.jsonl"))
    assert len(entries) == 1 and b"\x80" not in entries[0].read_bytes()[:2]

    def no_reading(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(reader, "read", no_reading)
    second = cache.read_cached(reader, {"type": "pfr1998"}, path, tmp_path)
    assert [(s.chars, s.spans, s.meta) for s in second] == [
        (s.chars, s.spans, s.meta) for s in first
    ]


def test_key_changes_with_content_and_config(tmp_path):
    path = tmp_path / "a.bio"
    path.write_text("北\tB-LOC\n", encoding="utf-8")
    reader = ConllDatasetReader()
    key = cache.cache_key(reader, {"type": "conll"}, path)
    assert key != cache.cache_key(reader, {"type": "conll", "tag_scheme": "BIOES"}, path)
    path.write_text("北\tO\n", encoding="utf-8")
    assert key != cache.cache_key(reader, {"type": "conll"}, path)


def test_problems_and_detected_scheme_survive(tmp_path, monkeypatch):
    monkeypatch.setenv("NERKIT_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "a.bio"
    path.write_text("北\tB-LOC\n京\tE-LOC\n\n人\n", encoding="utf-8")
    config = {"type": "conll", "skip_invalid": True, "tag_scheme": "auto"}
    cache.read_cached(ConllDatasetReader(skip_invalid=True, tag_scheme="auto"), config, path)
    reader = ConllDatasetReader(skip_invalid=True, tag_scheme="auto")
    sentences = cache.read_cached(reader, config, path)
    assert len(sentences) == 1 and (tmp_path / "cache" / "datasets").is_dir()
    assert reader.problems == [(str(path), 4, reader.problems[0][2])]
    assert reader.detected_scheme == "BIOES"


def test_a_broken_entry_is_read_again(tmp_path):
    path = tmp_path / "a.bio"
    path.write_text("北\tB-LOC\n", encoding="utf-8")
    reader = ConllDatasetReader()
    entry = tmp_path / "datasets" / f"{cache.cache_key(reader, {}, path)}.jsonl"
    entry.parent.mkdir()
    entry.write_text("not json\n", encoding="utf-8")
    assert cache.read_cached(reader, {}, path, tmp_path)[0].text == "北"
