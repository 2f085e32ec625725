"""``nerkit convert FILE OUTPUT``: read with any reader, write CoNLL in a chosen tag scheme."""

from __future__ import annotations

import argparse

from nerkit.commands.reader_args import add_reader_arguments, reader_from_args
from nerkit.data.writers import write_conll


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "convert", help="rewrite a corpus file as CHAR<TAB>TAG in a chosen tag scheme",
        description="Read FILE with --reader and write OUTPUT as CoNLL columns.",
    )
    parser.add_argument("file", help="the corpus file")
    parser.add_argument("output", help="the CoNLL file to write")
    add_reader_arguments(parser)
    parser.add_argument("--tag-scheme", default="BIO", help="BIO, BIOES, BMES or BIEO")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    reader, _ = reader_from_args(args.reader, args.reader_arg)
    sentences = reader.read(args.file)
    count = write_conll(sentences, args.output, args.tag_scheme)
    print(f"{args.output}: {count:,} sentences in {args.tag_scheme.upper()}")
    return 0
