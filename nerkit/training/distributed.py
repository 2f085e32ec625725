"""PyTorch DDP glue for runs launched by ``torchrun``: ranks, wrapping, exact metric reduction."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import torch
import torch.distributed as dist


def local_rank() -> int:
    return int(os.environ.get("LOCAL_RANK", 0))


def is_distributed() -> bool:
    return dist.is_available() and dist.is_initialized()


def init_from_environment() -> bool:
    """Start the process group when torchrun set WORLD_SIZE > 1 (NCCL on GPUs, gloo on CPUs)."""
    if int(os.environ.get("WORLD_SIZE", 1)) <= 1 or is_distributed():
        return is_distributed()
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    if backend == "nccl":
        torch.cuda.set_device(local_rank())
    dist.init_process_group(backend=backend)
    return True


def rank_and_world_size() -> tuple[int, int]:
    if is_distributed():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def wrap(model: torch.nn.Module, device: torch.device) -> torch.nn.Module:
    """The model wrapped in DistributedDataParallel when distributed, else itself."""
    if not is_distributed():
        return model
    ids = [device.index] if device.type == "cuda" else None
    return torch.nn.parallel.DistributedDataParallel(model, device_ids=ids)


def barrier() -> None:
    if is_distributed():
        dist.barrier()


def mean(total: torch.Tensor, count: int) -> float:
    """Global mean of per-process sums over per-process counts."""
    if not is_distributed():
        return float(total) / max(count, 1)
    count_tensor = torch.tensor(float(count), dtype=torch.float64)
    pair = torch.stack([total.detach().double().cpu(), count_tensor])
    dist.all_reduce(pair)
    return float(pair[0] / pair[1].clamp(min=1))


def reduce_metrics(metrics: Iterable[Any]) -> None:
    """Sum every metric's counts across processes so each reports the exact global figure."""
    if not is_distributed():
        return
    for metric in metrics:
        state = metric.state_tensor().double()
        dist.all_reduce(state)
        metric.load_state_tensor(state)


def any_process(flag: bool) -> bool:
    """True when ``flag`` is true in any process, so that every process takes the same branch."""
    if not is_distributed():
        return flag
    value = torch.tensor(int(flag))
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value)
