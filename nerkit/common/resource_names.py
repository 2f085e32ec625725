"""Names of the files components write into a model archive's ``resources`` directory.

Several components of one type can sit in one model (two ``bigram`` embedders in a ``concat``,
two lexicons); each names its file by a digest of the options that decide the file's content,
so instances that would write different files never share a name, and a loaded component finds
its own file again from its (archived) config.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def resource_name(stem: str, suffix: str, described: dict[str, Any]) -> str:
    """``stem-<12 hex digits>suffix``; the digits digest ``described`` (JSON, sorted keys)."""
    text = json.dumps(described, sort_keys=True, ensure_ascii=False)
    return f"{stem}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}{suffix}"


def find_resource(directory: Path, name: str, legacy_name: str) -> Path:
    """``directory / name``, or the fixed ``legacy_name`` of archives written before names
    carried a digest."""
    path = Path(directory) / name
    return path if path.exists() else Path(directory) / legacy_name
