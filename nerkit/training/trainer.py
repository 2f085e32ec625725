"""The trainer: one readable loop with validation, patience, atomic checkpoints and exact resume."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file
from torch.optim.lr_scheduler import LRScheduler
from tqdm import tqdm

from nerkit.common.allocator import map_large_blocks
from nerkit.common.errors import ConfigurationError, TrainingError
from nerkit.common.precision import amp_dtype, autocast, check_amp
from nerkit.data.batching import DataLoaderConfig, batch_indices, iterate_batches
from nerkit.data.sentence import Sentence
from nerkit.models.model import Model, move_to_device, validating
from nerkit.training import distributed
from nerkit.training.callbacks import Callback
from nerkit.training.checkpoints import (
    load_latest_checkpoint,
    save_checkpoint,
    save_tensors_atomic,
    write_json_atomic,
)
from nerkit.training.loop_settings import LoopSettings

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
        amp: Mixed precision: ``bf16`` or ``fp16`` on CUDA; ``bf16`` on CPUs with AMX or
            AVX512-BF16 (ignored, with a warning, elsewhere; see ``nerkit.common.precision``).
        train_metrics: Decode training batches to show a running training F1 (costs a decode).
        keep_checkpoints: Complete checkpoints kept on disk.
        progress: Show tqdm progress bars.
        callbacks: Hooks at batch and epoch ends.
        max_minutes: Time budget for training and validation, summed over resumed sessions.
            The run stops at the first optimizer step past it, validates the model as it is
            then and finishes as after a last epoch; that partial epoch is checkpointed, so
            ``-r`` with a larger budget carries on exactly where it stopped.
        checkpoint_every_minutes: Also checkpoint within an epoch whenever this many minutes
            have passed since the last checkpoint (a killed run then loses at most that much).

    SIGINT and SIGTERM (once) finish the current batch, write a checkpoint and stop with an
    error saying how to resume; a second signal stops at once. A non-finite loss stops training
    before it reaches the weights, naming the epoch and batch; the last checkpoint is kept.
    """

    clock: Callable[[], float] = staticmethod(time.monotonic)  # seconds; tests count steps

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
        max_minutes: float | None = None,
        checkpoint_every_minutes: float | None = None,
    ) -> None:
        for name, value in (("max_minutes", max_minutes),
                            ("checkpoint_every_minutes", checkpoint_every_minutes)):
            if value is not None and value <= 0:
                raise ConfigurationError(f"{name} must be positive or null, got {value}",
                                         ("trainer", name))
        self.loop = LoopSettings(max_steps=max_steps, max_minutes=max_minutes,
                                 grad_norm=grad_norm,
                                 checkpoint_every_minutes=checkpoint_every_minutes)
        if validation_metric[:1] not in "+-" or len(validation_metric) < 2:
            raise ConfigurationError(
                f"validation_metric must start with + or -, got {validation_metric!r}",
                ("trainer", "validation_metric"),
            )
        check_amp(amp, ("trainer", "amp"))
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
        self.patience = patience
        self.metric_name = validation_metric[1:]
        self.maximize = validation_metric[0] == "+"
        self.grad_accumulation = max(1, grad_accumulation)
        self.amp_dtype = amp_dtype(amp, self.device)
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
        self.elapsed_before = 0.0  # training seconds of earlier sessions of a resumed run
        self.epoch_loss_sum = 0.0  # within the current epoch, for a checkpoint inside it
        self.epoch_batches = 0
        self._session_start = 0.0
        self._last_checkpoint = 0.0
        self._signal: str | None = None
        self._full_batches: list[dict[str, Any]] | None = None

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def train(
        self, train_data: Sequence[Sentence], validation_data: Sequence[Sentence] | None,
        data_loader: DataLoaderConfig, validation_data_loader: DataLoaderConfig | None = None,
        seed: int = 13, recover: bool = False,
    ) -> dict[str, Any]:
        """Run the loop; returns the final metrics (also written to ``metrics.json``).

        Large blocks are given back to the OS when freed (``map_large_blocks``), so memory
        stays flat across batches of varying shapes.
        """
        map_large_blocks()
        self._session_start = self._last_checkpoint = self.clock()
        start_epoch, start_batch = self._restore() if recover else (0, 0)
        validation_loader = validation_data_loader or data_loader.for_validation()
        metrics = self._previous_metrics() if recover else {}
        with self._signals_caught():
            for epoch in range(start_epoch, self.num_epochs):
                if self._out_of_time():
                    break
                epoch_start = self.clock()
                epoch_metrics, trained = self._train_epoch(
                    train_data, data_loader, seed + epoch, epoch, start_batch
                )
                start_batch = 0
                if validation_data:
                    with validating(self.model):
                        evaluated = self.evaluate(validation_data, validation_loader,
                                                  f"validate {epoch}")
                    epoch_metrics.update({f"validation_{k}": v for k, v in evaluated.items()})
                epoch_metrics["epoch"] = epoch
                epoch_metrics["epoch_seconds"] = self.clock() - epoch_start
                if trained is not None:
                    epoch_metrics["batches"] = trained  # stopped within the epoch: time is up
                stop = self._after_epoch(epoch, epoch_metrics, bool(validation_data), trained)
                metrics = self._summary(epoch_metrics, self.elapsed())
                if self.is_main:
                    write_json_atomic(self.serialization_dir / f"metrics_epoch_{epoch}.json",
                                      epoch_metrics)
                    write_json_atomic(self.serialization_dir / "metrics.json", metrics)
                for callback in self.callbacks:
                    callback.on_epoch_end(self, epoch, epoch_metrics)
                if stop or trained is not None:
                    break
        self._load_best()
        for callback in self.callbacks:
            callback.on_end(self, metrics)
        return metrics

    def _train_epoch(
        self, data: Sequence[Sentence], loader: DataLoaderConfig, seed: int, epoch: int,
        start: int = 0,
    ) -> tuple[dict[str, Any], int | None]:
        """Train one epoch from batch ``start``; returns its metrics and, when the time budget
        ran out within the epoch, the number of its batches trained (else ``None``)."""
        if getattr(self.optimizer, "full_batch", False):
            return self._full_batch_epoch(data, loader, epoch), None
        self.network.train()
        batches, remaining = iterate_batches(
            data, self.model.featurize, loader, seed=seed, train=True,
            rank=self.rank, world_size=self.world_size, start=start,
        )
        count = start + remaining
        bar = tqdm(batches, total=count, initial=start, desc=f"epoch {epoch}",
                   disable=not self._show(), mininterval=1.0, dynamic_ncols=True)
        if start == 0:
            self.epoch_loss_sum, self.epoch_batches = 0.0, 0
        total_loss = torch.full((), self.epoch_loss_sum, device=self.device)
        batches_seen = self.epoch_batches
        stopped_at = None
        self.model.get_metrics(reset=True)
        self.optimizer.zero_grad(set_to_none=True)
        for index, batch in enumerate(bar, start=start + 1):
            batch = move_to_device(batch, self.device)
            with self._autocast():
                output = self.network(batch, decode=self.train_metrics)
            loss = output["loss"]
            if not torch.isfinite(loss.detach()):
                value = float(loss.detach())
                raise TrainingError(
                    f"non-finite training loss ({value}) in epoch {epoch}, batch {index}; "
                    "the weights were not updated with it and the last checkpoint is kept. "
                    "Lower the learning rate or set trainer.grad_norm, then resume with -r"
                )
            self.scaler.scale(loss / self.grad_accumulation).backward()
            total_loss += loss.detach()
            batches_seen += 1
            if self.train_metrics:
                self._update_metrics(batch, output)
            stepped = index % self.grad_accumulation == 0 or index == count
            if stepped:
                self._step()
                for callback in self.callbacks:
                    callback.on_batch_end(self, self.global_step, float(loss.detach()))
            if self._show() and (index % 20 == 0 or index == count):
                bar.set_postfix(self._postfix(total_loss, batches_seen), refresh=False)
            if self.loop.out_of_steps(self.global_step):
                break
            if stepped and index < count:
                self.epoch_loss_sum, self.epoch_batches = float(total_loss), batches_seen
                if self._pause_within_epoch(epoch, index):
                    stopped_at = index
                    break
        bar.close()
        self.epoch_loss_sum, self.epoch_batches = float(total_loss), batches_seen
        result = {"training_loss": distributed.mean(total_loss, batches_seen)}
        if self.train_metrics:
            distributed.reduce_metrics(self.model.metrics.values())
            result.update({f"training_{k}": v for k, v in self.model.get_metrics(True).items()})
        return result, stopped_at

    def _full_batch_epoch(
        self, data: Sequence[Sentence], loader: DataLoaderConfig, epoch: int
    ) -> dict[str, Any]:
        """One ``step(closure)`` of a full-batch optimizer (L-BFGS); the closure sums the loss
        over every training sentence. Batches are featurized once and kept for the run."""
        if self.world_size > 1:
            raise ConfigurationError("a full-batch optimizer (lbfgs) runs in one process only",
                                     ("trainer", "optimizer"))
        self.network.train()
        if self._full_batches is None:
            batches, _ = iterate_batches(data, self.model.featurize, loader, train=False,
                                         rank=self.rank, world_size=self.world_size)
            self._full_batches = [move_to_device(b, self.device) for b in batches]
        full_batches = self._full_batches
        sentences = sum(int(b["mask"].size(0)) for b in full_batches)
        bar = tqdm(desc=f"epoch {epoch} (full batch)", unit="pass", disable=not self._show(),
                   dynamic_ncols=True)

        def closure() -> torch.Tensor:
            self.optimizer.zero_grad(set_to_none=True)
            total = torch.zeros((), device=self.device)
            for batch in full_batches:
                loss = self.network(batch, decode=False)["loss"] * batch["mask"].size(0)
                loss.backward()
                total += loss.detach()
            if not torch.isfinite(total):
                raise TrainingError(f"non-finite training loss ({float(total)}) in epoch {epoch}")
            bar.update(1)
            bar.set_postfix({"loss": f"{float(total) / max(sentences, 1):.4f}"}, refresh=False)
            return total

        # torch's stubs type the closure as returning a float, but returning the loss tensor is
        # its documented use (L-BFGS calls float() on it and returns it)
        loss = self.optimizer.step(closure)  # type: ignore[arg-type]
        bar.close()
        self.global_step += 1
        return {"training_loss": distributed.mean(torch.as_tensor(float(loss)), sentences)}

    def _pause_within_epoch(self, epoch: int, batch: int) -> bool:
        """Checkpoint within the epoch when due or signalled; True when the time is up."""
        signalled = distributed.any_process(self._signal is not None)
        due = self.loop.checkpoint_due(self.global_step, self.clock() - self._last_checkpoint)
        if signalled or distributed.any_process(due):
            self._checkpoint(epoch, batch)
        if signalled:
            raise TrainingError(
                f"interrupted by {self._signal or 'a signal'} in epoch {epoch} after batch {batch};"
                f" a checkpoint was written: resume with -r (--recover)"
            )
        return distributed.any_process(self._out_of_time())

    def elapsed(self) -> float:
        """Training seconds so far, earlier sessions of a resumed run included."""
        return self.elapsed_before + self.clock() - self._session_start

    def _out_of_time(self) -> bool:
        return self.loop.out_of_time(self.elapsed())

    def _checkpoint(self, epoch: int, batch: int | None) -> None:
        if self.is_main:
            save_checkpoint(
                self.serialization_dir / "checkpoints", epoch, self.model, self.optimizer,
                self.lr_scheduler, self._state(), keep=self.keep_checkpoints, batch=batch,
            )
        self._last_checkpoint = self.clock()
        distributed.barrier()

    @contextlib.contextmanager
    def _signals_caught(self) -> Iterator[None]:
        """SIGINT/SIGTERM set a flag the loop acts on after the current batch."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_signal(number: int, frame: Any) -> None:
            if self._signal is not None:
                raise KeyboardInterrupt
            self._signal = signal.Signals(number).name
            logger.warning("%s: checkpointing after this batch (again to stop at once)",
                           self._signal)

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _step(self) -> None:
        if self.loop.grad_norm is not None:
            self.scaler.unscale_(self.optimizer)
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.loop.grad_norm)
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

    def _after_epoch(
        self, epoch: int, metrics: dict[str, Any], validated: bool, batch: int | None = None
    ) -> bool:
        """Track the best epoch, checkpoint, and say whether to stop (``batch``: the batches
        trained when the epoch was cut short by the time budget)."""
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
        if batch is None:
            self.epoch_loss_sum, self.epoch_batches = 0.0, 0
        self._checkpoint(epoch, batch)
        waited = self.epochs_without_improvement
        out_of_patience = self.patience is not None and waited >= self.patience
        out_of_steps = self.loop.out_of_steps(self.global_step)
        if out_of_patience:
            logger.info("no improvement in %d epochs: stopping", self.patience)
        return out_of_patience or out_of_steps

    def _state(self) -> dict[str, Any]:
        return {
            "global_step": self.global_step,
            "best_metric": self.best_metric,
            "best_epoch": self.best_epoch,
            "epochs_without_improvement": self.epochs_without_improvement,
            "elapsed_seconds": self.elapsed(),
            "epoch_loss_sum": self.epoch_loss_sum,
            "epoch_batches": self.epoch_batches,
        }

    def _summary(self, last: dict[str, Any], seconds: float) -> dict[str, Any]:
        summary: dict[str, Any] = {"best_epoch": self.best_epoch, "training_seconds": seconds}
        path = self.serialization_dir / f"metrics_epoch_{self.best_epoch}.json"
        best = last if self.best_epoch == last["epoch"] or not path.is_file() else json.loads(
            path.read_text(encoding="utf-8"))
        summary.update({f"best_{k}": v for k, v in best.items() if k != "epoch"})
        summary.update({f"last_{k}": v for k, v in last.items()})
        return summary

    def _restore(self) -> tuple[int, int]:
        """Load the last complete checkpoint; returns the epoch and batch to start from."""
        checkpoint = load_latest_checkpoint(self.serialization_dir / "checkpoints", self.model,
                                            self.optimizer)
        if checkpoint is None:
            logger.warning("no checkpoint in %s: starting from scratch", self.serialization_dir)
            return 0, 0
        if self.lr_scheduler is not None and checkpoint["scheduler"] is not None:
            self.lr_scheduler.load_state_dict(checkpoint["scheduler"])
        state = dict(checkpoint["trainer"])
        self.elapsed_before = float(state.pop("elapsed_seconds", 0.0))
        for key, value in state.items():
            setattr(self, key, value)
        epoch, batch = checkpoint["epoch"], checkpoint["batch"]
        if batch is None:
            logger.info("resumed after epoch %d (step %d)", epoch, self.global_step)
            return epoch + 1, 0
        logger.info("resumed in epoch %d after batch %d (step %d)", epoch, batch, self.global_step)
        return epoch, batch

    def _previous_metrics(self) -> dict[str, Any]:
        """``metrics.json`` of the run being resumed (returned if nothing is left to train)."""
        path = self.serialization_dir / "metrics.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def _load_best(self) -> None:
        path = self.serialization_dir / BEST_WEIGHTS
        distributed.barrier()
        if path.is_file():
            self.model.load_state_dict(load_file(path, device=str(self.device)))

    def _show(self) -> bool:
        return self.progress and self.is_main

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        return autocast(self.device, self.amp_dtype)


def _resolve_device(device: str) -> torch.device:
    if device == "auto":
        local = distributed.local_rank()
        return torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigurationError(f"device {device!r} requested but CUDA is not available",
                                 ("trainer", "device"))
    return torch.device(device)


def steps_per_epoch(lengths: Sequence[int], loader: DataLoaderConfig, accumulation: int,
                    world: int) -> int:
    """Optimizer steps per epoch (sentence ``lengths``) for the scheduler's context."""
    if loader.max_tokens is None:
        batches = math.ceil(len(lengths) / loader.batch_size)
    else:  # cut batches: their number depends on the lengths (and, for random, on the order)
        batches = len(batch_indices(lengths, loader.batch_size, loader.sorting, False, 0,
                                    loader.max_tokens))
    return max(1, math.ceil(math.ceil(batches / world) / max(1, accumulation)))
