"""``projected``: another embedder's vectors mapped linearly to a chosen size."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder


@TokenEmbedder.register("projected")
class ProjectedEmbedder(TokenEmbedder):
    """Runs ``embedder`` and maps its vectors through a learned linear layer.

    A cheap way to adapt a frozen table (word2vec bigram vectors, a large pretrained embedding)
    to the task without a dense optimizer updating every row each step, or to shrink a wide
    input before the encoder. Features and penalties are the wrapped embedder's own.

    Args:
        embedder: The embedder whose output is projected.
        projection_dim: Output size.
        bias: Give the linear layer a bias.

    Registered as `token_embedders: projected`.
    """

    def __init__(self, embedder: TokenEmbedder, projection_dim: int, bias: bool = True) -> None:
        super().__init__()
        if projection_dim <= 0:
            raise ConfigurationError("projection_dim must be positive")
        self.embedder = embedder
        self.projection = torch.nn.Linear(embedder.get_output_dim(), projection_dim, bias=bias)

    def get_output_dim(self) -> int:
        return self.projection.out_features

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        return self.embedder.featurize(sentences)

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        return self.projection(self.embedder(features, mask))

    def penalty(self, features: Features, mask: torch.Tensor) -> torch.Tensor | None:
        """The wrapped embedder's penalty."""
        return self.embedder.penalty(features, mask)
