"""The step loop shared by ELMo and BERT pretraining: AdamW, warmup then linear decay, clipping,
optional bf16 mixed precision, tqdm progress, periodic checkpoints and exact resume (same
batches, same random state)."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from nerkit.common.errors import DataError
from nerkit.common.precision import amp_dtype, autocast
from nerkit.training.checkpoints import read_state, write_state
from nerkit.training.eager_optimizers import EagerAdamW
from nerkit.training.loop_settings import LoopSettings

logger = logging.getLogger(__name__)

Batch = Any


def steps_for(max_steps: int, epochs: int | None, batches_per_epoch: int) -> int:
    """``epochs`` passes over the data when given, else ``max_steps``."""
    return epochs * batches_per_epoch if epochs else max_steps


@dataclass
class LoopResult:
    """Steps taken, the mean loss of the last 100, training seconds (evaluations excluded), and
    the held-out metrics measured at each periodic checkpoint."""

    steps: int
    final_loss: float
    seconds: float
    history: list[dict[str, float]]


def train_steps(
    model: torch.nn.Module,
    epoch_batches: Callable[[int], Sequence[Batch]],
    loss_of: Callable[[Batch, int], torch.Tensor],
    settings: LoopSettings,
    checkpoint_dir: Path,
    resume: bool = False,
    description: str = "pretrain",
    amp: str | None = None,
    evaluate: Callable[[], dict[str, float]] | None = None,
) -> LoopResult:
    """Train ``model`` for ``settings.max_steps`` steps.

    Args:
        epoch_batches: The batches of epoch ``e`` (deterministic in ``e``, so resuming can skip
            to the batch it stopped at).
        loss_of: ``loss_of(batch, step)``; the step lets it seed its own randomness (masking).
        checkpoint_dir: Where checkpoints go; with ``resume`` the loop restarts from it.
        amp: ``bf16``: compute the losses under bfloat16 autocast where the CPU has it natively
            (``nerkit.common.precision``); the weights and optimizer stay float32.
        evaluate: Held-out metrics, measured at every periodic checkpoint and kept in the
            checkpoint (so a resumed run's curve is whole); its time is not training time.
    """
    optimizer = EagerAdamW(
        [p for p in model.parameters() if p.requires_grad],
        lr=settings.learning_rate, weight_decay=settings.weight_decay,
    )
    state: dict[str, Any] = {"step": 0, "epoch": 0, "next_batch": 0, "seconds": 0.0}
    if resume:
        state = read_state(checkpoint_dir, model, optimizer)
        logger.info("resuming at step %d (epoch %d)", state["step"], state["epoch"])
    device = next(model.parameters()).device
    dtype = amp_dtype(amp, device)
    recent: deque[float] = deque(maxlen=100)
    started = time.perf_counter() - state["seconds"]
    model.train()
    with tqdm(total=settings.max_steps, initial=state["step"], desc=description) as progress:
        while not _finished(state, settings):
            batches = epoch_batches(state["epoch"])
            if not batches:
                raise DataError("no training batches (is the corpus empty?)")
            for index in range(state["next_batch"], len(batches)):
                with autocast(device, dtype):
                    loss = loss_of(batches[index], state["step"])
                recent.append(_step(model, optimizer, loss, settings, state["step"]))
                state.update(step=state["step"] + 1, next_batch=index + 1,
                             seconds=time.perf_counter() - started)
                progress.update(1)
                progress.set_postfix(loss=f"{sum(recent) / len(recent):.3f}")
                due = settings.checkpoint_due(state["step"], 0.0)
                if due and evaluate is not None and not _finished(state, settings):
                    began = time.perf_counter()
                    _record(state, evaluate(), model)
                    started += time.perf_counter() - began
                if _finished(state, settings) or due:
                    write_state(checkpoint_dir, model, optimizer, state)
                if _finished(state, settings):
                    break
            if state["next_batch"] >= len(batches):
                state.update(epoch=state["epoch"] + 1, next_batch=0)
    final = sum(recent) / len(recent) if recent else math.nan
    return LoopResult(state["step"], final, state["seconds"], state.get("history", []))


def _record(state: dict[str, Any], metrics: dict[str, float], model: torch.nn.Module) -> None:
    """Append held-out ``metrics`` at this step to the run's history (and log them)."""
    model.train()
    point = {"step": state["step"], "minutes": round(state["seconds"] / 60, 2), **metrics}
    state["history"] = [*state.get("history", []), point]
    logger.info("held out at step %d: %s", state["step"],
                ", ".join(f"{k}={v:.4g}" for k, v in metrics.items()))


def _finished(state: dict[str, Any], settings: LoopSettings) -> bool:
    return settings.out_of_steps(state["step"]) or settings.out_of_time(state["seconds"])


def _step(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    loss: torch.Tensor,
    settings: LoopSettings,
    step: int,
) -> float:
    for group in optimizer.param_groups:
        group["lr"] = settings.learning_rate_at(step)
    loss.backward()
    if settings.grad_norm:
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings.grad_norm)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return float(loss.detach())
