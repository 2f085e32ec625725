"""Optional dependencies: a clear error naming the pip extra instead of an ImportError."""

from __future__ import annotations

import importlib.util

from nerkit.common.errors import NerkitError


def require_extra(extra: str, *modules: str) -> None:
    """Raise NerkitError when any of ``modules`` is missing, naming the extra to install."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise NerkitError(
            f"{', '.join(missing)} not installed: run `pip install 'nerkit[{extra}]'`"
        )
