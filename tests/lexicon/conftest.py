"""The tiny fixture lexicon shared by the lexicon and lexicon-embedder tests."""

from __future__ import annotations

from pathlib import Path

import pytest

TINY_LEXICON = Path(__file__).resolve().parents[2] / "fixtures" / "lexicon" / "tiny_lexicon.txt"


@pytest.fixture
def tiny_lexicon_path() -> Path:
    return TINY_LEXICON
