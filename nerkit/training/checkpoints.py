"""Atomic checkpoints for exact resume: safetensors for tensors, JSON for everything else.

The one checkpoint format of nerkit: the trainer's epoch checkpoints and the pretraining
loop's periodic one are both written by ``write_state`` and read by ``read_state``.

A checkpoint is a directory ``checkpoints/epoch_N/`` (after a whole epoch) or
``checkpoints/epoch_N_batch_K/`` (within epoch N, after K batches) written under a temporary name
and renamed into place; ``checkpoints/latest.json`` (replaced atomically) names the last complete
one, so a run killed at any moment resumes from a checkpoint that was fully written.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from safetensors.torch import load_file, load_model, save_file, save_model

LATEST = "latest.json"


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temp file in the same directory and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, ensure_ascii=False)
    os.replace(temp, path)


def save_tensors_atomic(tensors: dict[str, torch.Tensor], path: Path) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    save_file({k: v.detach().contiguous().cpu() for k, v in tensors.items()}, temp)
    os.replace(temp, path)


def rng_state() -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Every RNG's state, split into tensors and JSON."""
    tensors = {"rng.torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        for i, state in enumerate(torch.cuda.get_rng_state_all()):
            tensors[f"rng.cuda.{i}"] = state
    # numpy types the legacy state as a tuple or a dict; numpy's global RandomState is an
    # MT19937, whose legacy state is always the 5-tuple
    kind, keys, position, has_gauss, cached = cast(
        "tuple[str, np.ndarray, int, int, float]", np.random.get_state()
    )
    python_state = random.getstate()
    data = {
        "python": [python_state[0], list(python_state[1]), python_state[2]],
        "numpy": [kind, keys.tolist(), position, has_gauss, cached],
    }
    return tensors, data


def set_rng_state(tensors: dict[str, torch.Tensor], data: dict[str, Any]) -> None:
    torch.set_rng_state(tensors["rng.torch"])
    cuda = [tensors[k] for k in sorted(tensors) if k.startswith("rng.cuda.")]
    if cuda and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(cuda)
    version, state, gauss = data["python"]
    random.setstate((version, tuple(state), gauss))
    kind, keys, position, has_gauss, cached = data["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), position, has_gauss, cached))


def flatten_optimizer(state: dict[str, Any]) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """Optimizer state_dict -> (tensors keyed ``opt.<param>.<name>``, JSON rest).

    Lists holding tensors (L-BFGS keeps its history so) become ``{"list": [...]}`` in the JSON,
    each tensor item replaced by ``{"tensor": key}``.
    """
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for param_id, values in state["state"].items():
        for name, value in values.items():
            key = f"opt.{param_id}.{name}"
            if isinstance(value, torch.Tensor):
                tensors[key] = value
                continue
            if isinstance(value, list) and any(isinstance(v, torch.Tensor) for v in value):
                items = []
                for index, item in enumerate(value):
                    if isinstance(item, torch.Tensor):
                        tensors[f"{key}[{index}]"] = item
                        item = {"tensor": f"{key}[{index}]"}
                    items.append(item)
                value = {"list": items}
            scalars.setdefault(str(param_id), {})[name] = value
    return tensors, {"param_groups": state["param_groups"], "scalars": scalars}


def unflatten_optimizer(tensors: dict[str, torch.Tensor], data: dict[str, Any]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for key, tensor in tensors.items():
        if key.startswith("opt.") and not key.endswith("]"):
            _, param_id, name = key.split(".", 2)
            state.setdefault(int(param_id), {})[name] = tensor
    for param_id, values in data["scalars"].items():
        for name, value in values.items():
            if isinstance(value, dict) and "list" in value:
                value = [tensors[item["tensor"]] if isinstance(item, dict) else item
                         for item in value["list"]]
            state.setdefault(int(param_id), {})[name] = value
    return {"state": state, "param_groups": data["param_groups"]}


def checkpoint_name(epoch: int, batch: int | None = None) -> str:
    """``epoch_N`` after a whole epoch, ``epoch_N_batch_K`` within one."""
    return f"epoch_{epoch}" if batch is None else f"epoch_{epoch}_batch_{batch}"


def _position(path: Path) -> tuple[int, float]:
    """(epoch, batch) of a checkpoint directory; a whole epoch sorts after its batches."""
    parts = path.name.split("_")
    return int(parts[1]), float(parts[3]) if len(parts) == 4 else float("inf")


def write_state(
    directory: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
    state: dict[str, Any],
) -> Path:
    """Write ``model``, ``optimizer``, every RNG and ``state`` (JSON) as ``directory``, whole.

    The files are staged in a temporary sibling and renamed into place, replacing an older
    ``directory``: a reader sees the old checkpoint or the new one, never a mix. Shared (tied)
    weights are written once (safetensors' ``save_model``). Used by the trainer and by the
    pretraining loop alike.
    """
    directory.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=".tmp-"))
    optimizer_tensors, optimizer_data = flatten_optimizer(optimizer.state_dict())
    rng_tensors, rng_data = rng_state()
    save_model(model, str(temp / "model.safetensors"))
    save_file({k: v.detach().contiguous().cpu()
               for k, v in {**optimizer_tensors, **rng_tensors}.items()},
              temp / "training_state.safetensors")
    record = {**state, "optimizer": optimizer_data, "rng": rng_data}
    (temp / "training_state.json").write_text(json.dumps(record), encoding="utf-8")
    old = directory.with_name(f".old-{directory.name}")
    if directory.exists():
        os.replace(directory, old)
    os.replace(temp, directory)
    shutil.rmtree(old, ignore_errors=True)
    return directory


def read_state(
    directory: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer
) -> dict[str, Any]:
    """Restore ``model``, ``optimizer`` and every RNG from ``directory``; returns its ``state``."""
    load_model(model, str(directory / "model.safetensors"))
    tensors = load_file(directory / "training_state.safetensors")
    record = json.loads((directory / "training_state.json").read_text(encoding="utf-8"))
    optimizer.load_state_dict(unflatten_optimizer(tensors, record.pop("optimizer")))
    set_rng_state(tensors, record.pop("rng"))
    return record


def save_checkpoint(
    directory: Path, epoch: int, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
    scheduler: Any, trainer_state: dict[str, Any], keep: int = 2, batch: int | None = None,
) -> Path:
    """Write ``directory/<checkpoint_name>`` atomically and point ``latest.json`` at it.

    ``batch``: the batches of ``epoch`` already trained, for a checkpoint within an epoch.
    """
    state = {
        "epoch": epoch,
        "batch": batch,
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "trainer": trainer_state,
    }
    final = write_state(directory / checkpoint_name(epoch, batch), model, optimizer, state)
    write_json_atomic(directory / LATEST, {"epoch": epoch, "batch": batch, "path": final.name})
    for old in sorted(directory.glob("epoch_*"), key=_position)[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def load_latest_checkpoint(
    directory: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer
) -> dict[str, Any] | None:
    """Restore the last complete checkpoint into ``model`` and ``optimizer``; returns its
    ``scheduler``, ``trainer``, ``epoch`` and ``batch`` (``None`` after a whole epoch)."""
    pointer = directory / LATEST
    if not pointer.is_file():
        return None
    path = directory / json.loads(pointer.read_text(encoding="utf-8"))["path"]
    state = read_state(path, model, optimizer)
    state.setdefault("batch", None)
    return state
