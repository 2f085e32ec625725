"""The ``nerkit`` command line. Each module here with ``add_subparser`` is one verb.

A verb module defines ``add_subparser(subparsers) -> argparse.ArgumentParser`` and sets
``func`` on its parser via ``set_defaults(func=...)``; ``func(args)`` returns an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from nerkit.common.allocator import map_large_blocks
from nerkit.common.errors import NerkitError
from nerkit.version import VERSION


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nerkit", description="Declarative Chinese named entity recognition."
    )
    parser.add_argument("--version", action="version", version=f"nerkit {VERSION}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of an error (also NERKIT_DEBUG=1)")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        add_subparser = getattr(module, "add_subparser", None)
        if add_subparser is not None:
            verb = add_subparser(subparsers)
            # also after the verb; SUPPRESS keeps the verb from resetting a --debug given before
            verb.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                              help="show the full traceback of an error")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run one verb; every failure is one ``error: ...`` line on stderr and exit code 1."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        sys.exit(2)
    debug = args.debug or os.environ.get("NERKIT_DEBUG", "") not in ("", "0")
    map_large_blocks()  # flat memory across batch shapes (nerkit/common/allocator.py)
    try:
        code = args.func(args)
    except Exception as error:  # KeyboardInterrupt passes: the trainer and pretrain handle it
        if debug:
            raise
        print(f"error: {describe_error(error)}", file=sys.stderr)
        sys.exit(1)
    sys.exit(code or 0)


def describe_error(error: BaseException) -> str:
    """One line for an error: nerkit's own message, an OS error with its file, or a bug's
    type and the line of nerkit that raised it."""
    if isinstance(error, NerkitError):
        message = str(error)
    elif isinstance(error, OSError) and error.strerror:
        files = [str(name) for name in (error.filename, error.filename2) if name is not None]
        message = error.strerror[:1].lower() + error.strerror[1:]
        message += f" ({' -> '.join(files)})" if files else ""
    else:
        message = (f"unexpected {type(error).__name__}: {error} ({_origin(error)}; "
                   "rerun with --debug for the traceback)")
    return " | ".join(line.strip() for line in message.strip().splitlines() if line.strip())


def _origin(error: BaseException) -> str:
    """``file:line`` where ``error`` was raised: the innermost frame of nerkit or of the user's
    own code (a plugin), not of a library it called; relative to the working directory."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "unknown location"
    package = str(Path(__file__).resolve().parents[1])
    libraries = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix})
    ours = [f for f in frames
            if f.filename.startswith(package) or not f.filename.startswith(libraries)]
    frame = (ours or frames)[-1]
    try:
        name = str(Path(frame.filename).resolve().relative_to(Path.cwd()))
    except ValueError:
        name = frame.filename
    return f"{name}:{frame.lineno}"
