"""The trainer: one readable loop with validation, patience, atomic checkpoints and exact resume."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file
from torch.optim.lr_scheduler import LRScheduler
from tqdm import tqdm

from nerkit.common.errors import ConfigurationError
from nerkit.data.batching import DataLoaderConfig, iterate_batches
from nerkit.data.sentence import Sentence
from nerkit.models.model import Model, move_to_device
from nerkit.training import distributed
from nerkit.training.callbacks import Callback
from nerkit.training.checkpoints import (
    load_latest_checkpoint,
    save_checkpoint,
    save_tensors_atomic,
    write_json_atomic,
)

logger = logging.getLogger(__name__)

BEST_WEIGHTS = "best.safetensors"


class Trainer:
    """Trains a model for epochs (or steps), validating after each epoch.

    Args:
        model: Injected.
        serialization_dir: Injected; checkpoints, metrics and the archive go here.
        optimizer: Optimizer block (default ``adam`` with lr 1e-3).
        lr_scheduler: Optional scheduler, stepped after every optimizer step.
        num_epochs: Epochs to train.
        max_steps: Stop after this many optimizer steps (overrides ``num_epochs`` when reached).
        patience: Stop after this many epochs without improvement of ``validation_metric``.
        validation_metric: ``+name`` to maximise or ``-name`` to minimise a validation metric
            (``+f1``, ``+f1-PER``, ``-loss``).
        grad_norm: Clip the gradient norm to this value.
        grad_accumulation: Batches per optimizer step.
        device: ``auto`` (CUDA when present), ``cpu``, ``cuda`` or ``cuda:N``.
        amp: Mixed precision on CUDA: ``bf16`` or ``fp16`` (ignored on the CPU).
        train_metrics: Decode training batches to show a running training F1 (costs a decode).
        keep_checkpoints: Complete checkpoints kept on disk.
        progress: Show tqdm progress bars.
        callbacks: Hooks at batch and epoch ends.
    """

    def __init__(
        self,
        model: Model,
        serialization_dir: Path,
        optimizer: torch.optim.Optimizer | None = None,
        lr_scheduler: LRScheduler | None = None,
        num_epochs: int = 20,
        max_steps: int | None = None,
        patience: int | None = None,
        validation_metric: str = "+f1",
        grad_norm: float | None = None,
        grad_accumulation: int = 1,
        device: str = "auto",
        amp: str | None = None,
        train_metrics: bool = True,
        keep_checkpoints: int = 2,
        progress: bool = True,
        callbacks: list[Callback] | None = None,
    ) -> None:
        if validation_metric[:1] not in "+-" or len(validation_metric) < 2:
            raise ValueError(f"validation_metric must start with + or -, got {validation_metric!r}")
        if amp not in (None, "bf16", "fp16"):
            raise ValueError(f"amp must be null, 'bf16' or 'fp16', got {amp!r}")
        self.model = model
        self.serialization_dir = Path(serialization_dir)
        self.device = _resolve_device(device)
        self.model.to(self.device)
        if optimizer is None:
            from nerkit.training.optimizers import adam

            optimizer = adam(model)
        self.optimizer = optimizer
        self.lr_scheduler = lr_scheduler
        self.num_epochs = num_epochs
        self.max_steps = max_steps
        self.patience = patience
        self.metric_name = validation_metric[1:]
        self.maximize = validation_metric[0] == "+"
        self.grad_norm = grad_norm
        self.grad_accumulation = max(1, grad_accumulation)
        self.amp_dtype = _amp_dtype(amp, self.device)
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp_dtype is torch.float16)
        self.train_metrics = train_metrics
        self.keep_checkpoints = keep_checkpoints
        self.progress = progress
        self.callbacks = callbacks or []
        self.rank, self.world_size = distributed.rank_and_world_size()
        self.network = distributed.wrap(model, self.device)
        self.global_step = 0
        self.best_metric: float | None = None
        self.best_epoch: int | None = None
        self.epochs_without_improvement = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def train(
        self, train_data: Sequence[Sentence], validation_data: Sequence[Sentence] | None,
        data_loader: DataLoaderConfig, validation_data_loader: DataLoaderConfig | None = None,
        seed: int = 13, recover: bool = False,
    ) -> dict[str, Any]:
        """Run the loop; returns the final metrics (also written to ``metrics.json``)."""
        start_epoch = self._restore() if recover else 0
        validation_loader = validation_data_loader or DataLoaderConfig(
            batch_size=data_loader.batch_size * 2, sorting="bucket", shuffle=False
        )
        metrics: dict[str, Any] = {}
        started = time.monotonic()
        for epoch in range(start_epoch, self.num_epochs):
            epoch_start = time.monotonic()
            epoch_metrics = self._train_epoch(train_data, data_loader, seed + epoch, epoch)
            if validation_data:
                evaluated = self.evaluate(validation_data, validation_loader, f"validate {epoch}")
                epoch_metrics.update({f"validation_{k}": v for k, v in evaluated.items()})
            epoch_metrics["epoch"] = epoch
            epoch_metrics["epoch_seconds"] = time.monotonic() - epoch_start
            stop = self._after_epoch(epoch, epoch_metrics, bool(validation_data))
            metrics = self._summary(epoch_metrics, time.monotonic() - started)
            if self.is_main:
                write_json_atomic(self.serialization_dir / f"metrics_epoch_{epoch}.json",
                                  epoch_metrics)
                write_json_atomic(self.serialization_dir / "metrics.json", metrics)
            for callback in self.callbacks:
                callback.on_epoch_end(self, epoch, epoch_metrics)
            if stop:
                break
        self._load_best()
        for callback in self.callbacks:
            callback.on_end(self, metrics)
        return metrics

    def _train_epoch(
        self, data: Sequence[Sentence], loader: DataLoaderConfig, seed: int, epoch: int
    ) -> dict[str, Any]:
        self.network.train()
        batches, count = iterate_batches(
            data, self.model.featurize, loader, seed=seed, train=True,
            rank=self.rank, world_size=self.world_size,
        )
        bar = tqdm(batches, total=count, desc=f"epoch {epoch}", disable=not self._show(),
                   mininterval=1.0, dynamic_ncols=True)
        total_loss = torch.zeros((), device=self.device)
        batches_seen = 0
        self.model.get_metrics(reset=True)
        self.optimizer.zero_grad(set_to_none=True)
        for index, batch in enumerate(bar, start=1):
            batch = move_to_device(batch, self.device)
            with self._autocast():
                output = self.network(batch, decode=self.train_metrics)
            loss = output["loss"]
            self.scaler.scale(loss / self.grad_accumulation).backward()
            total_loss += loss.detach()
            batches_seen += 1
            if self.train_metrics:
                self._update_metrics(batch, output)
            if index % self.grad_accumulation == 0 or index == count:
                self._step()
                for callback in self.callbacks:
                    callback.on_batch_end(self, self.global_step, float(loss))
            if self._show() and (index % 20 == 0 or index == count):
                bar.set_postfix(self._postfix(total_loss, batches_seen), refresh=False)
            if self.max_steps is not None and self.global_step >= self.max_steps:
                break
        bar.close()
        result = {"training_loss": distributed.mean(total_loss, batches_seen)}
        if self.train_metrics:
            distributed.reduce_metrics(self.model.metrics.values())
            result.update({f"training_{k}": v for k, v in self.model.get_metrics(True).items()})
        return result

    def _step(self) -> None:
        if self.grad_norm is not None:
            self.scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_norm)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.optimizer.zero_grad(set_to_none=True)
        if self.lr_scheduler is not None:
            self.lr_scheduler.step()
        self.global_step += 1

    def _postfix(self, total_loss: torch.Tensor, batches: int) -> dict[str, str]:
        postfix = {"loss": f"{float(total_loss) / max(batches, 1):.4f}"}
        if self.train_metrics:
            postfix["f1"] = f"{self.model.get_metrics().get('f1', 0.0):.4f}"
        return postfix

    def _update_metrics(self, batch: dict[str, Any], output: dict[str, Any]) -> None:
        lengths = batch["mask"].sum(dim=1).tolist()
        predicted = self.model.label_sequences(output["predictions"], lengths)
        gold = self.model.label_sequences(batch["tags"], lengths)
        self.model.update_metrics(predicted, gold)

    def evaluate(
        self, data: Sequence[Sentence], loader: DataLoaderConfig, description: str = "evaluate"
    ) -> dict[str, float]:
        """Loss and metrics on labelled ``data`` (exact across DDP processes)."""
        self.network.eval()
        self.model.get_metrics(reset=True)
        batches, count = iterate_batches(
            data, self.model.featurize, loader, train=False, rank=self.rank,
            world_size=self.world_size,
        )
        total_loss = torch.zeros((), device=self.device)
        bar = tqdm(batches, total=count, desc=description, disable=not self._show(),
                   mininterval=1.0, dynamic_ncols=True, leave=False)
        with torch.inference_mode():
            for index, batch in enumerate(bar, start=1):
                batch = move_to_device(batch, self.device)
                with self._autocast():
                    output = self.model(batch, decode=True)
                total_loss += output["loss"].float()
                self._update_metrics(batch, output)
                if self._show() and index % 20 == 0:
                    bar.set_postfix({"f1": f"{self.model.get_metrics().get('f1', 0.0):.4f}"},
                                    refresh=False)
        distributed.reduce_metrics(self.model.metrics.values())
        result = {"loss": distributed.mean(total_loss, count)}
        result.update(self.model.get_metrics(reset=True))
        return result

    def _after_epoch(self, epoch: int, metrics: dict[str, Any], validated: bool) -> bool:
        """Track the best epoch, checkpoint, and say whether to stop."""
        key = f"validation_{self.metric_name}" if validated else "training_loss"
        if key not in metrics:
            names = sorted(k.removeprefix("validation_") for k in metrics if k.startswith("valid"))
            raise ConfigurationError(
                f"validation metric {self.metric_name!r} is not among the validation metrics "
                f"{', '.join(names)}", ("trainer", "validation_metric"),
            )
        value = float(metrics[key])
        maximize = self.maximize if validated else False
        improved = self.best_metric is None or (
            value > self.best_metric if maximize else value < self.best_metric
        )
        if improved:
            self.best_metric, self.best_epoch = value, epoch
            self.epochs_without_improvement = 0
            if self.is_main:
                save_tensors_atomic(self.model.state_dict(), self.serialization_dir / BEST_WEIGHTS)
        else:
            self.epochs_without_improvement += 1
        if self.is_main:
            save_checkpoint(
                self.serialization_dir / "checkpoints", epoch, self.model.state_dict(),
                self.optimizer, self.lr_scheduler, self._state(), keep=self.keep_checkpoints,
            )
        distributed.barrier()
        waited = self.epochs_without_improvement
        out_of_patience = self.patience is not None and waited >= self.patience
        out_of_steps = self.max_steps is not None and self.global_step >= self.max_steps
        if out_of_patience:
            logger.info("no improvement in %d epochs: stopping", self.patience)
        return out_of_patience or out_of_steps

    def _state(self) -> dict[str, Any]:
        return {
            "global_step": self.global_step,
            "best_metric": self.best_metric,
            "best_epoch": self.best_epoch,
            "epochs_without_improvement": self.epochs_without_improvement,
        }

    def _summary(self, last: dict[str, Any], seconds: float) -> dict[str, Any]:
        summary: dict[str, Any] = {"best_epoch": self.best_epoch, "training_seconds": seconds}
        path = self.serialization_dir / f"metrics_epoch_{self.best_epoch}.json"
        best = last if self.best_epoch == last["epoch"] or not path.is_file() else json.loads(
            path.read_text(encoding="utf-8"))
        summary.update({f"best_{k}": v for k, v in best.items() if k != "epoch"})
        summary.update({f"last_{k}": v for k, v in last.items()})
        return summary

    def _restore(self) -> int:
        """Load the last complete checkpoint; returns the epoch to start from."""
        checkpoint = load_latest_checkpoint(self.serialization_dir / "checkpoints")
        if checkpoint is None:
            logger.warning("no checkpoint in %s: starting from scratch", self.serialization_dir)
            return 0
        self.model.load_state_dict(checkpoint["model"])
        self.optimizer.load_state_dict(checkpoint["optimizer"])
        if self.lr_scheduler is not None and checkpoint["scheduler"] is not None:
            self.lr_scheduler.load_state_dict(checkpoint["scheduler"])
        for key, value in checkpoint["trainer"].items():
            setattr(self, key, value)
        logger.info("resumed after epoch %d (step %d)", checkpoint["epoch"], self.global_step)
        return checkpoint["epoch"] + 1

    def _load_best(self) -> None:
        path = self.serialization_dir / BEST_WEIGHTS
        distributed.barrier()
        if path.is_file():
            self.model.load_state_dict(load_file(path, device=str(self.device)))

    def _show(self) -> bool:
        return self.progress and self.is_main

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.amp_dtype)


def _resolve_device(device: str) -> torch.device:
    if device == "auto":
        local = distributed.local_rank()
        return torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} requested but CUDA is not available")
    return torch.device(device)


def _amp_dtype(amp: str | None, device: torch.device) -> torch.dtype | None:
    if amp is None:
        return None
    if device.type != "cuda":
        logger.warning("amp=%s ignored: mixed precision is used on CUDA only", amp)
        return None
    return torch.bfloat16 if amp == "bf16" else torch.float16


def steps_per_epoch(num_sentences: int, batch_size: int, accumulation: int, world: int) -> int:
    """Optimizer steps per epoch for the scheduler's context."""
    batches = math.ceil(math.ceil(num_sentences / batch_size) / world)
    return max(1, math.ceil(batches / max(1, accumulation)))
