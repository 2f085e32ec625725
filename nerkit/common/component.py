"""The Component mixin: register an implementation by name, look it up, build it from config."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import catalogue

from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError, did_you_mean
from nerkit.registry import get_registry, register

T = TypeVar("T")
C = TypeVar("C", bound="Component")


class Component:
    """Mixed into every abstract base (TokenEmbedder, Decoder, ...) to tie it to one registry.

    A base sets ``registry_name`` once; implementations use ``@Base.register("name")``.
    ``default_type`` lets a config block leave out ``"type"``. ``dimension_flow`` names the
    constructor parameters, in data order, whose components pass their output dim on as the
    next one's ``input_dim`` (``Tagger``: embedder, encoder, decoder); see ``nerkit.common.build``.
    """

    registry_name: ClassVar[str]
    default_type: ClassVar[str | None] = None
    dimension_flow: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def registry(cls) -> catalogue.Registry:
        """The catalogue registry this base's implementations live in."""
        return get_registry(cls.registry_name)

    @classmethod
    def register(cls, name: str, *, exist_ok: bool = False) -> Callable[[T], T]:
        """Class decorator registering an implementation under ``name``; duplicates are refused."""
        return register(cls.registry_name, name, exist_ok=exist_ok)

    @classmethod
    def by_name(cls, name: str) -> Callable[..., Any]:
        """Return the implementation registered as ``name``, or fail listing the choices."""
        registry = cls.registry()
        if name not in registry:
            choices = sorted(registry.get_all())
            raise ConfigurationError(
                f"{name!r} is not a registered {cls.registry_name} name"
                f"{did_you_mean(name, choices)}; registered: {', '.join(choices) or '(none)'}. "
                "Components from your own package come in with --include-package, a "
                ".nerkit_plugins file, or an entry point."
            )
        return registry.get(name)

    @classmethod
    def list_available(cls) -> list[str]:
        """Sorted registered names for this base."""
        return sorted(cls.registry().get_all())

    @classmethod
    def from_config(cls: type[C], config: str | Mapping[str, Any], **context: Any) -> C:
        """Build an instance from a config block, injecting ``context`` values (e.g. ``vocab``)."""
        return build(config, cls, context=context)

