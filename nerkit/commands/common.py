"""Arguments shared by several verbs: --arg, -e, -o and --include-package for those that read a
config, --amp and --dictionary for those that predict."""

from __future__ import annotations

import argparse
from typing import Any

from nerkit.common.config import load_config, parse_assignments
from nerkit.lexicon.entity_dictionary import DICTIONARY_MODES, EntityDictionary


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", help="experiment config (.jsonnet or .json)")
    parser.add_argument(
        "--arg", action="append", default=[], metavar="KEY=VALUE",
        help="top-level argument of the Jsonnet config function (e.g. dataset=msra)",
    )
    parser.add_argument(
        "-e", "--ext-var", action="append", default=[], metavar="KEY=VALUE",
        help="value for std.extVar(KEY) (e.g. TRAIN_PATH=data/train.bio)",
    )
    parser.add_argument(
        "-o", "--override", action="append", default=[], metavar="DOTTED.KEY=VALUE",
        help="override a config value after evaluation (e.g. trainer.num_epochs=1); "
        "VALUE is parsed as JSON when it parses",
    )
    add_plugin_arguments(parser)


def add_plugin_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-package", action="append", default=[], metavar="PACKAGE",
        help="import PACKAGE (and its submodules) so its registered components can be used",
    )


def add_amp_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--amp", choices=["bf16"], default=None,
                        help="bfloat16 mixed precision (CUDA, or CPUs with AMX/AVX512-BF16; "
                        "ignored with a warning elsewhere)")


def add_dictionary_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dictionary", metavar="FILE",
                        help="WORD<TAB>TYPE lines: entity names merged into every prediction")
    parser.add_argument("--dictionary-mode", choices=DICTIONARY_MODES, default="fill",
                        help="fill: a name is tagged only where the model found nothing "
                        "overlapping it (default); force: it replaces overlapping predictions")


def dictionary_from_arguments(args: argparse.Namespace) -> EntityDictionary | None:
    """The ``--dictionary`` file read, or None when not given."""
    if not args.dictionary:
        return None
    return EntityDictionary.from_file(args.dictionary, args.dictionary_mode)


def config_from_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """Evaluate the config named on the command line with its --arg, -e and -o values."""
    return load_config(
        args.config,
        ext_vars=parse_assignments(args.ext_var, "-e"),
        tla_vars=parse_assignments(args.arg, "--arg"),
        overrides=args.override,
    )
