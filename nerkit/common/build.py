"""Turn a config tree into objects, top-down, by the annotated types of constructor parameters.

**Where a parameter's value comes from** (the first row that applies wins):

====  =================  =================================================================
 #    source             when
====  =================  =================================================================
 1    context            nerkit supplies it (``CONTEXT_KEYS``: ``vocab``, ``model``, ...) or a
                         parent passes it to ``Lazy.construct``; setting it in the config is
                         an error (a ``Lazy`` value may be written only if it agrees). A
                         parameter annotated ``Lazy[...]`` is never context: it is a block
 2    config             the block has the key; the value is built by its annotation (below)
 3    flowing dimension  ``input_dim`` left out, and the component is a member of its
                         parent's ``dimension_flow``: the output dim of the member before it
                         (a given ``input_dim`` is checked against that dim instead)
 4    sibling            the parameter is named like a component parameter of the same parent
                         built before it (the trainer's ``optimizer`` for its ``lr_scheduler``);
                         a parent builds its ``dimension_flow`` members first, then the rest
                         in signature order
 5    default            the constructor's default, written into the filled config; a
                         ``Lazy.of(...)`` default is a block, built as if it were written
 6    (none)             "missing required key"
====  =================  =================================================================

**How a config value is built from the parameter's annotation** (``X | None`` accepts null):

* a class with ``registry_name`` (a Component base), or a type mapped in ``ANNOTATION_KINDS``
  (``torch.optim.Optimizer``): looked up by ``"type"`` in that registry, then built by its
  constructor's parameters; ``list[...]`` and ``dict[str, ...]`` of one build every element;
* ``Lazy[X]``: kept as a block that the parent builds with ``.construct(**values)``;
* a dataclass (``DataLoaderConfig``): the block holds its fields;
* JSON types (``int``, ``float``, ``str``, ``bool``, ``list``, ``dict``): type-checked, passed on;
  a block for any other class is a bug in the component (a ``TypeError``), never a raw dict.

**Renamed keys** keep working: a component's ``upgrade_config`` (by default, its
``deprecated_keys`` renames) rewrites an old block first, with a ``DeprecatedConfigKey`` warning.

**Dimension flow is declared**, never inferred from parameter order: a component class lists in
``dimension_flow`` the parameters through which dimensions flow, in data order. The first member
takes the dim flowing into the parent; a list member is a chain (``compose``'s encoders).

**Shared instances**: a kind whose base sets ``shared_instances`` (lexicons) is built once per
``build`` for equal blocks with the same supplied values; every equal block gets that object.

**Errors**: key, type and registry problems are ``ConfigurationError`` with the config path; a
``ConfigurationError`` a constructor raises without a path gets the block's path. Any other
exception from a component's own code is a bug and propagates unchanged (a traceback).
The filled config writes out every default, so building it again gives the same objects.
"""

from __future__ import annotations

import contextvars
import dataclasses
import inspect
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from nerkit.common.errors import ConfigurationError, did_you_mean, format_path
from nerkit.common.signatures import Parameter, config_parameters
from nerkit.registry import KINDS, get_registry

# Non-Component types whose config blocks are built through a registry (filled in by the
# modules that define them, e.g. torch.optim.Optimizer -> "optimizers").
ANNOTATION_KINDS: dict[type, str] = {}

# Values nerkit supplies to constructors that name them; never set in, or written to, a config.
CONTEXT_KEYS: frozenset[str] = frozenset(
    {"vocab", "model", "archive_resources", "serialization_dir", "num_training_steps",
     "steps_per_epoch", "sentences"}
)

# Context key of a build's shared instances: {(kind, block, supplied values): (object, filled)}
_SHARED = "_shared_instances"

Path = tuple[str | int, ...]
Base = type | str | Callable[..., Any]
T = TypeVar("T")


class Lazy(Generic[T]):
    """A config block built later, by its parent, with values known only then.

    Annotate a parameter ``Lazy[Attention]`` and call ``.construct(query_dim=..., key_dim=...)``
    inside the constructor. The filled config is completed when ``construct`` runs.
    """

    def __init__(
        self, config: Any, base: Base, context: dict[str, Any], path: Path, filled: dict[str, Any]
    ) -> None:
        self._config = config
        self._base = base
        self._context = context
        self._path = path
        self._filled = filled

    @classmethod
    def of(cls, base: Base, config: str | Mapping[str, Any] | None = None) -> Lazy[Any]:
        """A Lazy from Python: ``Lazy.of(ScalarMix, {"do_layer_norm": True})``.

        Also the way to write a ``Lazy`` parameter's default: build treats it as a block
        written in the config (filled, checked, and built by the parent).
        """
        block = dict(config) if isinstance(config, Mapping) else (config or {})
        return cls(block, base, {}, (), {})

    @property
    def config(self) -> dict[str, Any]:
        """The block as written (a bare type name becomes ``{"type": name}``)."""
        return {"type": self._config} if isinstance(self._config, str) else dict(self._config)

    def setting(self, name: str) -> Any:
        """The value ``construct`` will use for ``name``: the block's, else the default."""
        token = _DRY_RUN.set(True)
        try:
            return _check_lazy(self._config, self._base, _dry_context(self._context),
                               self._path).get(name)
        finally:
            _DRY_RUN.reset(token)

    def construct(self, **values: Any) -> T:
        """Build the object; ``values`` are injected like context (an explicit value is checked)."""
        config = self.config
        for key, value in values.items():
            if key in config and config[key] != value:
                raise ConfigurationError(
                    f"{key} is {config[key]} but must be {value} here; leave it out",
                    (*self._path, key),
                )
            config.pop(key, None)
        built, filled = _build_typed(config, self._base, {**self._context, **values},
                                     self._path, None)
        self._filled.clear()
        self._filled.update(filled)
        return built


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
    context.setdefault(_SHARED, {})
    upstream = context.pop("input_dim", None)
    return _build_typed(config, base, context, path, upstream)


def fill(config: Any, base: Base, *, context: Mapping[str, Any] | None = None) -> Any:
    """The filled config of ``config``, built for real so flowing dimensions are written too."""
    return build_and_fill(config, base, context=context)[1]


_DRY_RUN: contextvars.ContextVar[bool] = contextvars.ContextVar("nerkit_dry_run", default=False)
# In a dry run, a Lazy block may leave out the values its parent supplies at construct time.
_LAZY_PARENT_VALUES = frozenset({"query_dim", "key_dim", "input_dim", "num_layers"})
_LAZY_VALUES: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "nerkit_lazy_values", default=frozenset()
)


def check_config(config: Any, base: Base, *, path: Path = ()) -> Any:
    """Validate ``config`` from constructor signatures alone and return its filled config.

    Constructs nothing (no data, no weights, no network), so it is fast and works offline.
    Dimensions that flow from upstream are left out of the result: only a build knows them.
    """
    token = _DRY_RUN.set(True)
    try:
        return _build_typed(config, base, _dry_context({}), path, None)[1]
    finally:
        _DRY_RUN.reset(token)


def _dry_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Context for a dry run: every nerkit-supplied value present (as None unless known)."""
    return {**{key: None for key in CONTEXT_KEYS}, **context}


def _build_typed(
    value: Any, base: Base, context: dict[str, Any], path: Path, upstream: int | None
) -> tuple[Any, Any]:
    if isinstance(base, str):
        return _build_component(value, base, context, path, upstream)
    component_base = _component_base(base)
    if component_base is not None:
        return _build_component(value, component_base, context, path, upstream)
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"expected a config block (a JSON object), got {value!r}", path)
    return _call_with_config(base, dict(value), context, path, upstream)


def _build_component(
    value: Any, base: type | str, context: dict[str, Any], path: Path, upstream: int | None,
) -> tuple[Any, Any]:
    kind = base if isinstance(base, str) else base.registry_name  # type: ignore[attr-defined]
    if isinstance(value, str):
        value = {"type": value}
    if not isinstance(value, Mapping):
        raise ConfigurationError(
            f"expected a {kind} block such as {{\"type\": ...}}, got {value!r}", path
        )
    params = dict(value)
    default_type = None if isinstance(base, str) else getattr(base, "default_type", None)
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
    upgrade = getattr(implementation, "upgrade_config", None)
    if upgrade is not None:
        params = upgrade(params, path)
    shared: dict[Any, tuple[Any, Any]] = context.get(_SHARED, {})
    key = (_shared_key(kind, type_name, params, context)
           if getattr(implementation, "shared_instances", False) else None)
    if key is not None and key in shared:
        return shared[key]
    built, filled = _call_with_config(implementation, params, context, path, upstream)
    result = built, {"type": type_name, **filled}
    if key is not None and not _DRY_RUN.get():
        shared[key] = result
    return result


def _shared_key(
    kind: str, type_name: str, params: Mapping[str, Any], context: Mapping[str, Any]
) -> tuple[str, str, tuple[tuple[str, int], ...]] | None:
    """What makes two blocks of a shared kind the same object: the block and the supplied
    values (by identity); None when the block is not plain JSON (never shared)."""
    try:
        block = json.dumps({"type": type_name, **params}, sort_keys=True)
    except (TypeError, ValueError):
        return None
    supplied = tuple(sorted((k, id(v)) for k, v in context.items() if k in CONTEXT_KEYS))
    return kind, block, supplied


def _call_with_config(
    target: Callable[..., Any], params: dict[str, Any], context: dict[str, Any], path: Path,
    upstream: int | None,
) -> tuple[Any, dict[str, Any]]:
    parameters = {p.name: p for p in config_parameters(target)}
    supplied = {name for name, p in parameters.items() if _is_supplied(p, context)}
    accepted = [name for name in parameters if name not in supplied]
    for key in params:
        if key in supplied or (key not in parameters and key in CONTEXT_KEYS):
            raise ConfigurationError(
                f"{key!r} is supplied by nerkit and cannot be set in the config", (*path, key)
            )
        if key not in accepted:
            raise ConfigurationError(
                f"unknown key {key!r}{did_you_mean(key, accepted)}; "
                f"accepted keys for {_describe(target)}: {', '.join(accepted)}",
                (*path, key),
            )
    flow = _dimension_flow(target, parameters)
    kwargs: dict[str, Any] = {}
    filled: dict[str, Any] = {}
    siblings: dict[str, Any] = {}
    running = upstream
    for name in [*flow, *(n for n in parameters if n not in flow)]:
        parameter = parameters[name]
        in_flow = name in flow
        if name in supplied:
            if name in context:
                kwargs[name] = context[name]
            elif parameter.required:
                raise ConfigurationError(
                    f"{_describe(target)} needs {name!r}, which nerkit supplies only where it "
                    "is known", path,
                )
        elif name in params or isinstance(parameter.default, Lazy):
            value = params[name] if name in params else parameter.default.config
            built, filled[name] = _build_value(
                value, parameter.annotation, {**context, **siblings}, (*path, name),
                running if in_flow else None, chain=in_flow,
            )
            if name == "input_dim" and upstream is not None and built != upstream:
                raise ConfigurationError(
                    f"input_dim is {built} but the upstream component outputs {upstream}; "
                    "leave input_dim out to take it from upstream",
                    (*path, name),
                )
            kwargs[name] = built
            if _builds_components(parameter.annotation):
                siblings[name] = built
            if in_flow and built is not None and name != flow[-1]:
                running = _output_dim(built)
        elif name == "input_dim" and upstream is not None:
            kwargs[name] = filled[name] = upstream
        elif name in siblings:
            kwargs[name] = siblings[name]
        elif not parameter.required:
            filled[name] = _jsonable_default(parameter.default)
        elif not (_DRY_RUN.get() and (name == "input_dim" or name in _LAZY_VALUES.get())):
            raise ConfigurationError(
                f"missing required key {name!r} for {_describe(target)}; "
                f"accepted keys: {', '.join(accepted)}",
                (*path, name),
            )
    filled = {name: filled[name] for name in parameters if name in filled}
    if _DRY_RUN.get():
        return None, filled
    try:
        built_object = target(**kwargs)
    except ConfigurationError as error:
        if error.path:
            raise
        raise ConfigurationError(error.message, path) from error
    return built_object, filled


def _is_supplied(parameter: Parameter, context: Mapping[str, Any]) -> bool:
    """Whether nerkit supplies this parameter (rule 1); a ``Lazy`` slot is always config."""
    if typing.get_origin(_strip_optional(parameter.annotation)) is Lazy:
        return False
    return parameter.name in context or parameter.name in CONTEXT_KEYS


def _dimension_flow(target: Any, parameters: Mapping[str, Parameter]) -> tuple[str, ...]:
    flow = tuple(getattr(target, "dimension_flow", ()))
    unknown = [name for name in flow if name not in parameters]
    if unknown:
        raise TypeError(f"{_describe(target)}.dimension_flow names no parameter {unknown}")
    return flow


def _build_value(
    value: Any, annotation: Any, context: dict[str, Any], path: Path, upstream: int | None,
    chain: bool = False,
) -> tuple[Any, Any]:
    """Build one config value by its annotation; a list in a dimension flow is a chain."""
    inner = _strip_optional(annotation)
    if value is None:
        if inner is annotation and annotation in _PRIMITIVES:
            raise ConfigurationError(f"expected {annotation.__name__}, got null", path)
        return None, None
    if typing.get_origin(inner) is Lazy:
        return _lazy(value, typing.get_args(inner)[0], context, path)
    component_base = _component_base(inner)
    if component_base is not None:
        return _build_component(value, component_base, context, path, upstream)
    if dataclasses.is_dataclass(inner) and isinstance(inner, type):
        if not isinstance(value, Mapping):
            raise ConfigurationError(
                f"expected a {inner.__name__} block (a JSON object), got {value!r}", path
            )
        return _call_with_config(inner, dict(value), context, path, None)
    origin = typing.get_origin(inner)
    arguments = typing.get_args(inner)
    if origin in (list, Sequence, tuple) and arguments and _component_base(arguments[0]):
        return _build_list(value, _component_base(arguments[0]), context, path, upstream, chain)
    if origin in (dict, Mapping) and len(arguments) == 2 and _component_base(arguments[1]):
        if not isinstance(value, Mapping):
            raise ConfigurationError(f"expected a mapping of config blocks, got {value!r}", path)
        element_base = _component_base(arguments[1])
        assert element_base is not None
        built_map, filled_map = {}, {}
        for key, item in value.items():
            built_map[key], filled_map[key] = _build_component(
                item, element_base, context, (*path, key), None
            )
        return built_map, filled_map
    if isinstance(value, Mapping) and inspect.isclass(inner) and inner not in _PRIMITIVES \
            and not issubclass(inner, Mapping) and inner is not object:
        raise TypeError(
            f"{format_path(path)}: a config block for {inner.__qualname__}, which build does not "
            "know how to make: give it a registry_name, map it in ANNOTATION_KINDS, make it a "
            "dataclass, or annotate the parameter dict"
        )
    _check_primitive(value, inner, path)
    if inner is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return value, value


def _lazy(value: Any, target: Any, context: dict[str, Any], path: Path) -> tuple[Lazy, Any]:
    """A Lazy for ``value``; in a dry run the block is checked (and filled) right away."""
    base = _component_base(target) or target
    filled_block = {"type": value} if isinstance(value, str) else dict(value)
    if _DRY_RUN.get():
        filled_block = _check_lazy(value, base, context, path)
    return Lazy(value, base, context, path, filled_block), filled_block


def _check_lazy(value: Any, base: Base, context: dict[str, Any], path: Path) -> Any:
    """The dry-run filled block of a Lazy; the values its parent supplies may be missing."""
    token = _LAZY_VALUES.set(_LAZY_PARENT_VALUES)
    try:
        return _build_typed(value, base, context, path, None)[1]
    finally:
        _LAZY_VALUES.reset(token)


def _build_list(
    value: Any, base: Any, context: dict[str, Any], path: Path, upstream: int | None,
    chain: bool,
) -> tuple[list[Any], list[Any]]:
    """A list of components; in a chain, each item's output dim is the next one's input."""
    if not isinstance(value, list):
        raise ConfigurationError(f"expected a list of config blocks, got {value!r}", path)
    built_list, filled_list = [], []
    running = upstream
    for index, item in enumerate(value):
        built, filled = _build_component(item, base, context, (*path, index), running)
        built_list.append(built)
        filled_list.append(filled)
        if chain and built is not None and index < len(value) - 1:
            running = _output_dim(built)
    return built_list, filled_list


def _output_dim(built: Any) -> int:
    """The output dim of a built flow member (a list: its last item's)."""
    last = built[-1] if isinstance(built, list) else built
    return int(last.get_output_dim())


def _builds_components(annotation: Any) -> bool:
    """Whether values of ``annotation`` are built through a registry (offered to siblings).

    Plain values (a parent's ``dropout``) are not, so a child's own key of that name stays free.
    """
    inner = _strip_optional(annotation)
    if typing.get_origin(inner) is Lazy or _component_base(inner) is not None:
        return True
    return any(_component_base(argument) is not None for argument in typing.get_args(inner))


def _component_base(annotation: Any) -> type | str | None:
    """The registry an annotation's blocks are built through: a class or a kind name."""
    if not inspect.isclass(annotation):
        return None
    if isinstance(getattr(annotation, "registry_name", None), str):
        return annotation
    for cls in annotation.__mro__:
        if cls in ANNOTATION_KINDS:
            return ANNOTATION_KINDS[cls]
    return None


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(arguments) == 1:
            return arguments[0]
    return annotation


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
    if dataclasses.is_dataclass(default) and not isinstance(default, type):
        return dataclasses.asdict(default)
    if isinstance(default, tuple):
        return list(default)
    if default is None or isinstance(default, (bool, int, float, str, list, dict)):
        return default
    return repr(default)


def _describe(target: Callable[..., Any]) -> str:
    return getattr(target, "__qualname__", repr(target))
