"""``nerkit list [KIND]``: every registered component with a one-line description."""

from __future__ import annotations

import argparse
import inspect

from nerkit.commands.common import add_plugin_arguments
from nerkit.common.plugins import import_plugins
from nerkit.registry import KINDS, get_registry


def describe(implementation: object) -> str:
    """The first line of an implementation's docstring."""
    doc = inspect.getdoc(implementation) or ""
    return doc.splitlines()[0] if doc else ""


def listing(kinds: list[str]) -> str:
    lines = []
    for kind in kinds:
        registered = get_registry(kind).get_all()
        lines.append(f"{kind}:")
        width = max((len(n) for n in registered), default=0)
        for name in sorted(registered):
            lines.append(f"  {name.ljust(width)}  {describe(registered[name])}")
    return "\n".join(lines)


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "list", help="list registered components",
        description="List registered components, with a one-line description each.",
    )
    parser.add_argument("kind", nargs="?", choices=KINDS, help="only this kind")
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    print(listing([args.kind] if args.kind else list(KINDS)))
    return 0
