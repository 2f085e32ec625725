"""``lexicon_features``: gazetteer features per character from lexicon tags (B/M/E/S x tag)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.lexicon.char_sets import memberships
from nerkit.lexicon.lexicon import Lexicon
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

DEFAULT_TAGS = ("nr", "ns", "nt")


@TokenEmbedder.register("lexicon_features")
class LexiconFeaturesEmbedder(TokenEmbedder):
    """Gazetteer features: B/M/E/S position of each character in lexicon words with a given tag.

    Whether each character Begins, is in the Middle of, Ends, or is a Single-character lexicon
    word with a given tag (by default jieba's / People's Daily's ``nr`` person, ``ns`` place and
    ``nt`` organisation), as ``4 x len(tags)`` indicators projected to ``embedding_dim``.

    Works with any decoder: with no encoder and a ``crf`` decoder these are CRF gazetteer
    features; in a ``concat`` beside character vectors they feed a neural tagger.

    Args:
        lexicon: A lexicon with tags (``word frequency tag`` lines); saved in the archive.
        tags: The tags that make features; words with other tags are ignored.
        embedding_dim: Output size.

    Registered as `token_embedders: lexicon_features`.
    """

    def __init__(
        self, lexicon: Lexicon, tags: list[str] | None = None, embedding_dim: int = 16,
    ) -> None:
        super().__init__()
        self.tags = list(DEFAULT_TAGS if tags is None else tags)
        if not self.tags or embedding_dim <= 0:
            raise ConfigurationError("tags must be non-empty and embedding_dim positive")
        self.lexicon = lexicon
        self.embedding_dim = embedding_dim
        number = {tag: i for i, tag in enumerate(self.tags)}
        self.word_tag = np.array([number.get(tag, -1) for tag in lexicon.tags], dtype=np.int64)
        if len(lexicon) and not (self.word_tag >= 0).any():
            raise ConfigurationError(
                f"no lexicon word has one of the tags {self.tags}; "
                "build the lexicon with tags (e.g. from jieba or --reader pfr1998)"
            )
        self.projection = torch.nn.Linear(4 * len(self.tags), embedding_dim, bias=False)

    def get_output_dim(self) -> int:
        return self.embedding_dim

    def save_resources(self, directory: Path) -> None:
        self.lexicon.save_resources(directory)

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        """``lexicon_indicators`` (batch, seq_len, 4 * len(tags)): 1.0 where a feature fires."""
        longest = max((len(chars) for chars in sentences), default=0)
        indicators = np.zeros((len(sentences), longest, len(self.tags), 4), dtype=np.float32)
        found = memberships([self.lexicon.match("".join(chars)) for chars in sentences])
        tag = self.word_tag[found.word]
        tagged = tag >= 0
        indicators[found.row[tagged], found.position[tagged], tag[tagged], found.set[tagged]] = 1
        flat = indicators.reshape(len(sentences), longest, -1)
        return {"lexicon_indicators": torch.from_numpy(flat)}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        return self.projection(features["lexicon_indicators"])
