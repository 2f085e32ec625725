"""The config-facing parameters of a constructor: names, resolved annotations, defaults.

Shared by registration (an annotation that cannot be resolved is refused there, when the
component is defined) and by ``build`` (which reads the same parameters to build a block).
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nerkit.common.errors import ConfigurationError


@dataclass(frozen=True)
class Parameter:
    """One keyword a config block may set: its name, resolved annotation and default."""

    name: str
    annotation: Any
    default: Any

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty


def config_parameters(target: Callable[..., Any]) -> tuple[Parameter, ...]:
    """The keyword parameters of ``target`` (a class or function), in signature order.

    A class whose ``__init__`` takes ``**kwargs`` also accepts its base classes' parameters,
    so a subclass passes ``max_sentences`` and friends through without repeating them.
    Raises ConfigurationError naming the annotation that does not resolve.
    """
    return _config_parameters(target)


@functools.cache
def _config_parameters(target: Callable[..., Any]) -> tuple[Parameter, ...]:
    functions = _init_chain(target) if inspect.isclass(target) else [target]
    found: dict[str, Parameter] = {}
    for function in functions:
        hints = resolved_hints(function, owner=target)
        signature = inspect.signature(function)
        for name, parameter in signature.parameters.items():
            if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL,
                                                    parameter.VAR_KEYWORD):
                continue
            if name not in found:
                annotation = hints.get(name, parameter.annotation)
                found[name] = Parameter(name, annotation, parameter.default)
    return tuple(found.values())


def _init_chain(cls: type) -> list[Callable[..., Any]]:
    """``cls.__init__``, then each base ``__init__`` it reaches through ``**kwargs``."""
    chain: list[Callable[..., Any]] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        chain.append(init)
        takes_kwargs = any(p.kind is p.VAR_KEYWORD
                           for p in inspect.signature(init).parameters.values())
        if not takes_kwargs:
            break
    return chain


def resolved_hints(function: Callable[..., Any], owner: Any = None) -> dict[str, Any]:
    """``typing.get_type_hints`` of ``function``, or a ConfigurationError naming the culprit."""
    try:
        return typing.get_type_hints(function)
    except Exception as error:  # NameError, TypeError, SyntaxError from a string annotation
        where = getattr(function, "__qualname__", repr(function))
        if owner is not None and owner is not function:
            where = f"{getattr(owner, '__qualname__', owner)} ({where})"
        raise ConfigurationError(
            f"{where}: cannot resolve the annotations ({type(error).__name__}: {error}); "
            "import every annotated type at module level"
        ) from error
