"""``nerkit convert FILE OUTPUT``: read with any reader, write CoNLL in a chosen tag scheme, or
entity records for annotation tools (nerkit JSONL, doccano, Label Studio)."""

from __future__ import annotations

import argparse

from nerkit.commands.reader_args import add_reader_arguments, reader_from_args
from nerkit.common.atomic import atomic_open
from nerkit.data.annotation_formats import RECORD_FORMATS, sentence_record, write_records
from nerkit.data.writers import write_conll


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "convert", help="rewrite a corpus as CHAR<TAB>TAG in a tag scheme, or for annotation tools",
        description="Read FILE with --reader and write OUTPUT as CoNLL columns, or as entity "
        "records: nerkit's JSONL (the jsonl reader's layout), doccano's JSONL, or a Label "
        "Studio task list with the entities as finished annotations.",
    )
    parser.add_argument("file", help="the corpus file")
    parser.add_argument("output", help="the file to write")
    add_reader_arguments(parser)
    parser.add_argument("--tag-scheme", default="BIO", help="BIO, BIOES, BMES or BIEO (conll)")
    parser.add_argument("--output-format", choices=("conll", *RECORD_FORMATS), default="conll",
                        help="conll (default), nerkit, doccano or label-studio")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    reader, _ = reader_from_args(args.reader, args.reader_arg)
    sentences = reader.read(args.file)
    if args.output_format == "conll":
        count = write_conll(sentences, args.output, args.tag_scheme)
        written = args.tag_scheme.upper()
    else:
        with atomic_open(args.output, newline="\n") as output:
            count = write_records(map(sentence_record, sentences), output, args.output_format,
                                  as_prediction=False)
        written = args.output_format
    print(f"{args.output}: {count:,} sentences in {written}")
    return 0
