"""TokenEmbedder base: owns both its featurizer (characters -> tensors) and its forward pass."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from nerkit.common.component import Component

Features = dict[str, torch.Tensor]


class TokenEmbedder(torch.nn.Module, Component):
    """Turns each character position into a vector.

    ``featurize`` runs on the CPU in the data loader and returns padded tensors for a batch of
    character lists; ``forward`` maps those features to ``(batch, seq_len, get_output_dim())``.
    Every embedder returns exactly one vector per input character, whatever its tokenizer does.
    """

    registry_name = "token_embedders"
    default_type = "embedding"

    def get_output_dim(self) -> int:
        raise NotImplementedError

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        """Tensors for a batch of character lists, padded to the longest."""
        raise NotImplementedError

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        """``mask``: (batch, seq_len) bool. Returns (batch, seq_len, output_dim)."""
        raise NotImplementedError

    def penalty(self, features: Features, mask: torch.Tensor) -> torch.Tensor | None:
        """A regularisation term for this batch, added to the training loss; None for none.

        For penalties that must follow the batch (``window_features``' lazy L2 touches only the
        batch's feature rows, so sparse updates stay sparse), which a weight-decay optimizer
        cannot express.
        """
        return None


def pad_ids(rows: Sequence[Sequence[int]], padding: int = 0) -> torch.Tensor:
    """A (len(rows), longest) LongTensor of ``rows`` right-padded with ``padding``."""
    longest = max((len(r) for r in rows), default=0)
    out = torch.full((len(rows), longest), padding, dtype=torch.long)
    for i, row in enumerate(rows):
        if row:
            out[i, : len(row)] = torch.as_tensor(row, dtype=torch.long)
    return out
