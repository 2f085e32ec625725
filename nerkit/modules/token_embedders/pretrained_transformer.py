"""``pretrained_transformer``: one contextual vector per character from any Hugging Face encoder."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from nerkit.common.build import Lazy
from nerkit.common.component import warn_renamed
from nerkit.common.errors import ConfigurationError
from nerkit.modules.scalar_mix import ScalarMix
from nerkit.modules.token_embedders.sub_tokens import SubTokenFeaturizer, special_token_frame
from nerkit.modules.token_embedders.token_embedder import Features, TokenEmbedder

SUB_TOKEN_MODES = ("first", "mean")
UNBOUNDED = 1_000_000  # tokenizers without a length limit report a huge model_max_length


def resource_directory(archive_resources: Path, model_name: str) -> Path:
    """Where an archive keeps a model's config and tokenizer: ``transformer/<sanitized name>``.

    The name is ``model_name`` with every run of characters other than letters, digits, ``.``,
    ``_`` and ``-`` replaced by ``_`` (``/data/bert`` -> ``data_bert``).
    """
    sanitized = re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_") or "model"
    return Path(archive_resources) / "transformer" / sanitized


@TokenEmbedder.register("pretrained_transformer")
class PretrainedTransformerEmbedder(TokenEmbedder):
    """Runs a Hugging Face model (BERT, RoBERTa, ...) and returns exactly one vector per character.

    Each character is tokenized alone; characters that become several sub-tokens are read from
    their first (or mean) sub-token, and characters the tokenizer drops get the unknown token.
    Inputs longer than the model's window are split into overlapping windows and stitched back,
    each sub-token taken from the window where it is most central; nothing is truncated.

    Args:
        model_name: A hub name or a local directory saved with ``save_pretrained``.
        trainable: Fine-tune the transformer; when false it is frozen and kept in eval mode.
        scalar_mix: ``null`` (default): the last hidden layer; a block (``{}``): a learned
            scalar mix of all hidden layers, embeddings included.
        sub_token_mode: ``first`` or ``mean`` over a character's sub-tokens.
        max_length: Sub-tokens per window, special tokens included; default the model's limit.
        window_stride: Sub-tokens between window starts; default half the window.
        archive_resources: Injected when loading an archive: the model is then built from the
            config and tokenizer saved by ``save_resources`` (no download); the weights come from
            the archive.

    Output size: the model's ``hidden_size``. The model's parameters are named
    ``transformer.*`` (in a tagger, ``embedder.transformer.*``: the regex for a parameter group
    with its own learning rate); the pooler is dropped, as only per-token states are read.

    Old keys ``train_parameters`` (now ``trainable``) and ``last_layer_only`` (now
    ``scalar_mix``) still work, with a warning.

    Registered as `token_embedders: pretrained_transformer`.
    """

    deprecated_keys = {"train_parameters": "trainable"}

    def __init__(
        self,
        model_name: str,
        trainable: bool = True,
        scalar_mix: Lazy[ScalarMix] | None = None,
        sub_token_mode: str = "first",
        max_length: int | None = None,
        window_stride: int | None = None,
        archive_resources: Path | None = None,
    ) -> None:
        super().__init__()
        if sub_token_mode not in SUB_TOKEN_MODES:
            raise ConfigurationError(
                f"sub_token_mode must be first or mean, got {sub_token_mode!r}"
            )
        self.model_name = model_name
        self.trainable = trainable
        self.transformer, self.tokenizer = _load(model_name, archive_resources)
        window = _window_size(self.transformer.config, self.tokenizer, max_length)
        stride = window_stride or max(1, window // 2)
        if not 0 < stride <= window:
            raise ConfigurationError(
                f"window_stride must be in 1..{window} (the window), got {stride}"
            )
        self.featurizer = SubTokenFeaturizer(self.tokenizer, window, stride, sub_token_mode)
        num_layers = self.transformer.config.num_hidden_layers + 1
        self.mix = None if scalar_mix is None else scalar_mix.construct(num_layers=num_layers)
        self.transformer.requires_grad_(trainable)
        self.train(self.training)

    @classmethod
    def upgrade_config(
        cls, block: dict[str, Any], path: Sequence[str | int] = ()
    ) -> dict[str, Any]:
        """Old ``last_layer_only: true/false`` becomes ``scalar_mix: null/{}``."""
        block = super().upgrade_config(block, path)
        if "last_layer_only" in block:
            if "scalar_mix" in block:
                raise ConfigurationError("give scalar_mix or the old last_layer_only, not both",
                                         [*path, "last_layer_only"])
            warn_renamed("last_layer_only", "scalar_mix", path)
            block["scalar_mix"] = None if block.pop("last_layer_only") else {}
        return block

    def get_output_dim(self) -> int:
        return int(self.transformer.config.hidden_size)

    def featurize(self, sentences: Sequence[Sequence[str]]) -> Features:
        return self.featurizer(sentences)

    def forward(self, features: Features, mask: torch.Tensor) -> torch.Tensor:
        with torch.set_grad_enabled(self.trainable and torch.is_grad_enabled()):
            output = self.transformer(
                input_ids=features["input_ids"], attention_mask=features["attention_mask"],
                output_hidden_states=self.mix is not None,
            )
        if self.mix is None:
            hidden = output.last_hidden_state
        else:
            hidden = self.mix(output.hidden_states, features["attention_mask"])
        flat = hidden.reshape(-1, hidden.size(-1))
        gathered = flat[features["sub_token_index"]]  # (batch, seq_len, K, hidden)
        weights = features["sub_token_mask"].unsqueeze(-1).to(gathered.dtype)
        return (gathered * weights).sum(dim=2) / weights.sum(dim=2).clamp(min=1)

    def train(self, mode: bool = True) -> PretrainedTransformerEmbedder:
        super().train(mode)
        if not self.trainable:
            self.transformer.eval()  # a frozen model keeps dropout off
        return self

    def save_resources(self, directory: Path) -> None:
        """Write the model config and tokenizer files (no weights) for offline loading."""
        target = resource_directory(directory, self.model_name)
        target.mkdir(parents=True, exist_ok=True)
        self.transformer.config.save_pretrained(target)
        self.tokenizer.save_pretrained(target)


def _load(model_name: str, archive_resources: Path | None) -> tuple[Any, Any]:
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    try:
        if archive_resources is None:
            model = AutoModel.from_pretrained(model_name)
            source = model_name
        else:
            source = str(resource_directory(archive_resources, model_name))
            model = AutoModel.from_config(AutoConfig.from_pretrained(source))
        tokenizer = AutoTokenizer.from_pretrained(source)
    except OSError as error:
        raise ConfigurationError(
            f"cannot load transformer {model_name!r}: {error}. Give a local directory saved with "
            "save_pretrained, or a hub name already in the Hugging Face cache when offline"
        ) from error
    if getattr(model, "pooler", None) is not None:
        model.pooler = None  # unused: only per-token states are read
    return model, tokenizer


def _window_size(config: Any, tokenizer: Any, max_length: int | None) -> int:
    """Content sub-tokens per window: the model's limit (or ``max_length``) less special tokens."""
    limits = [getattr(config, "max_position_embeddings", None), tokenizer.model_max_length]
    limit = min((int(x) for x in limits if x and x < UNBOUNDED), default=512)
    if max_length is not None:
        if max_length > limit:
            raise ConfigurationError(
                f"max_length {max_length} exceeds the model's limit of {limit}"
            )
        limit = max_length
    prefix, suffix = special_token_frame(tokenizer)
    window = limit - len(prefix) - len(suffix)
    if window < 1:
        raise ConfigurationError(
            f"max_length {limit} leaves no room beside {len(prefix) + len(suffix)} "
            "special tokens"
        )
    return window
