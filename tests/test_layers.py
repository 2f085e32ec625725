"""The import graph: each package imports only from its own layer or the ones below, no cycles.

Layers, bottom to top (docs/architecture.md): common <- data <- modules <- models <- training
<- commands <- package (``nerkit/__init__.py``, the public facade). Every import counts,
including those inside functions, so a cycle cannot hide in a function body. A new package
joins by being listed in ``LAYERS``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nerkit"

# Layer of each part of nerkit, lowest first; a module's layer is that of its longest listed
# prefix, so one module can sit below the rest of its package.
LAYERS: dict[str, tuple[str, ...]] = {
    "common": ("nerkit.common", "nerkit.registry", "nerkit.version"),
    # pretrain.corpus reads raw text for pretraining and lexicon building: data-layer code
    "data": ("nerkit.data", "nerkit.lexicon", "nerkit.pretrain.corpus"),
    "modules": ("nerkit.modules", "nerkit.metrics"),
    "models": ("nerkit.models", "nerkit.archive", "nerkit.predictor"),
    "training": ("nerkit.training", "nerkit.pretrain", "nerkit.testing", "nerkit.reports",
                 "nerkit.serving", "nerkit.export"),
    "commands": ("nerkit.commands", "nerkit.__main__"),
    # the package's own __init__ is the public facade (``from nerkit import Predictor``)
    "package": ("nerkit",),
}
ORDER = list(LAYERS)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> str:
    """The layer of the longest listed prefix of ``module``."""
    best, found = "", None
    for layer, prefixes in LAYERS.items():
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > len(best):
                best, found = prefix, layer
    if found is None or (best == "nerkit" and module != "nerkit"):
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS in {__file__}")
    return found


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The nerkit modules ``module`` imports anywhere in its file."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {name for name in found if name in known and name != module}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_every_module_has_a_layer(graph):
    for module in graph:
        layer_of(module)


def test_no_module_imports_from_a_higher_layer(graph):
    upward = [
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in graph.items() for target in targets
        if ORDER.index(layer_of(target)) > ORDER.index(layer_of(module))
    ]
    assert not upward, "\n".join(upward)


def test_the_import_graph_has_no_cycles(graph):
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_only_the_command_line_imports_commands(graph):
    outside = [module for module, targets in graph.items()
               if layer_of(module) != "commands"
               and any(t == "nerkit.commands" or t.startswith("nerkit.commands.") for t in targets)]
    assert not outside, outside


def test_the_layer_checks_see_an_upward_import(tmp_path):
    """The walker itself: a function-level import is found like a top-level one."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from nerkit.training.trainer import Trainer\n", "utf-8")
    known = {"nerkit.training.trainer", "nerkit.data.probe"}
    assert imports_of("nerkit.data.probe", source, known) == {"nerkit.training.trainer"}
