"""One entry point for a Predictor on either runtime: torch (the archive) or onnxruntime."""

from __future__ import annotations

from pathlib import Path

from nerkit.common.errors import ConfigurationError
from nerkit.common.extras import require_extra
from nerkit.predictor import Predictor

RUNTIMES = ("torch", "onnx")


def load_predictor(
    path: str | Path, runtime: str = "torch", device: str = "cpu", scores: bool = False,
    amp: str | None = None,
) -> Predictor:
    """``torch``: ``path`` is a model.tar.gz; ``onnx``: an export directory or a model.tar.gz.
    ``amp``: mixed precision of the torch runtime (``bf16``)."""
    if runtime == "torch":
        return Predictor.from_archive(path, device=device, scores=scores, amp=amp)
    if runtime != "onnx":
        raise ConfigurationError(f"--runtime must be one of {', '.join(RUNTIMES)}, got {runtime!r}")
    if device != "cpu":
        raise ConfigurationError("--runtime onnx runs on the CPU; leave out --device")
    if amp is not None:
        raise ConfigurationError("--amp applies to the torch runtime; leave it out with onnx")
    require_extra("onnx", "onnx", "onnxruntime")
    from nerkit.export.onnx_predictor import load_onnx_predictor

    return load_onnx_predictor(path, scores=scores)
