"""Read word2vec text or binary vector files through gensim's KeyedVectors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nerkit.common.errors import ConfigurationError, DataError


@dataclass
class WordVectors:
    """Vectors keyed by token, with their dimension."""

    vectors: dict[str, np.ndarray]
    dim: int

    def get(self, token: str) -> np.ndarray | None:
        return self.vectors.get(token)


def read_word2vec(path: str | Path, binary: bool | None = None) -> WordVectors:
    """Read ``path`` in word2vec format; ``binary`` defaults to guessing from the first bytes."""
    path = Path(path)
    if not path.is_file():
        raise DataError("pretrained vector file not found", str(path))
    try:
        from gensim.models import KeyedVectors
    except ImportError as error:
        raise ConfigurationError(
            "reading word2vec files needs gensim: pip install 'nerkit[word2vec]'"
        ) from error
    if binary is None:
        binary = _looks_binary(path)
    try:
        keyed = KeyedVectors.load_word2vec_format(str(path), binary=binary, unicode_errors="strict")
    except (ValueError, UnicodeDecodeError, EOFError) as error:
        kind = "binary" if binary else "text"
        raise DataError(f"not a word2vec {kind} file: {error}", str(path)) from error
    vectors = {key: keyed[key] for key in keyed.index_to_key}
    return WordVectors(vectors, int(keyed.vector_size))


def _looks_binary(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.readline()
        sample = handle.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start < len(sample) - 4  # a cut multi-byte char at the end is still text
    return False
