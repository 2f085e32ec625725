"""Callbacks: hooks the trainer calls at epoch and batch ends (TensorBoard logging built in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nerkit.common.component import Component
from nerkit.common.errors import ConfigurationError


class Callback(Component):
    """Override any hook; each receives the trainer so it can read its state."""

    registry_name = "callbacks"

    def on_batch_end(self, trainer: Any, step: int, loss: float) -> None:
        """After each optimizer step (``step`` counts from 1 over the whole run)."""

    def on_epoch_end(self, trainer: Any, epoch: int, metrics: dict[str, Any]) -> None:
        """After validation and checkpointing of ``epoch``."""

    def on_end(self, trainer: Any, metrics: dict[str, Any]) -> None:
        """Once, when training stops."""


@Callback.register("tensorboard")
class TensorboardCallback(Callback):
    """Write training loss per step and every epoch metric to TensorBoard event files.

    Args:
        serialization_dir: Injected; events go to ``<serialization_dir>/tensorboard``.
        log_every: Log the batch loss every this many steps.

    Registered as `callbacks: tensorboard`.
    """

    def __init__(self, serialization_dir: Path, log_every: int = 10) -> None:
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as error:
            raise ConfigurationError(
                "the tensorboard callback needs tensorboard: pip install 'nerkit[tensorboard]'"
            ) from error
        self.writer = SummaryWriter(str(Path(serialization_dir) / "tensorboard"))
        self.log_every = log_every

    def on_batch_end(self, trainer: Any, step: int, loss: float) -> None:
        if step % self.log_every == 0:
            self.writer.add_scalar("training/loss", loss, step)

    def on_epoch_end(self, trainer: Any, epoch: int, metrics: dict[str, Any]) -> None:
        for key, value in metrics.items():
            if isinstance(value, (int, float)):
                self.writer.add_scalar(key.replace("_", "/", 1), value, epoch)
        self.writer.flush()

    def on_end(self, trainer: Any, metrics: dict[str, Any]) -> None:
        self.writer.close()
