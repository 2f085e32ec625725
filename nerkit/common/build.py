"""Turn a config tree into objects, top-down, by the annotated types of constructor parameters.

One rule does the work: a parameter annotated with a Component base (or ``list``/``dict`` of one,
or a type mapped to a registry in ``ANNOTATION_KINDS``) gets its config value built through that
base's registry; every other value is passed through as JSON. Along the way:

* unknown and missing keys fail with the config path, a suggestion and the accepted keys;
* context values (``vocab``, ``model``, ...) are injected into constructors that name them;
* dimensions flow: a parameter called ``input_dim`` that the block leaves out takes the output
  dim of the previous sibling component (the embedder for the encoder, the encoder for the
  decoder, the previous encoder inside ``compose``); a given value is checked against it;
* the returned filled config writes out every default, so it rebuilds the same object.
"""

from __future__ import annotations

import contextvars
import inspect
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from nerkit.common.component import Component
from nerkit.common.errors import ConfigurationError, did_you_mean
from nerkit.registry import KINDS, get_registry

# Non-Component types whose config blocks are built through a registry (filled in by the
# modules that define them, e.g. torch.optim.Optimizer -> "optimizers").
ANNOTATION_KINDS: dict[type, str] = {}

# Values nerkit supplies to constructors that name them; never set in, or written to, a config.
CONTEXT_KEYS: frozenset[str] = frozenset(
    {"vocab", "model", "archive_resources", "serialization_dir", "num_training_steps",
     "steps_per_epoch", "sentences"}
)

Path = tuple[str | int, ...]
T = TypeVar("T")


class Lazy(Generic[T]):
    """A config block built later, by its parent, with values known only then.

    Annotate a parameter ``Lazy[Attention]`` and call ``.construct(query_dim=..., key_dim=...)``
    inside the constructor. The filled config is completed when ``construct`` runs.
    """

    def __init__(
        self, config: Any, base: Any, context: dict[str, Any], path: Path, filled: dict[str, Any]
    ) -> None:
        self._config = config
        self._base = base
        self._context = context
        self._path = path
        self._filled = filled

    def construct(self, **values: Any) -> T:
        """Build the object; ``values`` are injected like context (an explicit value is checked)."""
        config = {"type": self._config} if isinstance(self._config, str) else dict(self._config)
        for key, value in values.items():
            if key in config and config[key] != value:
                raise ConfigurationError(
                    f"{key} is {config[key]} but must be {value} here; leave it out",
                    (*self._path, key),
                )
            config.pop(key, None)
        built, filled, _ = _build_component(
            config, self._base, {**self._context, **values}, self._path, None
        )
        self._filled.clear()
        self._filled.update(filled)
        return built
Base = type[Component] | str | Callable[..., Any]


def build(
    config: Any, base: Base, *, context: Mapping[str, Any] | None = None, path: Path = ()
) -> Any:
    """Build ``config`` as an instance of ``base`` (a Component base, registry kind or class)."""
    return build_and_fill(config, base, context=context, path=path)[0]


def build_and_fill(
    config: Any, base: Base, *, context: Mapping[str, Any] | None = None, path: Path = ()
) -> tuple[Any, Any]:
    """Like ``build`` but also return the filled config (every default written out)."""
    context = dict(context or {})
    upstream = context.pop("input_dim", None)
    built, filled, _ = _build_typed(config, base, context, path, upstream)
    return built, filled


_DRY_RUN: contextvars.ContextVar[bool] = contextvars.ContextVar("nerkit_dry_run", default=False)
# In a dry run, a Lazy block may leave out the values its parent supplies at construct time.
_LAZY_PARENT_VALUES = frozenset({"query_dim", "key_dim", "input_dim"})
_LAZY_VALUES: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "nerkit_lazy_values", default=frozenset()
)


def check_config(config: Any, base: Base, *, path: Path = ()) -> None:
    """Validate keys, types and registered names of ``config`` without constructing anything.

    Fast (no data, no weights): used before training starts so that a typo fails at once.
    Values that need construction (flowing dimensions, Lazy blocks' parent dims) are checked
    later by the real build.
    """
    token = _DRY_RUN.set(True)
    try:
        context = {key: None for key in CONTEXT_KEYS}
        _build_typed(config, base, context, path, None)
    finally:
        _DRY_RUN.reset(token)


def fill(config: Any, base: Base, *, context: Mapping[str, Any] | None = None) -> Any:
    """The filled config of ``config``; builds the objects to learn flowing dimensions."""
    return build_and_fill(config, base, context=context)[1]


def _build_typed(
    value: Any, base: Base, context: dict[str, Any], path: Path, upstream: int | None
) -> tuple[Any, Any, int | None]:
    if isinstance(base, str) or (inspect.isclass(base) and issubclass(base, Component)):
        return _build_component(value, base, context, path, upstream)
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"expected a config block (a JSON object), got {value!r}", path)
    return _call_with_config(base, dict(value), context, path, upstream)


def _build_component(
    value: Any, base: type[Component] | str, context: dict[str, Any], path: Path,
    upstream: int | None,
) -> tuple[Any, Any, int | None]:
    kind = base if isinstance(base, str) else base.registry_name
    if isinstance(value, str):
        value = {"type": value}
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"expected a {kind} block such as {{\"type\": ...}}, got {value!r}", path
        )
    params = dict(value)
    default_type = None if isinstance(base, str) else base.default_type
    type_name = params.pop("type", default_type)
    registry = get_registry(kind)
    if type_name is None:
        raise ConfigurationError(
            f"missing \"type\"; registered {kind}: {', '.join(sorted(registry.get_all()))}", path
        )
    if not isinstance(type_name, str):
        raise ConfigurationError(f"\"type\" must be a string, got {type_name!r}", path)
    lookup_name = type_name
    if ":" in type_name:
        qualified_kind, lookup_name = type_name.split(":", 1)
        if qualified_kind not in KINDS:
            raise ConfigurationError(
                f"unknown kind {qualified_kind!r} in type {type_name!r}"
                f"{did_you_mean(qualified_kind, KINDS)}; kinds: {', '.join(KINDS)}",
                (*path, "type"),
            )
        registry = get_registry(qualified_kind)
        kind = qualified_kind
    if lookup_name not in registry:
        choices = sorted(registry.get_all())
        raise ConfigurationError(
            f"{lookup_name!r} is not a registered {kind} name{did_you_mean(lookup_name, choices)}; "
            f"registered: {', '.join(choices) or '(none)'}",
            (*path, "type"),
        )
    implementation = registry.get(lookup_name)
    built, filled, out_dim = _call_with_config(implementation, params, context, path, upstream)
    return built, {"type": type_name, **filled}, out_dim


def _signature_and_hints(target: Callable[..., Any]) -> tuple[inspect.Signature, dict[str, Any]]:
    function = target.__init__ if inspect.isclass(target) else target  # type: ignore[misc]
    signature = inspect.signature(target)
    try:
        hints = typing.get_type_hints(function)
    except Exception:  # unresolvable forward references: fall back to raw annotations
        hints = {name: p.annotation for name, p in signature.parameters.items()}
    return signature, hints


def _call_with_config(
    target: Callable[..., Any], params: dict[str, Any], context: dict[str, Any], path: Path,
    upstream: int | None,
) -> tuple[Any, dict[str, Any], int | None]:
    signature, hints = _signature_and_hints(target)
    accepted = [
        name for name, p in signature.parameters.items()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and name not in context and name not in CONTEXT_KEYS
    ]
    for key in params:
        if key in context or key in CONTEXT_KEYS:
            raise ConfigurationError(
                f"{key!r} is supplied by nerkit and cannot be set in the config", (*path, key)
            )
        if key not in accepted:
            raise ConfigurationError(
                f"unknown key {key!r}{did_you_mean(key, accepted)}; "
                f"accepted keys for {_describe(target)}: {', '.join(accepted)}",
                (*path, key),
            )
    kwargs: dict[str, Any] = {}
    filled: dict[str, Any] = {}
    siblings: dict[str, Any] = {}
    running = upstream
    for name, parameter in signature.parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        annotation = hints.get(name, parameter.annotation)
        if name in params:
            child_context = {**context, **siblings}
            built, filled_value, out_dim = _build_value(
                params[name], annotation, child_context, (*path, name), running
            )
            if name == "input_dim" and upstream is not None and built != upstream:
                raise ConfigurationError(
                    f"input_dim is {built} but the upstream component outputs {upstream}; "
                    "leave input_dim out to take it from upstream",
                    (*path, name),
                )
            kwargs[name] = built
            filled[name] = filled_value
            if _builds_components(annotation):  # e.g. the optimizer for the lr_scheduler
                siblings[name] = built
            if out_dim is not None:
                running = out_dim
        elif name == "input_dim" and upstream is not None:
            kwargs[name] = filled[name] = upstream
        elif name in context:
            kwargs[name] = context[name]
        elif name in siblings:
            kwargs[name] = siblings[name]
        elif name in CONTEXT_KEYS and parameter.default is not parameter.empty:
            continue
        elif parameter.default is not parameter.empty:
            filled[name] = _jsonable_default(parameter.default)
        elif _DRY_RUN.get() and (name == "input_dim" or name in _LAZY_VALUES.get()):
            continue
        else:
            raise ConfigurationError(
                f"missing required key {name!r} for {_describe(target)}; "
                f"accepted keys: {', '.join(accepted)}",
                (*path, name),
            )
    if _DRY_RUN.get():
        return None, filled, None
    try:
        built_object = target(**kwargs)
    except ConfigurationError as error:
        if error.path:
            raise
        raise ConfigurationError(error.message, path) from error
    except (TypeError, ValueError) as error:
        raise ConfigurationError(f"{_describe(target)}: {error}", path) from error
    return built_object, filled, _output_dim(built_object)


def _build_value(
    value: Any, annotation: Any, context: dict[str, Any], path: Path, upstream: int | None
) -> tuple[Any, Any, int | None]:
    inner = _strip_optional(annotation)
    if value is None:
        if inner is annotation and annotation in _PRIMITIVES:
            raise ConfigurationError(f"expected {annotation.__name__}, got null", path)
        return None, None, None
    if typing.get_origin(inner) is Lazy:
        lazy_base = _component_base(typing.get_args(inner)[0])
        filled_block = {"type": value} if isinstance(value, str) else dict(value)
        if _DRY_RUN.get():
            token = _LAZY_VALUES.set(_LAZY_PARENT_VALUES)
            try:
                _build_component(value, lazy_base, context, path, None)
            finally:
                _LAZY_VALUES.reset(token)
        return Lazy(value, lazy_base, context, path, filled_block), filled_block, None
    component_base = _component_base(inner)
    if component_base is not None:
        return _build_component(value, component_base, context, path, upstream)
    origin = typing.get_origin(inner)
    arguments = typing.get_args(inner)
    if origin in (list, Sequence, tuple) and arguments and _component_base(arguments[0]):
        if not isinstance(value, list):
            raise ConfigurationError(f"expected a list of config blocks, got {value!r}", path)
        element_base = _component_base(arguments[0])
        assert element_base is not None
        built_list, filled_list = [], []
        running = upstream
        for index, item in enumerate(value):
            built, filled, out_dim = _build_component(
                item, element_base, context, (*path, index), running
            )
            built_list.append(built)
            filled_list.append(filled)
            running = out_dim if out_dim is not None else running
        return built_list, filled_list, running
    if origin in (dict, Mapping) and len(arguments) == 2 and _component_base(arguments[1]):
        if not isinstance(value, Mapping):
            raise ConfigurationError(f"expected a mapping of config blocks, got {value!r}", path)
        element_base = _component_base(arguments[1])
        assert element_base is not None
        built_map, filled_map = {}, {}
        for key, item in value.items():
            built_map[key], filled_map[key], _ = _build_component(
                item, element_base, context, (*path, key), None
            )
        return built_map, filled_map, None
    _check_primitive(value, inner, path)
    if inner is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return value, value, None


def _builds_components(annotation: Any) -> bool:
    """Whether values of ``annotation`` are built through a registry (offered to siblings).

    Plain values (a parent's ``dropout``) are not, so a child's own key of that name stays free.
    """
    inner = _strip_optional(annotation)
    if typing.get_origin(inner) is Lazy or _component_base(inner) is not None:
        return True
    return any(_component_base(argument) is not None for argument in typing.get_args(inner))


def _component_base(annotation: Any) -> type[Component] | str | None:
    if inspect.isclass(annotation):
        if issubclass(annotation, Component):
            return annotation
        for cls in annotation.__mro__:
            if cls in ANNOTATION_KINDS:
                return ANNOTATION_KINDS[cls]
    return None


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, _union_type()):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(arguments) == 1:
            return arguments[0]
    return annotation


def _union_type() -> Any:
    import types

    return getattr(types, "UnionType", typing.Union)


_PRIMITIVES: dict[Any, tuple[type, ...]] = {
    int: (int,), float: (int, float), str: (str,), bool: (bool,), list: (list,), dict: (dict,),
}


def _check_primitive(value: Any, annotation: Any, path: Path) -> None:
    expected = _PRIMITIVES.get(typing.get_origin(annotation) or annotation)
    if expected is None:
        return
    wrong_bool = isinstance(value, bool) and annotation in (int, float)
    if wrong_bool or not isinstance(value, expected):
        name = getattr(annotation, "__name__", str(annotation))
        raise ConfigurationError(f"expected {name}, got {value!r}", path)


def _jsonable_default(default: Any) -> Any:
    if isinstance(default, tuple):
        return list(default)
    if default is None or isinstance(default, (bool, int, float, str, list, dict)):
        return default
    return repr(default)


def _output_dim(built: Any) -> int | None:
    get_output_dim = getattr(built, "get_output_dim", None)
    if callable(get_output_dim):
        try:
            return int(get_output_dim())
        except (NotImplementedError, TypeError):
            return None
    return None


def _describe(target: Callable[..., Any]) -> str:
    return getattr(target, "__qualname__", repr(target))
