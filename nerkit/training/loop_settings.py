"""When a training loop stops, clips and checkpoints: one settings type for the trainer and the
pretraining loop, so the two loops make these decisions the same way."""

from __future__ import annotations

from dataclasses import dataclass

from nerkit.common.errors import ConfigurationError


@dataclass
class LoopSettings:
    """Stopping, clipping and checkpointing of a training loop.

    Args:
        max_steps: Stop after this many optimizer steps (None: no step limit).
        max_minutes: Stop once this much training time has passed (None or 0: no limit).
        grad_norm: Clip the gradient norm to this (None: no clipping).
        checkpoint_every: Checkpoint every this many steps (None: not by steps).
        checkpoint_every_minutes: Checkpoint when this many minutes have passed since the
            last checkpoint (None: not by time).
        learning_rate: Peak learning rate (the pretraining loop's warmup-then-linear schedule).
        warmup_steps: Linear warmup from 0; then linear decay to 0 at ``max_steps``.
        weight_decay: AdamW weight decay (pretraining loop).
    """

    max_steps: int | None = None
    max_minutes: float | None = None
    grad_norm: float | None = None
    checkpoint_every: int | None = None
    checkpoint_every_minutes: float | None = None
    learning_rate: float = 1e-3
    warmup_steps: int = 0
    weight_decay: float = 0.0

    def __post_init__(self) -> None:
        for name in ("max_minutes", "checkpoint_every_minutes"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ConfigurationError(f"{name} must be positive or null, got {value}", (name,))

    def out_of_steps(self, step: int) -> bool:
        return self.max_steps is not None and step >= self.max_steps

    def out_of_time(self, seconds: float) -> bool:
        return bool(self.max_minutes) and seconds >= 60 * self.max_minutes  # type: ignore[operator]

    def checkpoint_due(self, step: int, seconds_since_checkpoint: float) -> bool:
        """A periodic checkpoint is due after ``step`` (by steps or by minutes)."""
        by_steps = bool(self.checkpoint_every) and step % self.checkpoint_every == 0  # type: ignore[operator]
        by_time = self.checkpoint_every_minutes is not None and (
            seconds_since_checkpoint >= 60 * self.checkpoint_every_minutes
        )
        return by_steps or by_time

    def learning_rate_at(self, step: int) -> float:
        """Warmup, then linear decay to 0 at ``max_steps``."""
        if step < self.warmup_steps:
            return self.learning_rate * (step + 1) / self.warmup_steps
        total = self.max_steps or step + 1
        return self.learning_rate * max(total - step, 0) / max(total - self.warmup_steps, 1)
