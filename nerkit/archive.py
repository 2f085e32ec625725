"""``model.tar.gz``: save and load a trained model without executing anything from the archive.

Layout: ``config.json`` (the filled experiment config), ``vocabulary/``, ``weights.safetensors``,
``meta.json`` (versions, metrics, plugin modules) and ``resources/`` (files components need
offline, such as a transformer's config and tokenizer). Loading reads JSON and safetensors only
(no pickle) and refuses any tar member that is absolute, climbs out with ``..``, or is a link or
a special file, before anything is extracted.
"""

from __future__ import annotations

import gzip
import json
import logging
import platform
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import torch
from safetensors.torch import load_model, save_model

from nerkit.common.atomic import atomic_path
from nerkit.common.build import build, build_and_fill
from nerkit.common.config import apply_overrides
from nerkit.common.errors import ArchiveError
from nerkit.common.plugins import import_plugins
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.models.model import Model
from nerkit.version import VERSION

logger = logging.getLogger(__name__)

ARCHIVE_NAME = "model.tar.gz"
CONFIG = "config.json"
META = "meta.json"
WEIGHTS = "weights.safetensors"
VOCABULARY = "vocabulary"
RESOURCES = "resources"


@dataclass
class Archive:
    """A loaded archive: the model (eval mode), its config, vocabulary, metadata and reader."""

    model: Model
    config: dict[str, Any]
    vocab: Vocabulary
    meta: dict[str, Any]
    reader: DatasetReader


def archive_model(
    path: str | Path, model: Model, config: dict[str, Any], vocab: Vocabulary,
    metrics: dict[str, Any] | None = None, plugins: list[str] | None = None,
) -> Path:
    """Write ``path`` (a ``.tar.gz``) atomically; returns it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        root = Path(staging)
        (root / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False), "utf-8")
        vocab.save(root / VOCABULARY)
        save_model(model, str(root / WEIGHTS))
        resources = root / RESOURCES
        resources.mkdir()
        for module in model.modules():
            save = getattr(module, "save_resources", None)
            if callable(save):
                save(resources)
        meta = {
            "nerkit_version": VERSION,
            "torch_version": torch.__version__,
            "python_version": platform.python_version(),
            "plugins": list(plugins or []),
            "metrics": metrics or {},
        }
        (root / META).write_text(json.dumps(meta, indent=2), "utf-8")
        with atomic_path(path) as temporary, tarfile.open(temporary, "w:gz") as tar:
            for item in sorted(root.rglob("*")):
                tar.add(item, arcname=str(item.relative_to(root)), recursive=False)
    return path


def check_members(tar: tarfile.TarFile, source: str) -> None:
    """Refuse absolute paths, ``..`` components, links and special files."""
    for member in tar.getmembers():
        name = PurePosixPath(member.name)
        if name.is_absolute() or member.name.startswith(("/", "\\")) or ".." in name.parts:
            raise ArchiveError(
                f"{source}: refusing member {member.name!r}: path leaves the archive"
            )
        if not (member.isfile() or member.isdir()):
            raise ArchiveError(
                f"{source}: refusing member {member.name!r}: only regular files and directories "
                "are allowed (links and devices are not)"
            )
        known = member.name.endswith((".json", ".txt", ".safetensors"))
        if member.isfile() and not known and name.parts[0] != RESOURCES:
                raise ArchiveError(f"{source}: unexpected member {member.name!r}")


def extract_archive(path: str | Path, directory: str | Path) -> Path:
    """Safely extract ``path`` into ``directory`` (checked first, then extracted)."""
    path, directory = Path(path), Path(directory)
    if not path.is_file():
        raise ArchiveError(f"archive not found: {path}")
    try:
        with tarfile.open(path, "r:*") as tar:
            check_members(tar, str(path))
            tar.extractall(directory, filter="data")
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        detail = "the file is truncated" if isinstance(error, EOFError) else str(error)
        raise ArchiveError(f"{path}: not a readable model archive ({detail})") from error
    for required in (CONFIG, META, WEIGHTS, VOCABULARY):
        if not (directory / required).exists():
            raise ArchiveError(f"{path}: missing {required}")
    return directory


def load_archive(
    path: str | Path, device: str | torch.device = "cpu",
    overrides: Iterable[str] | Mapping[str, Any] = (),
) -> Archive:
    """Load a model archive offline; plugins recorded in meta.json are imported again.

    ``overrides`` (dotted ``key=value``, as ``-o``) change the archived config before anything
    is built, e.g. ``dataset_reader.tag_scheme=BIOES``.
    """
    with tempfile.TemporaryDirectory() as staging:
        root = extract_archive(path, staging)
        config = apply_overrides(json.loads((root / CONFIG).read_text("utf-8")), overrides)
        meta = json.loads((root / META).read_text("utf-8"))
        import_plugins(meta.get("plugins", []))
        vocab = Vocabulary.load(root / VOCABULARY)
        model, _ = build_and_fill(
            config["model"], Model, context={"vocab": vocab, "archive_resources": root / RESOURCES},
            path=("model",),
        )
        missing, unexpected = load_model(model, str(root / WEIGHTS), strict=False)
        if missing or unexpected:
            raise ArchiveError(
                f"{path}: weights do not match the model (missing {missing[:5]}, "
                f"unexpected {unexpected[:5]})"
            )
    reader_config = config.get("validation_dataset_reader") or config["dataset_reader"]
    reader = build(reader_config, DatasetReader, path=("dataset_reader",))
    model.to(device)
    model.eval()
    return Archive(model=model, config=config, vocab=vocab, meta=meta, reader=reader)
