"""``nerkit print-config CONFIG``: the evaluated config with every default written out."""

from __future__ import annotations

import argparse
import json

from nerkit.commands.common import add_config_arguments, config_from_arguments
from nerkit.common.plugins import import_plugins
from nerkit.training.experiment import fill_experiment


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "print-config", help="print the filled config (all defaults written out)",
        description="Evaluate a config and print it with every section and default filled in, "
        "read from the components' signatures: nothing is built, read or downloaded, so it is "
        "fast and works offline. Dimensions that flow between components are left out.",
    )
    add_config_arguments(parser)
    parser.add_argument("--unfilled", action="store_true",
                        help="print the evaluated config without building anything")
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    config = config_from_arguments(args)
    filled = fill_experiment(config)
    print(json.dumps(config if args.unfilled else filled, indent=2, ensure_ascii=False))
    return 0
