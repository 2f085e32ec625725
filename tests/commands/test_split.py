"""``nerkit split``."""

from __future__ import annotations

import pytest

from nerkit.commands import build_parser
from nerkit.common.errors import ConfigurationError
from nerkit.data.dataset_readers import ConllDatasetReader, Pfr1998DatasetReader


def run(argv):
    args = build_parser().parse_args(argv)
    return args.func(args)


def test_split_by_article_in_file_order(fixtures_root, tmp_path):
    source = fixtures_root / "data" / "pfr1998_sample.txt"
    assert run(["split", str(source), "--reader", "pfr1998", "--by", "article",
                "--ratios", "0.8", "0.2", "--tag-scheme", "BIEO", "-o", str(tmp_path)]) == 0
    train = ConllDatasetReader(tag_scheme="BIEO").read(tmp_path / "train.bieo")
    test = ConllDatasetReader(tag_scheme="BIEO").read(tmp_path / "test.bieo")
    original = Pfr1998DatasetReader().read(source)
    assert [s.spans for s in train + test] == [s.spans for s in original]
    assert len(train) == 5  # the last article (one paragraph) is the test part


def test_split_random_is_reproducible(fixtures_root, tmp_path):
    source = str(fixtures_root / "data" / "tiny.bio")
    for name in ("a", "b"):
        run(["split", source, "--seed", "3", "--ratios", "2", "1", "1", "-o", str(tmp_path / name)])
    for part in ("train", "dev", "test"):
        assert (tmp_path / "a" / f"{part}.bio").read_bytes() == (
            tmp_path / "b" / f"{part}.bio").read_bytes()


def test_split_errors(fixtures_root, tmp_path):
    source = str(fixtures_root / "data" / "tiny.bio")
    with pytest.raises(ConfigurationError, match="one --names entry per ratio"):
        run(["split", source, "--names", "a", "-o", str(tmp_path)])
    with pytest.raises(ConfigurationError, match="cannot make 2 parts"):
        run(["split", source, "--by", "article", "-o", str(tmp_path)])

