"""``concat``: several token embedders side by side; their vectors are concatenated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder


@TokenEmbedder.register("concat")
class ConcatEmbedder(TokenEmbedder):
    """Runs every embedder on the same characters and concatenates the vectors, in list order.

    Features are namespaced by position: embedder ``i``'s feature ``name`` travels as ``i.name``.
    Output size: the sum of the embedders' output sizes.

    Args:
        embedders: At least one embedder, e.g. a ``pretrained_transformer`` and an ``embedding``.

    Registered as `token_embedders: concat`.
    """

    def __init__(self, embedders: list[TokenEmbedder]) -> None:
        super().__init__()
        if not embedders:
            raise ConfigurationError("embedders must list at least one embedder")
        self.embedders = torch.nn.ModuleList(embedders)

    def _members(self) -> Iterable[TokenEmbedder]:
        """``self.embedders``, whose items torch types as Modules: the TokenEmbedders given."""
        return cast("Iterable[TokenEmbedder]", self.embedders)

    def get_output_dim(self) -> int:
        return sum(embedder.get_output_dim() for embedder in self._members())

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        return {
            f"{index}.{name}": value
            for index, embedder in enumerate(self._members())
            for name, value in embedder.featurize(sentences).items()
        }

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        outputs = [embedder(own, mask) for embedder, own in self._split(features)]
        return torch.cat(outputs, dim=-1)

    def penalty(self, features: Features, mask: torch.Tensor) -> torch.Tensor | None:
        """The sum of the embedders' penalties (None when none has one)."""
        terms = [embedder.penalty(own, mask) for embedder, own in self._split(features)]
        present = [term for term in terms if term is not None]
        return torch.stack(present).sum() if present else None

    def _split(self, features: Features) -> list[tuple[TokenEmbedder, Features]]:
        """Each embedder with its own features (the ``i.`` prefix removed)."""
        split = []
        for index, embedder in enumerate(self._members()):
            prefix = f"{index}."
            own = {k[len(prefix) :]: v for k, v in features.items() if k.startswith(prefix)}
            split.append((embedder, own))
        return split
