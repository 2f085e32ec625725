import catalogue
import pytest

from nerkit.common.errors import ConfigurationError
from nerkit.registry import KINDS, get_registry, registry


def test_every_kind_has_its_own_registry():
    registries = [get_registry(kind) for kind in KINDS]
    assert len({id(r) for r in registries}) == len(KINDS)
    for kind, found in zip(KINDS, registries):
        assert isinstance(found, catalogue.Registry)
        assert found is getattr(registry, kind)
        assert found.namespace == ("nerkit", kind)


def test_registries_use_entry_point_groups():
    for kind in KINDS:
        found = get_registry(kind)
        assert found.entry_points
        assert found.entry_point_namespace == f"nerkit_{kind}"


def test_namespace_attributes_are_exactly_the_kinds():
    attributes = {name for name, value in vars(registry).items()
                  if isinstance(value, catalogue.Registry)}
    assert attributes == set(KINDS)


def test_unknown_kind_lists_the_kinds_with_a_suggestion():
    with pytest.raises(ConfigurationError) as caught:
        get_registry("decoder")
    message = str(caught.value)
    assert "unknown component kind 'decoder'" in message
    assert "did you mean 'decoders'?" in message
    for kind in KINDS:
        assert kind in message


def test_builtins_register_in_every_component_kind():
    # tests/conftest.py imports the built-in components.
    for kind in KINDS:
        assert get_registry(kind).get_all(), f"no built-in {kind}"


def test_register_refuses_a_taken_name_for_every_kind(isolated_registry):
    from nerkit.registry import register

    for kind in ("optimizers", "lr_schedulers", "decoders"):
        taken = sorted(get_registry(kind).get_all())[0]

        def other() -> None:
            """A different implementation."""

        with pytest.raises(ConfigurationError, match=f"'{taken}' is already registered"):
            register(kind, taken)(other)


def test_nothing_registers_around_the_checking_path():
    """Every registration goes through ``nerkit.registry.register`` (duplicates refused)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "nerkit"
    bypass = re.compile(r"registry\.\w+\.register\(|\.register\(\s*\w+\s*,\s*func=")
    offenders = [str(path) for path in root.rglob("*.py")
                 if path.name != "registry.py" and bypass.search(path.read_text("utf-8"))]
    assert not offenders
