"""``softlexicon``: each character's B/M/E/S lexicon word sets, pooled (Ma et al., ACL 2020)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.lexicon.char_sets import memberships
from nerkit.lexicon.lexicon import Lexicon
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder
from nerkit.modules.token_embedders.word2vec_file import read_word2vec

logger = logging.getLogger(__name__)

PADDING, NONE = 0, 1  # table rows; lexicon word i is row i + 2
WEIGHTINGS = ("frequency", "uniform")


@TokenEmbedder.register("softlexicon")
class SoftLexiconEmbedder(TokenEmbedder):
    """SoftLexicon (Ma et al., "Simplify the Usage of Lexicon in Chinese NER", ACL 2020).

    Every lexicon word found in the sentence joins the Begin, Middle or End set of the characters
    it covers, or the Single set when it is one character long. Each set is pooled by a
    frequency-weighted average of word vectors, ``v(S) = 4/Z * sum_{w in S} z(w) e(w)`` with
    ``Z`` the total frequency of the character's four sets, and an empty set is a learned NONE
    vector. Output: the four pooled vectors concatenated, ``4 * embedding_dim`` per character,
    or, with ``projection_dim``, that concatenation mapped linearly to ``projection_dim``.
    Put it in a ``concat`` with the character (and bigram) embedders, as in the paper; it
    composes with any encoder and decoder.

    Args:
        lexicon: The word list (its frequencies are ``z(w)``), e.g. ``{"type": "word_list",
            "path": ...}`` from ``nerkit lexicon build``; it is saved in the model archive.
        embedding_dim: Word vector size; must match ``pretrained_file``'s.
        pretrained_file: Word vectors in word2vec format (``nerkit pretrain word2vec --unit
            word``); lexicon words it lacks start random. Null: all learned.
        trainable: Fine-tune the word vectors. A dense optimizer then updates the whole table
            every step (Adam on a 76k x 50 table: about 56 ms a step on one CPU core, more than
            the rest of a BiLSTM-CRF step), so the shipped configs freeze them.
        max_words_per_set: Keep at most this many words per set (the most frequent); on MSRA
            with jieba's words 99% of sets hold at most 2.
        weighting: ``frequency`` (the paper) or ``uniform`` (plain average).
        projection_dim: Map the ``4 * embedding_dim`` pooled values to this many (a learned
            linear layer; null: none, the paper's). A narrower input makes the encoder's input
            product cheaper, which is most of what the lexicon adds to prediction time.
        archive_resources: Injected when loading an archive (``pretrained_file`` is not read).

    Registered as `token_embedders: softlexicon`.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        embedding_dim: int = 50,
        pretrained_file: str | None = None,
        trainable: bool = True,
        max_words_per_set: int = 4,
        weighting: str = "frequency",
        projection_dim: int | None = None,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        if weighting not in WEIGHTINGS:
            raise ConfigurationError(f"weighting must be one of {WEIGHTINGS}, got {weighting!r}")
        sizes = (embedding_dim, max_words_per_set, 1 if projection_dim is None else projection_dim)
        if min(sizes) <= 0:
            raise ConfigurationError(
                "embedding_dim, max_words_per_set and projection_dim must be positive")
        self.projection = (None if projection_dim is None
                           else torch.nn.Linear(4 * embedding_dim, projection_dim))
        self.lexicon = lexicon
        self.embedding_dim = embedding_dim
        self.max_words_per_set = max_words_per_set
        frequencies = lexicon.frequencies if weighting == "frequency" else np.ones(len(lexicon))
        self.word_weight = np.maximum(frequencies, 1.0)  # a listed word counts at least once
        self.words = torch.nn.Embedding(len(lexicon) + 2, embedding_dim, padding_idx=PADDING)
        if pretrained_file and archive_resources is None:
            self._load_pretrained(Path(pretrained_file))
        self.words.weight.requires_grad_(trainable)

    def _load_pretrained(self, path: Path) -> None:
        vectors = read_word2vec(path)
        if vectors.dim != self.embedding_dim:
            raise ConfigurationError(
                f"embedding_dim is {self.embedding_dim} but {path} has {vectors.dim}-dim vectors"
            )
        found = [(i + 2, v) for i, w in enumerate(self.lexicon.words)
                 if (v := vectors.get(w)) is not None]
        if found:
            rows, table = zip(*found)
            with torch.no_grad():
                self.words.weight[list(rows)] = torch.tensor(np.stack(table))
        logger.info("%s: vectors for %d of %d lexicon words", path, len(found), len(self.lexicon))

    def get_output_dim(self) -> int:
        if self.projection is not None:
            return self.projection.out_features
        return 4 * self.embedding_dim

    def save_resources(self, directory: Path) -> None:
        self.lexicon.save_resources(directory)

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        """``softlexicon_word_ids`` and ``softlexicon_weights``, (batch, seq_len, 4, width): width
        is the largest set in the batch, at most ``max_words_per_set``."""
        lengths = [len(chars) for chars in sentences]
        longest = max(lengths, default=0)
        found = memberships([self.lexicon.match("".join(chars)) for chars in sentences])
        weight = self.word_weight[found.word]
        group = (found.row * longest + found.position) * 4 + found.set
        order = np.lexsort((found.word, -weight, group))  # most frequent first in each set
        group, weight, word = group[order], weight[order], found.word[order]
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else group
        rank = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
        width = int(min(self.max_words_per_set, rank.max(initial=0) + 1))
        kept = rank < width
        group, weight, word, rank = group[kept], weight[kept], word[kept], rank[kept]
        character = group // 4
        total = np.bincount(character, weights=weight, minlength=len(sentences) * longest)
        sets = len(sentences) * longest * 4
        ids: npt.NDArray[np.int64] = np.zeros((sets, width), dtype=np.int64)
        weights: npt.NDArray[np.float32] = np.zeros((sets, width), dtype=np.float32)
        ids[group, rank] = word + 2
        weights[group, rank] = 4.0 * weight / total[character]
        ids = ids.reshape(len(sentences), longest, 4, width)
        weights = weights.reshape(len(sentences), longest, 4, width)
        real = np.arange(longest)[None, :] < np.asarray(lengths)[:, None]
        empty = real[:, :, None] & (ids[..., 0] == PADDING)
        ids[..., 0][empty] = NONE
        weights[..., 0][empty] = 1.0
        return {"softlexicon_word_ids": torch.from_numpy(ids),
                "softlexicon_weights": torch.from_numpy(weights)}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        ids, weights = features["softlexicon_word_ids"], features["softlexicon_weights"]
        pooled = torch.nn.functional.embedding_bag(  # one fused gather + weighted sum
            ids.reshape(-1, ids.size(-1)), self.words.weight, mode="sum",
            per_sample_weights=weights.reshape(-1, ids.size(-1)), padding_idx=PADDING,
        )
        pooled = pooled.reshape(*ids.shape[:2], 4 * self.embedding_dim)
        return pooled if self.projection is None else self.projection(pooled)
