"""Load an experiment config: Jsonnet with explicit inputs only, then dotted overrides.

Jsonnet's ``import`` can read any file the process can read, so configs are trusted input.
The process environment is deliberately *not* forwarded: every input is named on the command
line (``--arg`` for top-level arguments, ``-e`` for ``std.extVar``), so a run is reproducible
from its command.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from nerkit.common.errors import ConfigurationError, did_you_mean

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "training_configs" / "common"


def library_paths() -> list[str]:
    """Jsonnet ``import`` searches the checkout's ``training_configs/common``, then the config's
    own ``common/`` folder and directory (so copied configs work with an installed nerkit)."""
    return [str(LIBRARY_DIR)] if LIBRARY_DIR.is_dir() else []


def load_config(
    path: str | Path,
    *,
    ext_vars: Mapping[str, str] | None = None,
    tla_vars: Mapping[str, Any] | None = None,
    overrides: Iterable[str] | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Evaluate a Jsonnet/JSON file and apply overrides.

    Args:
        path: The config file.
        ext_vars: Values for ``std.extVar`` (strings).
        tla_vars: Top-level function arguments; numbers and booleans keep their JSON type.
        overrides: ``"a.b.c=value"`` strings (value parsed as JSON when it parses) or a
            mapping of dotted paths to values.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigurationError(f"config file not found: {path}")
    try:
        import _jsonnet
    except ImportError as error:  # pragma: no cover - jsonnet is a hard dependency
        raise ConfigurationError("the jsonnet package is required to read configs") from error
    tla_strings, tla_codes = _split_tla(tla_vars or {})
    try:
        text = _jsonnet.evaluate_file(
            str(path),
            ext_vars=dict(ext_vars or {}),
            tla_vars=tla_strings,
            tla_codes=tla_codes,
            jpathdir=library_paths() + [str(path.parent / "common"), str(path.parent)],
        )
    except RuntimeError as error:
        raise ConfigurationError(f"{path}: jsonnet error: {error}".rstrip()) from error
    config = json.loads(text)
    if not isinstance(config, dict):
        raise ConfigurationError(f"{path}: the config must evaluate to a JSON object")
    return apply_overrides(config, overrides or {})


def _split_tla(tla_vars: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    strings: dict[str, str] = {}
    codes: dict[str, str] = {}
    for key, value in tla_vars.items():
        if isinstance(value, str):
            parsed = _parse_scalar(value)
            if isinstance(parsed, str):
                strings[key] = value
            else:
                codes[key] = json.dumps(parsed)
        else:
            codes[key] = json.dumps(value)
    return strings, codes


def _parse_scalar(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_assignments(items: Iterable[str], flag: str) -> dict[str, str]:
    """Split ``KEY=VALUE`` command-line items into a dict, naming the flag on a malformed one."""
    result: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ConfigurationError(f"{flag} expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        result[key.strip()] = value
    return result


def apply_overrides(
    config: dict[str, Any], overrides: Iterable[str] | Mapping[str, Any]
) -> dict[str, Any]:
    """Return a copy of ``config`` with dotted-path overrides applied.

    The parent of each overridden key must exist; whether the leaf is a valid key is checked
    when the config is built, so a misspelt leaf still fails with a suggestion.
    """
    if not isinstance(overrides, Mapping):
        overrides = {k: _parse_scalar(v) for k, v in parse_assignments(overrides, "-o").items()}
    result = copy.deepcopy(config)
    for dotted, value in overrides.items():
        keys = dotted.split(".")
        node: Any = result
        for depth, key in enumerate(keys[:-1]):
            node = _child(node, key, keys[: depth + 1])
        last = keys[-1]
        if isinstance(node, list):
            node[_index(last, node, keys)] = value
        elif isinstance(node, dict):
            node[last] = value
        else:
            raise ConfigurationError("cannot override inside a non-object value", keys)
    return result


def _child(node: Any, key: str, path: list[str]) -> Any:
    if isinstance(node, dict):
        if key not in node:
            raise ConfigurationError(
                f"override path does not exist{did_you_mean(key, node)}; keys here: "
                f"{', '.join(map(str, node))}",
                path,
            )
        return node[key]
    if isinstance(node, list):
        return node[_index(key, node, path)]
    raise ConfigurationError("cannot override inside a non-object value", path)


def _index(key: str, node: list[Any], path: list[str]) -> int:
    if not key.isdigit() or int(key) >= len(node):
        raise ConfigurationError(f"expected a list index below {len(node)}, got {key!r}", path)
    return int(key)
