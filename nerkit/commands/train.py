"""``nerkit train CONFIG -s DIR``: build everything from the config, train, archive."""

from __future__ import annotations

import argparse

from nerkit.commands.common import add_config_arguments, config_from_arguments
from nerkit.common.plugins import import_plugins
from nerkit.training.experiment import fill_experiment, train_model, train_model_from_file

# The old import path of the training entry points (they live in nerkit.training.experiment).
__all__ = ["add_subparser", "train_model", "train_model_from_file"]


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train", help="train a model from an experiment config",
        description="Train a model from a Jsonnet experiment config and archive it.",
    )
    add_config_arguments(parser)
    parser.add_argument("-s", "--serialization-dir", required=True,
                        help="directory for checkpoints, metrics and model.tar.gz")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-r", "--recover", action="store_true",
                       help="resume from the last complete checkpoint in the directory")
    group.add_argument("-f", "--force", action="store_true",
                       help="delete the serialization directory first")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the config and stop before reading data")
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    config = config_from_arguments(args)
    if args.dry_run:
        fill_experiment(config)
        print("config OK")
        return 0
    train_model(config, args.serialization_dir, force=args.force, recover=args.recover,
                include_packages=args.include_package)
    return 0
