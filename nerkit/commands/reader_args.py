"""Build a dataset reader from a command line: ``--reader NAME --reader-arg key=value``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

from nerkit.common.errors import ConfigurationError
from nerkit.common.signatures import config_parameters
from nerkit.data.dataset_readers import DatasetReader


def parse_reader_args(pairs: Sequence[str]) -> dict[str, Any]:
    """``["tag_scheme=BIOES", "max_sentences=10"]`` -> a config dict; values are JSON if they
    parse as JSON (numbers, booleans, objects), else strings."""
    config: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigurationError(f"--reader-arg expects key=value, got {pair!r}")
        try:
            config[key] = json.loads(value)
        except json.JSONDecodeError:
            config[key] = value
    return config


def add_reader_arguments(parser: argparse.ArgumentParser) -> None:
    """``--reader`` and ``--reader-arg`` on a verb's parser."""
    parser.add_argument(
        "--reader", default="conll", metavar="NAME",
        help=f"dataset reader (registered: {', '.join(DatasetReader.list_available())})",
    )
    parser.add_argument(
        "--reader-arg", action="append", default=[], metavar="KEY=VALUE",
        help="a reader option, e.g. tag_scheme=BIOES or entity_map='{\"nr\": \"PER\"}'",
    )


def reader_from_args(
    name: str, pairs: Sequence[str], defaults: dict[str, Any] | None = None
) -> tuple[DatasetReader, dict[str, Any]]:
    """The reader and its config (``type`` included); ``defaults`` fill keys the user left out
    where the reader accepts them."""
    config = {"type": name, **parse_reader_args(pairs)}
    implementation = DatasetReader.by_name(name)


    accepted = {parameter.name for parameter in config_parameters(implementation)}
    for key, value in (defaults or {}).items():
        if key in accepted and key not in config:
            config[key] = value
    return DatasetReader.from_config(config), config
