"""Mixed precision (``amp``) for the trainer, the pretraining loop and the predictor: on CUDA, and
on CPUs that compute in bfloat16 natively (AMX or AVX512-BF16), where matrix products run
several times faster than in float32."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import torch

from nerkit.common.errors import ConfigurationError

logger = logging.getLogger(__name__)

AMP_CHOICES = (None, "bf16", "fp16")


def check_amp(amp: str | None, path: tuple[str, ...] = ("amp",)) -> None:
    """Refuse anything but null, ``bf16`` or ``fp16``."""
    if amp not in AMP_CHOICES:
        raise ConfigurationError(f"amp must be null, 'bf16' or 'fp16', got {amp!r}", path)


def cpu_has_native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (Intel AMX tiles or AVX512-BF16)."""
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    return any(getattr(torch.cpu, probe, lambda: False)() for probe in probes)


def amp_dtype(amp: str | None, device: torch.device) -> torch.dtype | None:
    """The autocast dtype ``amp`` asks for on ``device``, or None where it would not help.

    On CUDA both ``bf16`` and ``fp16`` apply. On the CPU only ``bf16``, and only where the
    hardware has it: emulated bfloat16 is slower than float32, so the setting is then ignored
    with a warning (a config that asks for ``bf16`` stays portable).
    """
    check_amp(amp)
    if amp is None or device.type == "cuda":
        return {None: None, "bf16": torch.bfloat16, "fp16": torch.float16}[amp]
    if amp == "fp16":
        logger.warning("amp=fp16 ignored on the CPU: use bf16 (on CPUs with AMX or AVX512-BF16)")
        return None
    if not cpu_has_native_bf16():
        logger.warning("amp=bf16 ignored: this CPU has no native bfloat16 (AMX or AVX512-BF16), "
                       "where it would be slower than float32")
        return None
    return torch.bfloat16


def autocast(
    device: torch.device, dtype: torch.dtype | None
) -> contextlib.AbstractContextManager[Any]:
    """``torch.autocast`` for ``dtype`` on ``device``; a no-op when ``dtype`` is None."""
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)
