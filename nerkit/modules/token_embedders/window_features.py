"""``window_features``: the linear-chain CRF's character window features (±2), summed."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import safetensors.torch
import torch

from nerkit.common.errors import ConfigurationError
from nerkit.common.resource_names import find_resource, resource_name
from nerkit.data.sentence import Sentence
from nerkit.data.vocabulary import UNKNOWN, Vocabulary
from nerkit.modules.feature_sum import feature_sum
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

# Unigrams c[-2]..c[2]; bigrams c[-2]c[-1], c[-1]c[0], c[0]c[1], c[1]c[2] and c[-1]c[1].
DEFAULT_TEMPLATES = ((-2,), (-1,), (0,), (1,), (2,), (-2, -1), (-1, 0), (0, 1), (1, 2), (-1, 1))
PRIME = 2_147_483_647  # 2**31 - 1: every intermediate hash stays far below 2**63
MULTIPLIER = 1_000_003
# The second hash of a feature key (exact features): another multiplier and template seed.
SECOND_MULTIPLIER, SECOND_SEED = 999_983, 101
BEGIN, END = "<s>", "</s>"
LEGACY_RESOURCE_NAME = "window_features.safetensors"  # archives before names carried a digest
FEATURIZE_CHUNK = 2000  # sentences hashed at a time when the training features are collected


def stable_hash(text: str) -> int:
    """crc32 of the UTF-8 text, the same in every process and Python version."""
    return zlib.crc32(text.encode("utf-8")) % PRIME


def rows_of(table_keys: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
    """Table rows (1-based) of feature ``keys`` in the sorted ``table_keys``; 0 where absent.

    Each distinct key is searched once (a batch repeats many: boundaries, frequent
    characters), which makes the lookup about a quarter faster on MSRA.
    """
    distinct, where = torch.unique(keys, return_inverse=True)
    found = torch.searchsorted(table_keys, distinct).clamp_(max=len(table_keys) - 1)
    return torch.where(table_keys[found] == distinct, found + 1, 0)[where]


def rows_per_sentence(ids: torch.Tensor, table_rows: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The table rows (not padding) in a batch of feature ids (batch, seq_len, templates), and
    in how many of its sentences each occurs."""
    sentence = torch.arange(ids.size(0), device=ids.device).view(-1, 1, 1)
    pairs = torch.unique((sentence * table_rows + ids)[ids != 0])
    return torch.unique(pairs % table_rows, return_counts=True)


@TokenEmbedder.register("window_features")
class WindowFeaturesEmbedder(TokenEmbedder):
    """The linear-chain CRF's character window features (±2 unigrams, bigrams), summed.

    Each character's vector is the sum of one learned vector per window feature (an embedding bag).

    Each template is a list of offsets; the feature is the template number with the characters
    at those offsets (``<s>``/``</s>`` beyond the sentence, ``[UNK]`` for characters outside the
    vocabulary). Features are identified in one of two ways:

    - ``num_buckets: N``: crc32-based hashes folded into N rows; nothing is stored, but distinct
      features share rows (MSRA has about 2M distinct features).
    - ``num_buckets: null``: every feature seen in the training sentences has its own row,
      keyed by two independent 31-bit hashes (a collision is vanishingly unlikely); features
      never seen in training score nothing, as in crfsuite. The keys travel in the archive.

    With ``embedding_dim: null`` the vectors are one score per label, starting at zero: with no
    encoder and a ``crf`` decoder without projection this is exactly the classical linear-chain
    CRF (crfsuite's model), a convex objective for the ``lbfgs`` optimizer.

    Speed: with a dense optimizer (adam) every step updates the whole table. ``sparse: true``
    gives the table sparse gradients, so a step touches only the features in the batch; it needs
    an optimizer that accepts them (``adagrad``, ``sgd`` without momentum) and no gradient-norm
    clipping. Otherwise (and in prediction) the rows are summed as a sparse matrix product
    (``feature_sum``), several times faster than the embedding bag, forward and backward.

    Args:
        vocab: Injected; characters outside it share the ``[UNK]`` features.
        embedding_dim: Output size (32 to 64 is plenty before a decoder's projection); null for
            one score per label of the vocabulary.
        num_buckets: Hash buckets (rows of the table, plus one padding row); null for one row
            per training feature.
        templates: Offset lists; default unigrams at -2..2 and bigrams (-2,-1), (-1,0), (0,1),
            (1,2), (-1,1).
        sparse: Sparse gradients for the feature table (see above).
        feature_dropout: In training, drop each feature occurrence with this probability (a
            strong regulariser for a feature-rich CRF: no single feature can carry a decision).
        l2: L2 penalty on the feature weights, crfsuite's ``c2``: the training objective is
            the summed loss plus ``l2 * ||W||^2``. Applied lazily, so sparse updates stay
            sparse: each sentence carries ``l2 * ||W_r||^2 / df_r`` for every feature row ``r``
            it contains (``df_r``: training sentences containing ``r``), which sums to
            ``l2 * ||W||^2`` over the training set; a batch adds its sentences' share, scaled
            like the loss (its mean over the batch).
        sentences: Injected: the training sentences whose features get rows (``num_buckets:
            null``) and whose sentence counts scale ``l2``.
        archive_resources: Injected when loading an archive: the feature keys are read there.

    Registered as `token_embedders: window_features`.
    """

    sentence_counts: torch.Tensor | None  # buffer: see __init__

    def __init__(
        self,
        vocab: Vocabulary,
        embedding_dim: int | None = 32,
        num_buckets: int | None = 262_144,
        templates: list[list[int]] | None = None,
        sparse: bool = False,
        feature_dropout: float = 0.0,
        l2: float = 0.0,
        sentences: Sequence[Sentence] | None = None,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        self.templates = [list(t) for t in (templates or DEFAULT_TEMPLATES)]
        label_scores = embedding_dim is None
        embedding_dim = vocab.num_labels if embedding_dim is None else embedding_dim
        if embedding_dim <= 0 or (num_buckets is not None and num_buckets <= 0):
            raise ConfigurationError("embedding_dim and num_buckets must be positive")
        if not 0.0 <= feature_dropout < 1.0:
            raise ConfigurationError(f"feature_dropout must be in [0, 1), got {feature_dropout}")
        if l2 < 0:
            raise ConfigurationError(f"l2 must be non-negative, got {l2}")
        if not self.templates or not all(self.templates):
            raise ConfigurationError("templates must be a non-empty list of non-empty offset lists")
        self.vocab = vocab
        self.embedding_dim = embedding_dim
        self.num_buckets = num_buckets
        self.feature_dropout = feature_dropout
        self.sparse = sparse
        self.reach = max(abs(o) for t in self.templates for o in t)
        self._codes: dict[str, int] = {}
        self._codes[BEGIN], self._codes[END] = stable_hash(BEGIN), stable_hash(END)
        self.feature_keys: torch.Tensor | None = None
        if num_buckets is None:
            self.feature_keys = self._load_or_collect_keys(sentences, archive_resources)
            num_buckets = len(self.feature_keys)
        self.bag = torch.nn.EmbeddingBag(
            num_buckets + 1, embedding_dim, mode="sum", padding_idx=0, sparse=sparse
        )
        if label_scores:
            torch.nn.init.zeros_(self.bag.weight)
        else:
            torch.nn.init.normal_(self.bag.weight, std=len(self.templates) ** -0.5)
        with torch.no_grad():
            self.bag.weight[0].zero_()
        self.l2 = l2
        # how many training sentences contain each row, for the lazy L2 (training only)
        counts = self._count_sentences(sentences) if l2 and sentences else None
        self.register_buffer("sentence_counts", counts, persistent=False)

    def _load_or_collect_keys(
        self, sentences: Sequence[Sentence] | None, archive_resources: Path | None
    ) -> torch.Tensor:
        """Sorted keys of the features that get rows: from the archive, or the training data."""
        if archive_resources is not None:
            path = find_resource(archive_resources, self._resource_name(), LEGACY_RESOURCE_NAME)
            return safetensors.torch.load_file(str(path))["feature_keys"]
        if not sentences:
            raise ConfigurationError(
                "num_buckets: null needs the training sentences (it is built by `nerkit train`)"
            )
        chunks = []
        for start in range(0, len(sentences), FEATURIZE_CHUNK):
            chars = [s.chars for s in sentences[start : start + FEATURIZE_CHUNK]]
            codes, centres, _ = self._packed_codes(chars)
            chunks.append(torch.unique(self._feature_keys(codes, centres)))
        return torch.unique(torch.cat(chunks))

    def _count_sentences(self, sentences: Sequence[Sentence]) -> torch.Tensor:
        """How many of ``sentences`` contain each table row (at least 1: it divides)."""
        counts = torch.zeros(self.bag.num_embeddings, dtype=torch.float)
        for start in range(0, len(sentences), FEATURIZE_CHUNK):
            chars = [s.chars for s in sentences[start : start + FEATURIZE_CHUNK]]
            rows, sentence_count = rows_per_sentence(self.featurize(chars)["window_feature_ids"],
                                                     self.bag.num_embeddings)
            counts.index_add_(0, rows, sentence_count.float())
        return counts.clamp_(min=1.0)

    def save_resources(self, directory: Path) -> None:
        """Write the training features' keys (with ``num_buckets: null``) into the archive."""
        if self.feature_keys is not None:
            safetensors.torch.save_file({"feature_keys": self.feature_keys.contiguous()},
                                        str(directory / self._resource_name()))

    def _resource_name(self) -> str:
        """The archive file of the feature keys, named by what decides them (the templates)."""
        return resource_name("window_features", ".safetensors", {"templates": self.templates})

    def get_output_dim(self) -> int:
        return self.embedding_dim

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        """``window_feature_ids`` (batch, seq_len, templates); 0 at padding and, with exact
        features, for features the training data never showed."""
        codes, centres, real = self._packed_codes(sentences)
        if self.feature_keys is None:
            # without feature keys the features are hashed: num_buckets is set (__init__)
            buckets = cast(int, self.num_buckets)
            packed = self._template_hashes(codes, centres, MULTIPLIER, 1) % buckets + 1
        else:
            packed = rows_of(self.feature_keys, self._feature_keys(codes, centres))
        ids = torch.zeros(*real.shape, len(self.templates), dtype=torch.long)
        ids[real] = packed
        return {"window_feature_ids": ids}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        ids = features["window_feature_ids"]
        flat = ids.reshape(-1, ids.size(-1))
        dropping = self.training and self.feature_dropout > 0
        if (self.sparse and self.training) or torch.onnx.is_in_onnx_export():
            # the bag: sparse gradients (a step touches only the batch's rows), or an export
            if dropping:
                flat = flat * (torch.rand(flat.shape, device=flat.device) >= self.feature_dropout)
            summed = self.bag(flat)
        else:
            values = flat != 0
            if dropping:
                values &= torch.rand(flat.shape, device=flat.device) >= self.feature_dropout
            summed = feature_sum(self.bag.weight, flat, values)
        return summed.reshape(*ids.shape[:2], self.embedding_dim)

    def penalty(self, features: Features, mask: torch.Tensor) -> torch.Tensor | None:
        """This batch's share of ``l2 * ||W||^2`` (see ``l2``), on the rows it contains."""
        if not self.l2:
            return None
        if self.sentence_counts is None:
            raise ConfigurationError(
                "window_features l2 needs the training sentences (it is built by `nerkit train`)"
            )
        ids = features["window_feature_ids"]
        rows, sentence_count = rows_per_sentence(ids, self.bag.num_embeddings)
        weights = torch.nn.functional.embedding(rows, self.bag.weight, sparse=self.sparse)
        share = sentence_count.to(weights.dtype) / self.sentence_counts[rows]
        return self.l2 / max(ids.size(0), 1) * (share * weights.pow(2).sum(-1)).sum()

    def _packed_codes(
        self, sentences: Sequence[Sequence[str]]
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The sentences' character hashes end to end, each sentence between ``reach`` boundary
        codes on each side (1-D); where its real characters are in it (1-D, in order); and
        which (batch, seq_len) positions of the padded batch are real.

        Features are computed at real characters only: padding costs nothing, which matters
        for batches in file order (one long sentence pads all 64).
        """
        lengths = torch.tensor([len(s) for s in sentences], dtype=torch.long)
        longest = int(lengths.max()) if len(sentences) else 0
        begin, end = [self._codes[BEGIN]] * self.reach, [self._codes[END]] * self.reach
        known = self._codes.get
        flat = [code for chars in sentences
                for code in (*begin, *(known(c) or self._code(c) for c in chars), *end)]
        codes = torch.tensor(flat, dtype=torch.long)
        segment_starts = torch.cumsum(lengths + 2 * self.reach, 0) - lengths - self.reach
        first_of = torch.cumsum(lengths, 0) - lengths  # each sentence's first character, packed
        index = torch.arange(int(lengths.sum()))
        centres = (torch.repeat_interleave(segment_starts, lengths)
                   + index - torch.repeat_interleave(first_of, lengths))
        real = torch.arange(longest).unsqueeze(0) < lengths.unsqueeze(1)
        return codes, centres, real

    def _feature_keys(self, codes: torch.Tensor, centres: torch.Tensor) -> torch.Tensor:
        """62-bit feature keys (characters, templates) from two independent hashes."""
        first = self._template_hashes(codes, centres, MULTIPLIER, 1)
        second = self._template_hashes(codes, centres, SECOND_MULTIPLIER, SECOND_SEED)
        return first * PRIME + second

    def _template_hashes(
        self, codes: torch.Tensor, centres: torch.Tensor, multiplier: int, seed: int
    ) -> torch.Tensor:
        """Each template's polynomial hash (below ``PRIME``) at each of ``centres``
        (characters, templates): the template number plus ``seed``, then each character's
        code."""
        columns = []
        for template, offsets in enumerate(self.templates):
            value = torch.full((len(centres),), template + seed, dtype=torch.long)
            for offset in offsets:
                value = (value * multiplier + codes[centres + offset]) % PRIME
            columns.append(value)
        return torch.stack(columns, dim=-1)

    def _code(self, char: str) -> int:
        """The hash of ``char``, or of ``[UNK]`` when the vocabulary lacks it (cached)."""
        code = self._codes.get(char)
        if code is None:
            known = self.vocab.token_index(char) != self.vocab.unknown_index
            code = self._codes[char] = stable_hash(char if known else UNKNOWN)
        return code
