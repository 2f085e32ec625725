"""Moved to ``nerkit.data.word2vec_file`` (the vocabulary reads it too); this path still works."""

from nerkit.data.word2vec_file import WordVectors, read_word2vec

__all__ = ["WordVectors", "read_word2vec"]
