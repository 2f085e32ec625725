"""Registered learning-rate schedulers, stepped once per optimizer step."""

from __future__ import annotations

import torch
from torch.optim.lr_scheduler import LambdaLR, LRScheduler

from nerkit.common.build import ANNOTATION_KINDS
from nerkit.registry import register

ANNOTATION_KINDS[LRScheduler] = "lr_schedulers"


class _LinearWarmupDecay:
    """Multiplier rising linearly over ``warmup`` steps, then falling linearly to 0 at ``total``."""

    def __init__(self, warmup: int, total: int) -> None:
        self.warmup = warmup
        self.total = max(total, warmup + 1)

    def __call__(self, step: int) -> float:
        if step < self.warmup:
            return (step + 1) / self.warmup
        return max(0.0, (self.total - step) / (self.total - self.warmup))


class _InverseDecay:
    """Multiplier ``1 / (1 + decay * epoch-fraction)``, the classic BiLSTM-CRF schedule."""

    def __init__(self, decay: float, steps_per_epoch: int) -> None:
        self.decay = decay
        self.steps_per_epoch = max(steps_per_epoch, 1)

    def __call__(self, step: int) -> float:
        return 1.0 / (1.0 + self.decay * step / self.steps_per_epoch)


@register("lr_schedulers", "linear_with_warmup")
def linear_with_warmup(
    optimizer: torch.optim.Optimizer, num_training_steps: int, warmup_steps: int = 0
) -> LRScheduler:
    """Linear warm-up, then linear decay to zero.

    Registered as `lr_schedulers: linear_with_warmup`.
    """
    return LambdaLR(optimizer, _LinearWarmupDecay(warmup_steps, num_training_steps))


@register("lr_schedulers", "inverse_decay")
def inverse_decay(
    optimizer: torch.optim.Optimizer, steps_per_epoch: int, decay: float = 0.05
) -> LRScheduler:
    """lr / (1 + decay * epochs elapsed). Registered as `lr_schedulers: inverse_decay`."""
    return LambdaLR(optimizer, _InverseDecay(decay, steps_per_epoch))
