"""A training run directory read back: its config, final metrics and per-epoch metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nerkit.common.errors import DataError

EPOCH_FILE = re.compile(r"^metrics_epoch_(\d+)\.json$")
SEED_SUFFIX = re.compile(r"[-_.]?seed[-_]?\d+$")
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


def group_runs(runs: Sequence[Run]) -> list[tuple[str, list[Run]]]:
    """Runs whose configs differ only in ``random_seed``, grouped in first-seen order.

    A key set to null counts as absent: a run filled by a newer nerkit lists options added
    since (null, i.e. off) that an older run's config lacks, and both ran the same experiment.
    A group is named after its first run without a ``seed<N>`` suffix; a run directory named
    just ``seed<N>`` (``results/msra/crf/seed13``) lends its parent's name.
    """
    groups: dict[str, tuple[str, list[Run]]] = {}
    for run in runs:
        settings = {k: v for k, v in run.config.items() if k != "random_seed"}
        key = json.dumps(_without_nulls(settings), sort_keys=True)
        if key not in groups:
            name = SEED_SUFFIX.sub("", run.name) or run.directory.resolve().parent.name
            groups[key] = (name, [])
        groups[key][1].append(run)
    return list(groups.values())


def _without_nulls(value: Any) -> Any:
    """``value`` with every null-valued key of its mappings removed, at any depth."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


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
