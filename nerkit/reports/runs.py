"""A training run directory read back: its config, final metrics and per-epoch metrics."""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nerkit.common.errors import DataError
from nerkit.common.plugins import import_builtins
from nerkit.common.signatures import config_parameters
from nerkit.registry import KINDS, get_registry

EPOCH_FILE = re.compile(r"^metrics_epoch_(\d+)\.json$")
SEED_SUFFIX = re.compile(r"[-_.]?seed[-_]?\d+$")
MAX_SHOWN_DIFFERENCES = 2  # settings named in a group's name when two groups share one
SPLIT_PREFIXES = {"validation": "best_validation_", "test": "test_"}


@dataclass
class Run:
    """What a serialization directory holds, as far as reports need it.

    Args:
        name: Display name (the directory name unless given).
        directory: The serialization directory.
        config: ``config.json`` (empty when absent).
        metrics: ``metrics.json`` (empty when the run has not finished).
        epochs: ``metrics_epoch_N.json`` contents, ordered by epoch number.
    """

    name: str
    directory: Path
    config: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    epochs: list[dict[str, Any]] = field(default_factory=list)

    def model_summary(self) -> str:
        """``embedder+encoder+decoder`` types from the config, e.g. ``embedding+lstm+crf``."""
        model = self.config.get("model", {})
        parts = [_block_type(model.get(slot)) for slot in ("embedder", "encoder", "decoder")]
        summary = "+".join(part for part in parts if part)
        return summary or self.name

    def scores(self, split: str) -> dict[str, float]:
        """Metric values of ``split`` without prefix (``f1``, ``precision-PER``, ...).

        ``validation`` reads ``best_validation_*`` from ``metrics.json``, or, for a run still
        in progress, the epoch with the highest ``validation_f1``; ``test`` reads ``test_*``.
        """
        if split not in SPLIT_PREFIXES:
            raise ValueError(f"unknown split {split!r}; expected one of {sorted(SPLIT_PREFIXES)}")
        found = _strip_prefix(self.metrics, SPLIT_PREFIXES[split])
        if not found and split == "validation" and self.epochs:
            best = max(self.epochs, key=lambda epoch: epoch.get("validation_f1", float("-inf")))
            found = _strip_prefix(best, "validation_")
        if "f1" not in found:
            missing = f"no {split} scores (no {SPLIT_PREFIXES[split]}f1)"
            raise DataError(missing, str(self.directory))
        return found

    def epoch_curve(self, key: str = "validation_f1") -> tuple[list[int], list[float]]:
        """Epoch numbers and the values of ``key`` for the epochs that report it."""
        points = [(e["epoch"], e[key]) for e in self.epochs if key in e and "epoch" in e]
        return [p[0] for p in points], [float(p[1]) for p in points]

    def minutes_curve(self, key: str = "validation_f1") -> tuple[list[float], list[float]]:
        """Training minutes at the end of each epoch (summed ``epoch_seconds``) and the values
        of ``key``: curves of runs whose epochs differ in cost, on one time axis.

        Raises:
            DataError: an epoch file lacks ``epoch_seconds``.
        """
        minutes, elapsed = [], 0.0
        values = []
        for epoch in self.epochs:
            if "epoch_seconds" not in epoch:
                raise DataError(f"epoch {epoch.get('epoch', '?')} has no epoch_seconds",
                                str(self.directory))
            elapsed += float(epoch["epoch_seconds"]) / 60
            if key in epoch:
                minutes.append(elapsed)
                values.append(float(epoch[key]))
        return minutes, values


def load_run(directory: str | Path, name: str | None = None) -> Run:
    """Read a run directory; it must hold ``metrics.json`` or at least one epoch file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError("not a run directory", str(directory))
    run = Run(name or directory.resolve().name, directory)
    run.config = _read_json(directory / "config.json")
    run.metrics = _read_json(directory / "metrics.json")
    run.epochs = [_read_json(path) for path in _epoch_files(directory)]
    if not run.metrics and not run.epochs:
        raise DataError("no metrics.json nor metrics_epoch_N.json files", str(directory))
    return run


def group_runs(runs: Sequence[Run], ignore: Sequence[str] = ()) -> list[tuple[str, list[Run]]]:
    """Runs whose configs differ only in ``random_seed``, grouped in first-seen order.

    Configs are compared as experiments: a key set to null, or a component's option set to
    its registered default, counts as absent. A run filled by a newer nerkit lists options
    added since (``projection: true``, ``max_tokens: null``) that an older run's config lacks,
    and both ran the same experiment; an option set to anything else keeps runs apart.
    A group is named after its first run without a ``seed<N>`` suffix; a run directory named
    just ``seed<N>`` (``results/msra/crf/seed13``) lends its parent's name. ``ignore`` lists
    dotted keys left out of the comparison (``model.decoder.beam_size``: a search used only by
    the archive's predictions, where the compared scores come from greedy validation).
    """
    groups: dict[str, tuple[str, list[Run]]] = {}
    settings_of: dict[str, dict[str, Any]] = {}
    for run in runs:
        settings = _as_experiment(_without(run.config, ["random_seed", *ignore]))
        key = json.dumps(settings, sort_keys=True)
        if key not in groups:
            name = SEED_SUFFIX.sub("", run.name) or run.directory.resolve().parent.name
            groups[key] = (name, [])
            settings_of[key] = _flatten(settings)
        groups[key][1].append(run)
    return _named_apart(groups, settings_of)


def _named_apart(
    groups: dict[str, tuple[str, list[Run]]], settings_of: dict[str, dict[str, Any]]
) -> list[tuple[str, list[Run]]]:
    """Groups of one name but different configs get the settings that tell them apart
    (``bilstm_crf (data_loader.max_tokens=4096)``), against the first group of the name."""
    first: dict[str, str] = {}
    named = []
    for key, (name, members) in groups.items():
        reference = first.setdefault(name, key)
        if reference != key:
            ours, theirs = settings_of[key], settings_of[reference]
            differing = [f"{k}={json.dumps(ours.get(k), ensure_ascii=False)}"
                         for k in sorted(set(ours) | set(theirs)) if ours.get(k) != theirs.get(k)]
            shown = ", ".join(differing[:MAX_SHOWN_DIFFERENCES])
            more = len(differing) - MAX_SHOWN_DIFFERENCES
            name = f"{name} ({shown}{f', {more} more' if more > 0 else ''})"
        named.append((name, members))
    return named


def _without(config: dict[str, Any], dotted_keys: Sequence[str]) -> dict[str, Any]:
    """A copy of ``config`` without the settings at ``dotted_keys`` (absent ones are skipped)."""
    config = copy.deepcopy(config)
    for dotted in dotted_keys:
        *parents, leaf = dotted.split(".")
        block: Any = config
        for key in parents:
            block = block.get(key) if isinstance(block, dict) else None
        if isinstance(block, dict):
            block.pop(leaf, None)
    return config


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted keys of the leaves of nested mappings (lists stay whole)."""
    if not isinstance(value, dict):
        return {prefix: value}
    flat: dict[str, Any] = {}
    for k, v in value.items():
        flat.update(_flatten(v, f"{prefix}.{k}" if prefix else k))
    return flat


def _as_experiment(value: Any) -> Any:
    """``value`` without null-valued keys and without options equal to the registered default
    of their block's ``type``, at any depth."""
    if isinstance(value, list):
        return [_as_experiment(v) for v in value]
    if not isinstance(value, dict):
        return value
    defaults = registered_defaults(value["type"]) if isinstance(value.get("type"), str) else {}
    return {
        k: _as_experiment(v) for k, v in value.items()
        if v is not None and not (k in defaults and k != "type" and _same(defaults[k], v))
    }


def _same(default: Any, value: Any) -> bool:
    """A JSON value equals a Python default (``True`` is not ``1`` here)."""
    return type(default) is type(value) and default == value


@functools.cache
def registered_defaults(type_name: str) -> dict[str, Any]:
    """The option defaults shared by every registered component named ``type_name``."""
    import_builtins()
    components = [get_registry(kind).get_all().get(type_name) for kind in KINDS]
    found = [
        {p.name: p.default for p in config_parameters(component) if not p.required}
        for component in components if component is not None
    ]
    if not found:
        return {}
    return {k: v for k, v in found[0].items()
            if all(k in other and _same(other[k], v) for other in found[1:])}


def _epoch_files(directory: Path) -> list[Path]:
    numbered = []
    for path in directory.iterdir():
        match = EPOCH_FILE.match(path.name)
        if match:
            numbered.append((int(match.group(1)), path))
    return [path for _, path in sorted(numbered)]


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"invalid JSON: {error.msg}", str(path), error.lineno) from None
    if not isinstance(data, dict):
        raise DataError("expected a JSON object", str(path))
    return data


def _strip_prefix(metrics: dict[str, Any], prefix: str) -> dict[str, float]:
    return {
        key[len(prefix):]: float(value)
        for key, value in metrics.items()
        if key.startswith(prefix) and isinstance(value, (int, float))
    }


def _block_type(block: Any) -> str:
    if isinstance(block, dict):
        return str(block.get("type", ""))
    return ""
