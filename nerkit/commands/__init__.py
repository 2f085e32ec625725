"""The ``nerkit`` command line. Each module here with ``add_subparser`` is one verb.

A verb module defines ``add_subparser(subparsers) -> argparse.ArgumentParser`` and sets
``func`` on its parser via ``set_defaults(func=...)``; ``func(args)`` returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from nerkit.common.errors import NerkitError
from nerkit.version import VERSION


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nerkit", description="Declarative Chinese named entity recognition."
    )
    parser.add_argument("--version", action="version", version=f"nerkit {VERSION}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        add_subparser = getattr(module, "add_subparser", None)
        if add_subparser is not None:
            add_subparser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        sys.exit(2)
    try:
        code = args.func(args)
    except NerkitError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    sys.exit(code or 0)
