"""``nerkit export``: a tagger's embedder, encoder and label projection as one ONNX graph.

The graph maps the embedder's features and the mask to label scores (emissions); decoding
(argmax for ``softmax``, Viterbi in NumPy for ``crf``) runs outside it. The export directory
holds ``model.onnx`` (or ``model.int8.onnx``), a copy of the source ``model.tar.gz`` (reader,
vocabulary, featurizer and CRF scores come from it) and ``onnx.json`` describing the graph.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import torch

from nerkit.archive import ARCHIVE_NAME, load_archive
from nerkit.common.errors import ConfigurationError
from nerkit.data.sentence import Sentence

if TYPE_CHECKING:
    from nerkit.models.tagger import Tagger
    from nerkit.modules.decoders.crf import CrfDecoder
    from nerkit.modules.decoders.softmax import SoftmaxDecoder

logger = logging.getLogger(__name__)

EXPORT_INFO = "onnx.json"
SUPPORTED = {
    "embedder": ("embedding", "bigram", "window_features", "char_cnn", "concat", "projected"),
    "encoder": ("lstm", "gru", "cnn", "transformer", "pass_through", "compose"),
    "decoder": ("softmax", "crf"),
}
QUANTIZATIONS = ("int8",)
OPSET = 17


class _EmissionsGraph(torch.nn.Module):
    """Features and mask -> emissions (batch, seq_len, labels): everything before decoding."""

    def __init__(self, model: Tagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, mask: torch.Tensor, features: dict[str, torch.Tensor]) -> torch.Tensor:
        encoded = self.model.encode({"features": features, "mask": mask})
        # the exportable decoders (SUPPORTED, checked by check_exportable) have a projection
        decoder = cast("SoftmaxDecoder | CrfDecoder", self.model.decoder)
        return decoder.projection(encoded).float()


class _SummedBag(torch.nn.Module):
    """``EmbeddingBag(mode="sum", padding_idx=p)`` as a gather and a masked sum (a plain sum
    without a padding index).

    The ONNX exporter has no rule for ``embedding_bag`` with a padding index.
    """

    def __init__(self, bag: torch.nn.EmbeddingBag) -> None:
        super().__init__()
        self.weight = bag.weight
        self.padding_idx = bag.padding_idx

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        vectors = torch.nn.functional.embedding(ids, self.weight)
        if self.padding_idx is None:  # every id counts
            return vectors.sum(dim=-2)
        keep = (ids != self.padding_idx).unsqueeze(-1).to(vectors.dtype)
        return (vectors * keep).sum(dim=-2)


def _replace_unexportable(module: torch.nn.Module) -> None:
    """Swap submodules the exporter cannot handle for equivalent ones, in place."""
    for name, child in module.named_children():
        if isinstance(child, torch.nn.EmbeddingBag):
            if child.mode != "sum":
                raise ConfigurationError(f"cannot export an EmbeddingBag with mode {child.mode!r}")
            setattr(module, name, _SummedBag(child))
        else:
            _replace_unexportable(child)


def check_exportable(config: dict[str, Any]) -> None:
    """Raise ConfigurationError naming the first component the ONNX export does not cover."""
    model = config["model"]
    if model.get("type", "tagger") != "tagger":
        raise ConfigurationError(f"only tagger models export to ONNX, got {model['type']!r}",
                                 ["model", "type"])
    _check_block(model["embedder"], "embedder", ["model", "embedder"])
    if model.get("encoder") is not None:
        _check_block(model["encoder"], "encoder", ["model", "encoder"])
    _check_block(model.get("decoder") or {"type": "softmax"}, "decoder", ["model", "decoder"])


def _check_block(block: dict[str, Any], kind: str, path: list[str | int]) -> None:
    name = block.get("type")
    if name not in SUPPORTED[kind]:
        raise ConfigurationError(
            f"{kind} {name!r} is not exportable to ONNX (supported: "
            f"{', '.join(SUPPORTED[kind])})", [*path, "type"],
        )
    for key in ("embedders", "encoders"):
        for index, child in enumerate(block.get(key) or []):
            _check_block(child, kind, [*path, key, index])
    if isinstance(block.get("embedder"), dict):  # a wrapper such as ``projected``
        _check_block(block["embedder"], kind, [*path, "embedder"])


def export_onnx(
    archive_path: str | Path, directory: str | Path, quantize: str | None = None
) -> Path:
    """Write the export directory for ``archive_path``; returns the ONNX file's path."""
    if quantize is not None and quantize not in QUANTIZATIONS:
        raise ConfigurationError(f"--quantize must be one of {', '.join(QUANTIZATIONS)}")
    archive = load_archive(archive_path)
    check_exportable(archive.config)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    onnx_path = directory / "model.onnx"
    # check_exportable admitted only tagger models
    names = _trace_to_onnx(cast("Tagger", archive.model), onnx_path)
    if quantize == "int8":
        onnx_path = _quantize_int8(onnx_path, directory / "model.int8.onnx")
    shutil.copyfile(archive_path, directory / ARCHIVE_NAME)
    info = {
        "graph": onnx_path.name,
        "inputs": ["mask", *names],
        "output": "emissions",
        "decoder": archive.config["model"].get("decoder", {}).get("type", "softmax"),
        "quantize": quantize,
        "opset": OPSET,
        "archive_sha256": file_sha256(directory / ARCHIVE_NAME),
    }
    (directory / EXPORT_INFO).write_text(json.dumps(info, indent=2) + "\n", "utf-8")
    return onnx_path


def _trace_to_onnx(model: Tagger, path: Path) -> list[str]:
    """Export ``model``'s emissions graph with batch size and length dynamic; the input names.

    The TorchScript exporter is used (fast, exact for the recurrent encoders); torch's
    ``TransformerEncoder`` traces with fixed shapes there, so a model with one goes through
    ``torch.export`` (dynamo) instead.
    """
    chars = model.vocab.tokens[2:12] or ["a"]
    batch = model.featurize([Sentence(chars), Sentence(chars[: max(1, len(chars) // 2)])])
    mask, features = batch["mask"], batch["features"]
    names = list(features)
    _replace_unexportable(model)
    graph = _EmissionsGraph(model.eval()).eval()
    dynamo = any(isinstance(m, torch.nn.TransformerEncoder) for m in model.modules())
    if dynamo:
        size, length = torch.export.Dim("batch"), torch.export.Dim("length")
        options: dict[str, Any] = {"kwargs": {"features": features}, "dynamic_shapes": {
            "mask": {0: size, 1: length}, "features": {n: {0: size, 1: length} for n in names}}}
        inputs: tuple[Any, ...] = (mask,)
    else:
        axes = {name: {0: "batch", 1: "length"} for name in ["mask", *names, "emissions"]}
        options = {"dynamic_axes": axes, "opset_version": OPSET}
        inputs = (mask, features, {})  # the empty dict: no keyword arguments
    # with gradients on, torch's transformer layers skip their fused inference kernel, which
    # has no ONNX rule
    with warnings.catch_warnings(), torch.enable_grad(), _quiet(logging.WARNING):
        warnings.simplefilter("ignore")  # tracer and deprecation chatter
        torch.onnx.export(graph, inputs, str(path), input_names=["mask", *names],
                          output_names=["emissions"], dynamo=dynamo, **options)
    return names


@contextlib.contextmanager
def _quiet(level: int) -> Iterator[None]:
    """Silence the exporter's INFO logging (progress lines) while it runs."""
    previous = logging.root.manager.disable
    logging.disable(level)
    try:
        yield
    finally:
        logging.disable(previous)


def _quantize_int8(source: Path, target: Path) -> Path:
    """Dynamic int8 quantization of the weights (activations stay float)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet(logging.WARNING):  # a generic "consider pre-processing" notice
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)
    source.unlink()
    return target


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
