from __future__ import annotations

from pathlib import Path

import pytest

from nerkit.pretrain.corpus import read_corpus


@pytest.fixture
def tiny_text(fixtures_root) -> Path:
    return fixtures_root / "pretrain" / "tiny.txt"


@pytest.fixture
def tiny_lines(tiny_text):
    return read_corpus([tiny_text])
