"""One catalogue registry per component kind, and the one way to register into them.

Installed packages contribute through entry-point groups named ``nerkit_<kind>``
(for example ``nerkit_seq2seq_encoders``) with no import needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import catalogue

from nerkit.common.errors import ConfigurationError, did_you_mean
from nerkit.common.signatures import config_parameters

T = TypeVar("T")


class registry:  # noqa: N801 - a namespace, named like thinc's and spaCy's
    """Every nerkit registry; attribute ``x`` has entry-point group ``nerkit_x``."""

    dataset_readers = catalogue.create("nerkit", "dataset_readers", entry_points=True)
    token_embedders = catalogue.create("nerkit", "token_embedders", entry_points=True)
    seq2seq_encoders = catalogue.create("nerkit", "seq2seq_encoders", entry_points=True)
    attentions = catalogue.create("nerkit", "attentions", entry_points=True)
    decoders = catalogue.create("nerkit", "decoders", entry_points=True)
    models = catalogue.create("nerkit", "models", entry_points=True)
    metrics = catalogue.create("nerkit", "metrics", entry_points=True)
    optimizers = catalogue.create("nerkit", "optimizers", entry_points=True)
    lr_schedulers = catalogue.create("nerkit", "lr_schedulers", entry_points=True)
    callbacks = catalogue.create("nerkit", "callbacks", entry_points=True)


KINDS: tuple[str, ...] = (
    "dataset_readers",
    "token_embedders",
    "seq2seq_encoders",
    "attentions",
    "decoders",
    "models",
    "metrics",
    "optimizers",
    "lr_schedulers",
    "callbacks",
)


def get_registry(kind: str) -> catalogue.Registry:
    """Return the registry for ``kind``, or raise ConfigurationError listing the kinds."""
    if kind not in KINDS:
        raise ConfigurationError(
            f"unknown component kind {kind!r}{did_you_mean(kind, KINDS)}; kinds: {', '.join(KINDS)}"
        )
    return getattr(registry, kind)


def register(kind: str, name: str, *, exist_ok: bool = False) -> Callable[[T], T]:
    """Decorator registering a class or function as ``kind: name``.

    Refuses a name already taken by another implementation (unless ``exist_ok``) and an
    implementation whose annotations do not resolve, so both fail where the component is
    defined rather than when a config first uses it.
    """
    target = get_registry(kind)

    def decorate(implementation: T) -> T:
        if name in target and not exist_ok:
            existing = target.get(name)
            if existing is not implementation:
                raise ConfigurationError(
                    f"{kind}: the name {name!r} is already registered to "
                    f"{_qualname(existing)}; pick another name or pass exist_ok=True"
                )
        config_parameters(implementation)  # type: ignore[arg-type]
        target.register(name, func=implementation)
        return implementation

    return decorate


def _qualname(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"
