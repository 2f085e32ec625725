"""Import nerkit's own components and the user's: --include-package, .nerkit_plugins, archives."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from collections.abc import Iterable
from pathlib import Path

from nerkit.common.errors import ConfigurationError

logger = logging.getLogger(__name__)

BUILTIN_PACKAGES = (
    "nerkit.data.dataset_readers",
    "nerkit.modules",
    "nerkit.models",
    "nerkit.metrics",
    "nerkit.training",
)
PLUGINS_FILE = ".nerkit_plugins"

_imported_user_modules: list[str] = []


def import_module_and_submodules(name: str) -> None:
    """Import ``name`` and every module below it, so that their registrations run."""
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        raise ConfigurationError(
            f"cannot import plugin package {name!r}: {error}. Is it installed or on PYTHONPATH?"
        ) from error
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=f"{name}."):
        importlib.import_module(info.name)


def import_builtins() -> None:
    """Import every built-in component so its registration runs."""
    for name in BUILTIN_PACKAGES:
        import_module_and_submodules(name)


def plugins_from_file(directory: Path | None = None) -> list[str]:
    """Module names listed one per line in ``.nerkit_plugins`` (``#`` starts a comment)."""
    path = (directory or Path.cwd()) / PLUGINS_FILE
    if not path.is_file():
        return []
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
    return names


def import_plugins(include_packages: Iterable[str] = ()) -> list[str]:
    """Import built-ins, then ``.nerkit_plugins`` modules, then ``include_packages``.

    Returns every user module imported so far in this process, which the archive records so that
    loading it re-imports them.
    """
    import_builtins()
    for name in [*plugins_from_file(), *include_packages]:
        if name not in _imported_user_modules:
            import_module_and_submodules(name)
            _imported_user_modules.append(name)
            logger.info("imported plugin package %s", name)
    return list(_imported_user_modules)
