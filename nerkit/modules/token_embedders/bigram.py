"""``bigram``: a vector per character bigram (``c[i] c[i+1]``), random or from word2vec vectors."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.common.resource_names import find_resource, resource_name
from nerkit.data.ngrams import character_bigrams
from nerkit.data.normalization import normalize
from nerkit.data.sentence import Sentence
from nerkit.data.vocabulary import Vocabulary
from nerkit.data.word2vec_file import WordVectors, read_word2vec
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder, pad_ids

logger = logging.getLogger(__name__)

LEGACY_RESOURCE_NAME = "bigram_vocabulary.json"  # archives before names carried a digest
PADDING_INDEX, UNKNOWN_INDEX = 0, 1


@TokenEmbedder.register("bigram")
class BigramEmbedder(TokenEmbedder):
    """The bigram starting at each character: ``c[i] c[i+1]``, the last character with ``</s>``.

    Bigrams are the usual second input of Chinese character taggers (they carry much of a word
    segmenter's knowledge); compose them with the character embedding through ``concat``. The
    bigram index is the training sentences' bigrams seen ``min_count`` times or more, plus the
    bigrams of ``pretrained_file`` (e.g. from ``nerkit pretrain word2vec --unit bigram``); it is
    stored in the archive, so a loaded model needs neither the data nor the vector file.

    Args:
        vocab: Injected; its digit and width normalisation also applies to bigrams.
        embedding_dim: Vector size; must equal the pretrained file's when one is given.
        pretrained_file: A word2vec text or binary file keyed by bigrams.
        min_count: Training bigrams seen fewer times map to the unknown vector (unless the
            pretrained file has them).
        trainable: Update the table during training.
        sentences: Injected: the training sentences the index is counted from.
        archive_resources: Injected when loading an archive: the index is read from there.

    Registered as `token_embedders: bigram`.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        embedding_dim: int = 50,
        pretrained_file: str | None = None,
        min_count: int = 1,
        trainable: bool = True,
        sentences: Sequence[Sentence] | None = None,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        if embedding_dim <= 0 or min_count < 1:
            raise ConfigurationError("embedding_dim and min_count must be positive")
        self.embedding_dim = embedding_dim
        self._options = {"digits": vocab.normalize_digits, "width": vocab.normalize_width}
        # what decides the index, and so the archive file's name (see nerkit/common/resource_names)
        self._resource_name = resource_name("bigram_vocabulary", ".json", {
            "min_count": min_count, "pretrained_file": str(pretrained_file or ""),
        })
        vectors = None
        if archive_resources is not None:
            path = find_resource(archive_resources, self._resource_name, LEGACY_RESOURCE_NAME)
            bigrams = json.loads(path.read_text("utf-8"))
        else:
            vectors = read_word2vec(pretrained_file) if pretrained_file else None
            counted = self._count(sentences or [], min_count)
            bigrams = list(dict.fromkeys([*counted, *(vectors.vectors if vectors else [])]))
        self.bigrams: list[str] = bigrams
        self._index = {b: i for i, b in enumerate(bigrams, start=2)}
        self.weight = torch.nn.Embedding(len(bigrams) + 2, embedding_dim, padding_idx=0)
        if vectors is not None:
            self._load_pretrained(vectors, str(pretrained_file))
        self.weight.weight.requires_grad_(trainable)

    def _normalized_bigrams(self, chars: Sequence[str]) -> list[str]:
        if any(self._options.values()):
            chars = [normalize(c, **self._options) for c in chars]
        return character_bigrams(chars)

    def _count(self, sentences: Iterable[Sentence], min_count: int) -> list[str]:
        """Training bigrams seen ``min_count`` times or more, most frequent first."""
        counts: Counter[str] = Counter()
        for sentence in sentences:
            counts.update(self._normalized_bigrams(sentence.chars))
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [bigram for bigram, count in ordered if count >= min_count]

    def _load_pretrained(self, vectors: WordVectors, source: str) -> None:
        if vectors.dim != self.embedding_dim:
            raise ConfigurationError(
                f"embedding_dim is {self.embedding_dim} but {source} has {vectors.dim}-dim vectors"
            )
        found = [(i, vectors.vectors[b]) for b, i in self._index.items() if b in vectors.vectors]
        if found:
            rows = torch.tensor([i for i, _ in found])
            with torch.no_grad():
                self.weight.weight[rows] = torch.from_numpy(np.stack([v for _, v in found]))
        logger.info("%s: pretrained vectors for %d of %d bigrams", source, len(found),
                    len(self._index))

    def save_resources(self, directory: Path) -> None:
        """Write the bigram index (JSON, so any character survives) into the archive."""
        (directory / self._resource_name).write_text(json.dumps(self.bigrams), "utf-8")

    def get_output_dim(self) -> int:
        return self.embedding_dim

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        index = self._index.get
        rows = [[index(b, UNKNOWN_INDEX) for b in self._normalized_bigrams(chars)]
                for chars in sentences]
        return {"bigram_ids": pad_ids(rows, PADDING_INDEX)}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        return self.weight(features["bigram_ids"])
