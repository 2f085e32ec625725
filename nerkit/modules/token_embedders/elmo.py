"""``elmo``: contextual character vectors from a pretrained ELMo biLM (AllenNLP file format)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from nerkit.common.build import Lazy
from nerkit.common.component import warn_renamed
from nerkit.common.errors import ConfigurationError, DataError
from nerkit.common.resource_names import find_resource, resource_name
from nerkit.modules.elmo_bilm import ElmoBiLm
from nerkit.modules.elmo_characters import add_sentence_boundaries, batch_char_ids
from nerkit.modules.elmo_weights import load_bilm_weights
from nerkit.modules.scalar_mix import ScalarMix
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

LEGACY_RESOURCE_NAME = "elmo_options.json"  # archives before names carried a digest


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
        dropout: Dropout on the output.
        trainable: Fine-tune the biLM; when false only the scalar mix is trained.
        scalar_mix: How the biLM layers are mixed (default: learned weights, no layer norm;
            ``{do_layer_norm: true}`` normalises each layer first); ``null``: the top layer.
        archive_resources: Injected when loading an archive: ``options.json`` is read from there
            and the weights come from the archive, so ``weight_file`` is not read.

    Old keys ``requires_grad`` (now ``trainable``), ``scalar_mix: true/false`` and
    ``do_layer_norm`` (now inside ``scalar_mix``) still work, with a warning.

    Registered as `token_embedders: elmo`.
    """

    deprecated_keys = {"requires_grad": "trainable"}

    def __init__(
        self,
        options_file: str,
        weight_file: str,
        dropout: float = 0.5,
        trainable: bool = False,
        scalar_mix: Lazy[ScalarMix] | None = Lazy.of(ScalarMix),  # noqa: B008 - a config block
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        # the archived options file is named by the configured path (two ELMos, two files)
        self._resource_name = resource_name("elmo_options", ".json",
                                            {"options_file": str(options_file)})
        self.options_path = (
            find_resource(archive_resources, self._resource_name, LEGACY_RESOURCE_NAME)
            if archive_resources else Path(options_file)
        )
        self.bilm = ElmoBiLm(read_options(self.options_path))
        if archive_resources is None:
            load_bilm_weights(self.bilm, weight_file)
        self.trainable = trainable
        self.bilm.requires_grad_(trainable)
        self.mix = None if scalar_mix is None else scalar_mix.construct(
            num_layers=self.bilm.num_layers)
        self.dropout = torch.nn.Dropout(dropout)

    @classmethod
    def upgrade_config(
        cls, block: dict[str, Any], path: Sequence[str | int] = ()
    ) -> dict[str, Any]:
        """Old ``scalar_mix: true/false`` and ``do_layer_norm`` become a ``scalar_mix`` block."""
        block = super().upgrade_config(block, path)
        layer_norm = block.pop("do_layer_norm", None)
        if layer_norm is not None:
            warn_renamed("do_layer_norm", "scalar_mix.do_layer_norm", path)
        if isinstance(block.get("scalar_mix"), bool):
            warn_renamed("scalar_mix: true/false", "scalar_mix: {} or null", path)
            block["scalar_mix"] = {} if block["scalar_mix"] else None
        if layer_norm:
            if block.get("scalar_mix", {}) is None:
                raise ConfigurationError("do_layer_norm needs a scalar_mix", [*path, "scalar_mix"])
            block["scalar_mix"] = {**block.get("scalar_mix", {}), "do_layer_norm": True}
        return block

    def get_output_dim(self) -> int:
        return 2 * self.bilm.projection_dim

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        return {"elmo_char_ids": batch_char_ids(sentences, self.bilm.max_characters_per_token)}

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        char_ids, full_mask = add_sentence_boundaries(features["elmo_char_ids"], mask)
        with torch.set_grad_enabled(self.trainable and torch.is_grad_enabled()):
            layers = [layer[:, 1:-1] for layer in self.bilm(char_ids, full_mask)]
        mixed = self.mix(layers, mask) if self.mix is not None else layers[-1]
        return self.dropout(mixed * mask.unsqueeze(-1))

    def save_resources(self, directory: Path) -> None:
        """Copy ``options.json`` into the archive so loading needs no outside file."""
        shutil.copyfile(self.options_path, Path(directory) / self._resource_name)
