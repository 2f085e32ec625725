"""``ScalarMix``: a learned weighted sum of a network's layers (ELMo's mix, BERT's layer mix)."""

from __future__ import annotations

from collections.abc import Sequence

import torch


class ScalarMix(torch.nn.Module):
    """``gamma * sum_k softmax(s)_k * layer_k``, optionally layer-normalising each masked layer.

    An embedder with several layers takes it in a ``scalar_mix: Lazy[ScalarMix] | None`` slot and
    constructs it with its own ``num_layers``; a config writes ``scalar_mix: {}`` (or
    ``{do_layer_norm: true}``) to mix, ``null`` to read the top layer alone.

    Args:
        num_layers: Supplied by the embedder.
        do_layer_norm: Normalise each layer over each sentence's real positions before mixing.
    """

    def __init__(self, num_layers: int, do_layer_norm: bool = False) -> None:
        super().__init__()
        self.scalars = torch.nn.Parameter(torch.zeros(num_layers))
        self.gamma = torch.nn.Parameter(torch.ones(1))
        self.do_layer_norm = do_layer_norm

    def forward(self, layers: Sequence[torch.Tensor], mask: torch.Tensor) -> torch.Tensor:
        weights = torch.softmax(self.scalars, dim=0)
        if self.do_layer_norm:
            layers = [_masked_layer_norm(layer, mask) for layer in layers]
        return self.gamma * sum(w * layer for w, layer in zip(weights, layers))


def _masked_layer_norm(layer: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Normalise each sentence of ``layer`` by the mean and variance of its real positions.

    (AllenNLP pools the statistics over the whole batch; per sentence keeps each sentence's
    vectors independent of what it is batched with.)
    """
    mask = mask.unsqueeze(-1).to(layer.dtype)
    count = (mask.sum(dim=(1, 2), keepdim=True) * layer.size(-1)).clamp(min=1)
    mean = (layer * mask).sum(dim=(1, 2), keepdim=True) / count
    variance = (((layer - mean) * mask) ** 2).sum(dim=(1, 2), keepdim=True) / count
    return (layer - mean) / torch.sqrt(variance + 1e-12)
