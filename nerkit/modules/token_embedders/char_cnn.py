"""``char_cnn``: character embeddings plus convolutional features of the neighbouring characters."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

ACTIVATIONS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}


@TokenEmbedder.register("char_cnn")
class CharCnnEmbedder(TokenEmbedder):
    """The CNN features of LSTM-CNNs (Chiu & Nichols, 2016), adapted to Chinese characters.

    Each character's embedding is concatenated with, for every kernel size ``k``,
    ``num_filters`` convolution features of the ``k`` characters around it (zeros beyond the
    sentence, so padding never leaks in), optionally max-pooled over the ``pool_size`` nearest
    positions (the paper's max over a word's characters, here over a window). Output size:
    ``embedding_dim + num_filters * len(kernel_sizes)``.

    Args:
        vocab: Injected; its characters index the embedding table.
        embedding_dim: Character vector size.
        num_filters: Convolution filters per kernel size.
        kernel_sizes: Window widths, e.g. ``[2, 3]`` (odd widths centre on the character).
        activation: ``relu`` or ``tanh`` on the convolution features.
        pool_size: Odd window of the max-pooling after the activation; 1 means no pooling.
        pretrained_file: Optional word2vec file initialising the character vectors.
        trainable: Update the character vectors.
        archive_resources: Injected when loading an archive (the file is then not read).

    Registered as `token_embedders: char_cnn`.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        embedding_dim: int = 50,
        num_filters: int = 50,
        kernel_sizes: list[int] | None = None,
        activation: str = "relu",
        pool_size: int = 1,
        pretrained_file: str | None = None,
        trainable: bool = True,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        self.kernel_sizes = list(kernel_sizes or [3])
        if num_filters <= 0 or min(self.kernel_sizes) <= 0:
            raise ConfigurationError("num_filters and every kernel size must be positive")
        if activation not in ACTIVATIONS:
            raise ConfigurationError(f"activation must be relu or tanh, got {activation!r}")
        if pool_size <= 0 or pool_size % 2 == 0:
            raise ConfigurationError(f"pool_size must be a positive odd number, got {pool_size}")
        self.pool_size = pool_size
        self.embedding = Embedding(
            vocab, embedding_dim, pretrained_file, trainable, archive_resources
        )
        self.num_filters = num_filters
        self.convolutions = torch.nn.ModuleList(
            torch.nn.Conv1d(embedding_dim, num_filters, size, padding="same")
            for size in self.kernel_sizes
        )
        self.activation = ACTIVATIONS[activation]()

    def get_output_dim(self) -> int:
        return self.embedding.get_output_dim() + self.num_filters * len(self.kernel_sizes)

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        return self.embedding.featurize(sentences)

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        embedded = self.embedding(features, mask)
        keep = mask.unsqueeze(-1).to(embedded.dtype)
        embedded = embedded * keep
        channels = embedded.transpose(1, 2)
        convolved = [
            self._pool(self.activation(conv(channels)), mask) for conv in self.convolutions
        ]
        return torch.cat([embedded, *convolved], dim=-1) * keep

    def _pool(self, features: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """(batch, filters, seq_len) -> (batch, seq_len, filters), max over ``pool_size``."""
        if self.pool_size > 1:
            padding = ~mask.unsqueeze(1)
            features = features.masked_fill(padding, float("-inf"))
            features = torch.nn.functional.max_pool1d(
                features, self.pool_size, stride=1, padding=self.pool_size // 2
            ).masked_fill(padding, 0.0)
        return features.transpose(1, 2)
