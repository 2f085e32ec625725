"""Output directories that appear whole, and resumable checkpoints (safetensors + JSON, no pickle).

A run works in ``OUT_DIR.partial`` (checkpoints included) and renames it to ``OUT_DIR`` only once
the final model is written, so a killed run never leaves a half-written ``OUT_DIR``; ``--resume``
picks the partial directory up again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nerkit.common.errors import ConfigurationError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

logger = logging.getLogger(__name__)

CHECKPOINT = "checkpoint"
S = TypeVar("S", bound="DataclassInstance")  # a settings dataclass


class RunDirectory:
    """The staging directory of a pretraining run and its final location.

    Args:
        output_dir: Where the finished model goes; must not exist unless ``force``.
        force: Replace an existing ``output_dir`` when the run finishes.
        resume: Continue from the checkpoint in ``OUT_DIR.partial``; without it a leftover
            partial directory is discarded.
    """

    def __init__(self, output_dir: str | Path, force: bool = False, resume: bool = False) -> None:
        self.final = Path(output_dir)
        self.work = self.final.with_name(self.final.name + ".partial")
        if self.final.exists() and not force:
            raise ConfigurationError(f"{self.final} exists; pass --force to replace it")
        if resume and not (self.work / CHECKPOINT).is_dir():
            raise ConfigurationError(f"--resume: no checkpoint in {self.work}")
        if self.work.exists() and not resume:
            logger.info("discarding the unfinished run in %s (--resume continues it)", self.work)
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True, exist_ok=True)

    def settings(self, settings: S, resume: bool) -> S:
        """Record ``settings`` in the run; when resuming, return the recorded ones instead."""
        path = self.work / "settings.json"
        if resume and path.is_file():
            recorded = json.loads(path.read_text(encoding="utf-8"))
            logger.info("resuming with the run's recorded settings from %s", path)
            return type(settings)(**recorded)
        write_json(path, dataclasses.asdict(settings))
        return settings

    @property
    def checkpoint(self) -> Path:
        return self.work / CHECKPOINT

    def finish(self) -> Path:
        """Drop the checkpoint and move the finished directory into place."""
        shutil.rmtree(self.checkpoint, ignore_errors=True)
        old = self.final.with_name(self.final.name + ".old")
        if self.final.exists():
            os.replace(self.final, old)
        os.replace(self.work, self.final)
        shutil.rmtree(old, ignore_errors=True)
        return self.final


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
