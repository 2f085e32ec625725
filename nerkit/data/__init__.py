"""The data path: Sentence, tag schemes, Vocabulary, readers and batching."""

from nerkit.data.sentence import Sentence, Span
from nerkit.data.vocabulary import Vocabulary, build_vocabulary

__all__ = ["Sentence", "Span", "Vocabulary", "build_vocabulary"]
