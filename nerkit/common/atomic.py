"""Write files all at once: to a temporary name in the same folder, renamed over the target.

A reader, or a command that fails half-way, never sees a partial file; an existing file keeps
its old content until the new one is complete. Every file nerkit writes goes through here.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path next to ``path``, renamed onto it if the block succeeds, else removed.

    For writers that want a file name (tarfile, safetensors, matplotlib).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, _default_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = None, errors: str | None = None) -> Iterator[IO[Any]]:
    """``open(path, mode)`` on a temporary file that replaces ``path`` when the block ends."""
    if "b" in mode:
        encoding = None
    with atomic_path(path) as temporary:
        with open(temporary, mode, encoding=encoding, newline=newline,
                  errors=errors) as handle:
            yield handle


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_open(path) as handle:
        handle.write(text)


def write_json_atomic(path: str | Path, data: Any, ensure_ascii: bool = False) -> None:
    """Write ``data`` as indented JSON to ``path`` atomically."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=ensure_ascii) + "\n")


def _default_mode() -> int:
    """The mode ``open`` would give a new file (mkstemp's files are private, 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
