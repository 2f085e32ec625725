"""A small character vocabulary shared by the embedder tests."""

from __future__ import annotations

import pytest

from nerkit.data.vocabulary import Vocabulary


@pytest.fixture
def vocab() -> Vocabulary:
    return Vocabulary(list("北京欢迎你上海"), ["LOC"], "BIO")
