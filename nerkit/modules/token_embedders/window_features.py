"""``window_features``: the linear-chain CRF's character window features (±2), hashed and summed."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.vocabulary import UNKNOWN, Vocabulary
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

# Unigrams c[-2]..c[2]; bigrams c[-2]c[-1], c[-1]c[0], c[0]c[1], c[1]c[2] and c[-1]c[1].
DEFAULT_TEMPLATES = ((-2,), (-1,), (0,), (1,), (2,), (-2, -1), (-1, 0), (0, 1), (1, 2), (-1, 1))
PRIME = 2_147_483_647  # 2**31 - 1: every intermediate hash stays far below 2**63
MULTIPLIER = 1_000_003
BEGIN, END = "<s>", "</s>"


def stable_hash(text: str) -> int:
    """crc32 of the UTF-8 text, the same in every process and Python version."""
    return zlib.crc32(text.encode("utf-8")) % PRIME


@TokenEmbedder.register("window_features")
class WindowFeaturesEmbedder(TokenEmbedder):
    """The linear-chain CRF's character window features (±2 unigrams, bigrams), hashed and summed.

    Each character's vector is the sum of one learned vector per window feature (an embedding bag).

    Each template is a list of offsets; the feature is the template number with the characters
    at those offsets (``<s>``/``</s>`` beyond the sentence, ``[UNK]`` for characters outside the
    vocabulary). Feature strings are hashed with crc32 into ``num_buckets`` rows, so no feature
    vocabulary is stored. With no encoder and a ``crf`` decoder this is the classical linear-chain
    CRF (its feature weights factored through ``embedding_dim``).

    Speed: with a dense optimizer (adam) every step updates the whole ``num_buckets x
    embedding_dim`` table, which dominates a step at the default size (MSRA has about 1.6M
    distinct features). ``sparse: true`` gives the table sparse gradients, so a step touches
    only the features in the batch; it needs an optimizer that accepts them (``sgd`` without
    momentum: torch's sparse momentum buffer grows every step) and no gradient-norm clipping.

    Args:
        vocab: Injected; characters outside it share the ``[UNK]`` features.
        embedding_dim: Output size (32 to 64 is plenty before a decoder's projection).
        num_buckets: Hash buckets (rows of the table, plus one padding row).
        templates: Offset lists; default unigrams at -2..2 and bigrams (-2,-1), (-1,0), (0,1),
            (1,2), (-1,1).
        sparse: Sparse gradients for the feature table (see above).
        feature_dropout: In training, drop each feature occurrence with this probability (a
            strong regulariser for a feature-rich CRF: no single feature can carry a decision).

    Registered as `token_embedders: window_features`.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        embedding_dim: int = 32,
        num_buckets: int = 262_144,
        templates: list[list[int]] | None = None,
        sparse: bool = False,
        feature_dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.templates = [list(t) for t in (templates or DEFAULT_TEMPLATES)]
        if embedding_dim <= 0 or num_buckets <= 0:
            raise ConfigurationError("embedding_dim and num_buckets must be positive")
        if not 0.0 <= feature_dropout < 1.0:
            raise ConfigurationError(f"feature_dropout must be in [0, 1), got {feature_dropout}")
        if not self.templates or not all(self.templates):
            raise ConfigurationError("templates must be a non-empty list of non-empty offset lists")
        self.vocab = vocab
        self.embedding_dim = embedding_dim
        self.num_buckets = num_buckets
        self.feature_dropout = feature_dropout
        self.reach = max(abs(o) for t in self.templates for o in t)
        self.bag = torch.nn.EmbeddingBag(
            num_buckets + 1, embedding_dim, mode="sum", padding_idx=0, sparse=sparse
        )
        torch.nn.init.normal_(self.bag.weight, std=len(self.templates) ** -0.5)
        with torch.no_grad():
            self.bag.weight[0].zero_()
        self._codes: dict[str, int] = {}
        self._codes[BEGIN], self._codes[END] = stable_hash(BEGIN), stable_hash(END)

    def get_output_dim(self) -> int:
        return self.embedding_dim

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        """``window_feature_ids`` (batch, seq_len, templates); 0 at padding."""
        lengths = torch.tensor([len(s) for s in sentences], dtype=torch.long)
        longest = int(lengths.max()) if len(sentences) else 0
        begin, end = [self._codes[BEGIN]] * self.reach, [self._codes[END]] * self.reach
        known = self._codes.get
        rows = [
            [*begin, *(known(c) or self._code(c) for c in chars), *end]
            + [0] * (longest - len(chars))
            for chars in sentences
        ]
        codes = torch.tensor(rows, dtype=torch.long).reshape(len(sentences), -1)
        templates = range(len(self.templates))
        ids = torch.stack([self._template_ids(codes, i, longest) for i in templates], dim=-1)
        real = torch.arange(longest).unsqueeze(0) < lengths.unsqueeze(1)
        return {"window_feature_ids": ids * real.unsqueeze(-1)}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        ids = features["window_feature_ids"]
        if self.training and self.feature_dropout:
            ids = ids * (torch.rand(ids.shape, device=ids.device) >= self.feature_dropout)
        summed = self.bag(ids.reshape(-1, ids.size(-1)))
        return summed.reshape(*ids.shape[:2], self.embedding_dim)

    def _template_ids(self, codes: torch.Tensor, template: int, length: int) -> torch.Tensor:
        """Bucket ids 1..num_buckets of one template at every position: a polynomial hash."""
        value = torch.full((codes.size(0), length), template + 1, dtype=torch.long)
        for offset in self.templates[template]:
            start = self.reach + offset
            value = (value * MULTIPLIER + codes[:, start : start + length]) % PRIME
        return value % self.num_buckets + 1

    def _code(self, char: str) -> int:
        """The hash of ``char``, or of ``[UNK]`` when the vocabulary lacks it (cached)."""
        code = self._codes.get(char)
        if code is None:
            known = self.vocab.token_index(char) != self.vocab.unknown_index
            code = self._codes[char] = stable_hash(char if known else UNKNOWN)
        return code
