"""``embedding``: a character lookup table, random or initialised from word2vec vectors."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.vocabulary import Vocabulary
from nerkit.data.word2vec_file import read_word2vec
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder, pad_ids

logger = logging.getLogger(__name__)


@TokenEmbedder.register("embedding")
class Embedding(TokenEmbedder):
    """One trainable (or frozen) vector per vocabulary character.

    Args:
        vocab: Injected; its characters index the table.
        embedding_dim: Vector size; must equal the pretrained file's when one is given.
        pretrained_file: A word2vec text or binary file; characters it lacks keep random vectors.
        trainable: Update the table during training.
        archive_resources: Injected when loading an archive; the pretrained file is then not read
            again because the trained table comes from the archive's weights.

    Registered as `token_embedders: embedding`.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        embedding_dim: int,
        pretrained_file: str | None = None,
        trainable: bool = True,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        self.vocab = vocab
        self.embedding_dim = embedding_dim
        self.weight = torch.nn.Embedding(len(vocab), embedding_dim, padding_idx=0)
        if pretrained_file and archive_resources is None:
            self._load_pretrained(Path(pretrained_file))
        self.weight.weight.requires_grad_(trainable)

    def _load_pretrained(self, path: Path) -> None:
        vectors = read_word2vec(path)
        if vectors.dim != self.embedding_dim:
            raise ConfigurationError(
                f"embedding_dim is {self.embedding_dim} but {path} has {vectors.dim}-dim vectors"
            )
        found = 0
        with torch.no_grad():
            for index, token in enumerate(self.vocab.tokens):
                vector = vectors.get(token)
                if vector is not None:
                    self.weight.weight[index] = torch.tensor(vector)
                    found += 1
        logger.info("%s: pretrained vectors for %d of %d characters", path, found, len(self.vocab))

    def get_output_dim(self) -> int:
        return self.embedding_dim

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        index = self.vocab.token_index
        return {"token_ids": pad_ids([[index(c) for c in chars] for chars in sentences])}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        return self.weight(features["token_ids"])
