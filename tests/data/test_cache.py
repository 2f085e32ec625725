"""The read cache: keyed by content and reader config, JSON lines, problems restored."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

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


def test_a_truncated_entry_is_read_again_with_a_warning(tmp_path, caplog):
    path = tmp_path / "a.bio"
    path.write_text("北\tB-LOC\n\n京\tO\n\n人\tO\n", encoding="utf-8")
    reader = ConllDatasetReader()
    cache.read_cached(reader, {}, path, tmp_path)
    (entry,) = (tmp_path / "datasets").glob("*.jsonl")
    lines = entry.read_text(encoding="utf-8").splitlines(keepends=True)
    entry.write_text("".join(lines[:-1]), encoding="utf-8")  # cut at a line boundary
    with caplog.at_level(logging.WARNING):
        again = cache.read_cached(reader, {}, path, tmp_path)
    assert len(again) == 3 and "damaged" in caplog.text
    assert len(entry.read_text(encoding="utf-8").splitlines()) == 4  # rewritten whole


def test_the_key_includes_the_nerkit_version(tmp_path, monkeypatch):
    path = tmp_path / "a.bio"
    path.write_text("北\tB-LOC\n", encoding="utf-8")
    key = cache.cache_key(ConllDatasetReader(), {}, path)
    monkeypatch.setattr(cache, "VERSION", "0.0.0-other")
    assert cache.cache_key(ConllDatasetReader(), {}, path) != key


def test_tests_never_use_the_home_cache():
    assert Path(os.environ["NERKIT_CACHE"]) != Path.home() / ".cache" / "nerkit"
    assert cache.default_cache_dir() == Path(os.environ["NERKIT_CACHE"])


READ_IN_A_PROCESS = """
import sys
from nerkit.data import cache
from nerkit.data.dataset_readers import ConllDatasetReader
sentences = cache.read_cached(ConllDatasetReader(), {}, sys.argv[1], sys.argv[2])
print(len(sentences))
"""


def test_two_processes_reading_the_same_file_at_once_both_succeed(tmp_path):
    path = tmp_path / "big.bio"
    path.write_text("".join("北\tB-LOC\n京\tI-LOC\n人\tO\n\n" for _ in range(20000)), "utf-8")
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-c", READ_IN_A_PROCESS, str(path), str(tmp_path / "c")]
    for _ in range(2):  # the first round writes concurrently, the second reads concurrently
        processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env=environment) for _ in range(2)]
        results = [process.communicate(timeout=120) for process in processes]
        assert [p.returncode for p in processes] == [0, 0], results
        assert [out.strip() for out, _ in results] == ["20000", "20000"]
    assert len(list((tmp_path / "c" / "datasets").iterdir())) == 1  # no temporary left over
