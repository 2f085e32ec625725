"""``nerkit data-stats FILE``: read a corpus file and print what it holds and what is wrong."""

from __future__ import annotations

import argparse
import json

from nerkit.commands.reader_args import add_reader_arguments, reader_from_args
from nerkit.data.stats import dataset_stats, format_stats


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "data-stats", help="count sentences, characters and entities of a corpus file",
        description="Read FILE with a dataset reader and print sentences, characters, entities "
        "per type, length percentiles, the tag scheme and the problems found. Malformed lines "
        "are counted and listed (skip_invalid=true unless set with --reader-arg).",
    )
    parser.add_argument("file", help="the corpus file")
    add_reader_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    reader, _ = reader_from_args(
        args.reader, args.reader_arg, defaults={"skip_invalid": True, "tag_scheme": "auto"}
    )
    sentences = reader.read(args.file, allow_empty=True)
    scheme = getattr(reader, "detected_scheme", None)
    stats = dataset_stats(sentences, scheme, reader.problems, getattr(reader, "repaired", ()))
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.json else format_stats(stats))
    return 0
