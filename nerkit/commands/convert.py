"""``nerkit convert FILE OUTPUT``: read with any reader, write CoNLL in a chosen tag scheme, or
entity records for annotation tools (nerkit JSONL, doccano, Label Studio, brat)."""

from __future__ import annotations

import argparse

from nerkit.commands.reader_args import add_reader_arguments, reader_from_args
from nerkit.common.atomic import atomic_open
from nerkit.data.annotation_formats import (
    BRAT,
    RECORD_FORMATS,
    brat_paths,
    sentence_record,
    write_brat,
    write_records,
)
from nerkit.data.writers import write_conll


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "convert", help="rewrite a corpus as CHAR<TAB>TAG in a tag scheme, or for annotation tools",
        description="Read FILE with --reader and write OUTPUT as CoNLL columns, or as entity "
        "records: nerkit's JSONL (the jsonl reader's layout), doccano's JSONL, a Label "
        "Studio task list with the entities as finished annotations, or a brat document "
        "(OUTPUT.txt and OUTPUT.ann).",
    )
    parser.add_argument("file", help="the corpus file")
    parser.add_argument("output", help="the file to write")
    add_reader_arguments(parser)
    parser.add_argument("--tag-scheme", default="BIO", help="BIO, BIOES, BMES or BIEO (conll)")
    parser.add_argument("--output-format", choices=("conll", *RECORD_FORMATS, BRAT),
                        default="conll", help="conll (default), nerkit, doccano, label-studio "
                        "or brat")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    reader, _ = reader_from_args(args.reader, args.reader_arg)
    sentences = reader.read(args.file)
    if args.output_format == "conll":
        count = write_conll(sentences, args.output, args.tag_scheme)
        written = args.tag_scheme.upper()
    elif args.output_format == BRAT:
        text_path, ann_path = brat_paths(args.output)
        with atomic_open(text_path, newline="\n") as text, \
                atomic_open(ann_path, newline="\n") as ann:
            count = write_brat(map(sentence_record, sentences), text, ann)
        print(f"{text_path}, {ann_path.name}: {count:,} sentences in brat's standoff format")
        return 0
    else:
        with atomic_open(args.output, newline="\n") as output:
            count = write_records(map(sentence_record, sentences), output, args.output_format,
                                  as_prediction=False)
        written = args.output_format
    print(f"{args.output}: {count:,} sentences in {written}")
    return 0
