"""The Component mixin: register an implementation by name, look it up, build it from config."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

import catalogue

from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError, DeprecatedConfigKey, did_you_mean, format_path
from nerkit.registry import get_registry, register

T = TypeVar("T")
C = TypeVar("C", bound="Component")


class Component:
    """Mixed into every abstract base (TokenEmbedder, Decoder, ...) to tie it to one registry.

    A base sets ``registry_name`` once; implementations use ``@Base.register("name")``.
    ``default_type`` lets a config block leave out ``"type"``. ``dimension_flow`` names the
    constructor parameters, in data order, whose components pass their output dim on as the
    next one's ``input_dim`` (``Tagger``: embedder, encoder, decoder); see ``nerkit.common.build``.
    ``shared_instances``: equal blocks of this kind in one build give one object (a lexicon
    read by two embedders is loaded and matched once).
    """

    registry_name: ClassVar[str]
    default_type: ClassVar[str | None] = None
    shared_instances: ClassVar[bool] = False
    dimension_flow: ClassVar[tuple[str, ...]] = ()
    deprecated_keys: ClassVar[Mapping[str, str]] = {}

    @classmethod
    def upgrade_config(
        cls, block: dict[str, Any], path: Sequence[str | int] = ()
    ) -> dict[str, Any]:
        """Rewrite renamed keys of a config block (``deprecated_keys``: old -> new), with a warning.

        Override (calling this) where an old key's value changes shape too.
        """
        block = dict(block)
        for old, new in cls.deprecated_keys.items():
            if old in block:
                if new in block:
                    raise ConfigurationError(f"{old!r} is the old name of {new!r}; give only "
                                             f"{new!r}", [*path, old])
                warn_renamed(old, new, path)
                block[new] = block.pop(old)
        return block

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



def warn_renamed(old: str, new: str, path: Sequence[str | int] = ()) -> None:
    """Warn that config key ``old`` is now ``new`` (the config still works)."""
    where = format_path([*path, old])
    warnings.warn(f"{where}: {old!r} is deprecated; write {new!r} instead", DeprecatedConfigKey,
                  stacklevel=3)
