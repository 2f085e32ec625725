"""What ``GET /metadata`` reports about the served model, read from the archive's JSON files."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

from nerkit.archive import ARCHIVE_NAME, CONFIG, META, check_members
from nerkit.common.errors import ArchiveError, ConfigurationError
from nerkit.export.onnx_export import file_sha256
from nerkit.version import VERSION


def model_metadata(
    path: str | Path, runtime: str, labels: list[str], scheme: str
) -> dict[str, Any]:
    """Labels, tag scheme, a config summary, versions and the archive's SHA-256.

    ``path`` is a ``model.tar.gz`` or an ONNX export directory (which holds one).
    """
    path = Path(path)
    archive = path / ARCHIVE_NAME if path.is_dir() else path
    config, meta = _read_json_members(archive, CONFIG, META)
    model = config.get("model", {})
    return {
        "labels": labels,
        "entity_types": sorted({label[2:] for label in labels if label != "O"}),
        "tag_scheme": scheme,
        "config": {
            "model": model.get("type", "tagger"),
            "embedder": (model.get("embedder") or {}).get("type"),
            "encoder": (model.get("encoder") or {}).get("type"),
            "decoder": (model.get("decoder") or {}).get("type", "softmax"),
            "dataset_reader": (config.get("dataset_reader") or {}).get("type"),
        },
        "metrics": meta.get("metrics", {}),
        "runtime": runtime,
        "nerkit_version": VERSION,
        "trained_with_nerkit": meta.get("nerkit_version"),
        "archive": archive.name,
        "archive_sha256": file_sha256(archive),
    }


def gives_n_best(predictor: Any) -> bool:
    """Whether the served model gives n-best lists: tried on a one-character text, so that a
    plugin decoder with its own ``n_best`` counts as well as the crf."""
    try:
        predictor.predict_batch(["。"], n_best=1)
    except ConfigurationError:
        return False
    return True


def _read_json_members(archive: Path, *names: str) -> list[dict[str, Any]]:
    """Parse JSON members of the (already safely loaded) archive without extracting it."""
    with tarfile.open(archive, "r:*") as tar:
        check_members(tar, str(archive))
        values = []
        for name in names:
            handle = tar.extractfile(name)
            if handle is None:
                raise ArchiveError(f"{archive}: missing {name}")
            values.append(json.loads(handle.read().decode("utf-8")))
    return values
