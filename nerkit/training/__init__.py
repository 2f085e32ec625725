"""Training: the trainer loop, optimizers, learning-rate schedulers, callbacks, checkpoints."""

from nerkit.training import callbacks, lr_schedulers, optimizers
from nerkit.training.trainer import Trainer

__all__ = ["Trainer", "callbacks", "lr_schedulers", "optimizers"]
