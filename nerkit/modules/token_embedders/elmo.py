"""``elmo``: contextual character vectors from a pretrained ELMo biLM (AllenNLP file format)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.modules.elmo_bilm import ElmoBiLm
from nerkit.modules.elmo_characters import add_sentence_boundaries, batch_char_ids
from nerkit.modules.elmo_weights import load_bilm_weights
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

RESOURCE_NAME = "elmo_options.json"


class ScalarMix(torch.nn.Module):
    """``gamma * sum_k softmax(s)_k * layer_k``, optionally layer-normalising each masked layer."""

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


def read_options(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataError("ELMo options file not found", str(path))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"not JSON: {error}", str(path)) from None


@TokenEmbedder.register("elmo")
class ElmoTokenEmbedder(TokenEmbedder):
    """ELMo representations of each character (a token here is one character).

    The biLM (character CNN over the UTF-8 bytes, highway layers, projection, biLSTM layers with
    projection, clipping and residual connections) runs over ``<S> chars </S>``; its layers are
    combined by a learned scalar mix. Output size: ``2 * projection_dim``.

    Args:
        options_file: AllenNLP/bilm-tf ``options.json`` (e.g. from ``nerkit pretrain elmo``).
        weight_file: The matching ``weights.hdf5`` (needs h5py).
        do_layer_norm: Layer-normalise each biLM layer before mixing.
        dropout: Dropout on the output.
        requires_grad: Fine-tune the biLM; when false only the scalar mix is trained.
        scalar_mix: Mix all layers with learned weights; when false use the top layer.
        archive_resources: Injected when loading an archive: ``options.json`` is read from there
            and the weights come from the archive, so ``weight_file`` is not read.

    Registered as `token_embedders: elmo`.
    """

    def __init__(
        self,
        options_file: str,
        weight_file: str,
        do_layer_norm: bool = False,
        dropout: float = 0.5,
        requires_grad: bool = False,
        scalar_mix: bool = True,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        self.options_path = (
            archive_resources / RESOURCE_NAME if archive_resources else Path(options_file)
        )
        self.bilm = ElmoBiLm(read_options(self.options_path))
        if archive_resources is None:
            load_bilm_weights(self.bilm, weight_file)
        self.requires_grad = requires_grad
        self.bilm.requires_grad_(requires_grad)
        self.mix = ScalarMix(self.bilm.num_layers, do_layer_norm) if scalar_mix else None
        if not scalar_mix and do_layer_norm:
            raise ConfigurationError("do_layer_norm needs scalar_mix: true")
        self.dropout = torch.nn.Dropout(dropout)

    def get_output_dim(self) -> int:
        return 2 * self.bilm.projection_dim

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        return {"elmo_char_ids": batch_char_ids(sentences, self.bilm.max_characters_per_token)}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        char_ids, full_mask = add_sentence_boundaries(features["elmo_char_ids"], mask)
        with torch.set_grad_enabled(self.requires_grad and torch.is_grad_enabled()):
            layers = [layer[:, 1:-1] for layer in self.bilm(char_ids, full_mask)]
        mixed = self.mix(layers, mask) if self.mix is not None else layers[-1]
        return self.dropout(mixed * mask.unsqueeze(-1))

    def save_resources(self, directory: Path) -> None:
        """Copy ``options.json`` into the archive so loading needs no outside file."""
        shutil.copyfile(self.options_path, Path(directory) / RESOURCE_NAME)
