"""The data path: Sentence, tag schemes, Vocabulary, readers and batching."""

from nerkit.data.sentence import Sentence, Span
from nerkit.data.vocabulary import Vocabulary

__all__ = ["Sentence", "Span", "Vocabulary"]
