"""``nerkit split FILE``: deterministic train/dev/test files, by seed or at article boundaries."""

from __future__ import annotations

import argparse
from pathlib import Path

from nerkit.commands.reader_args import add_reader_arguments, reader_from_args
from nerkit.common.errors import ConfigurationError
from nerkit.data.splitting import split_by_article, split_random
from nerkit.data.tag_schemes import check_scheme
from nerkit.data.writers import SUFFIXES, write_conll


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "split", help="split a corpus file into train/test (and dev) CoNLL files",
        description="Read FILE and write one CHAR<TAB>TAG file per part into --output-dir. "
        "--by random shuffles sentences with --seed; --by article keeps file order and cuts at "
        "the article boundaries nearest to the ratios (the paper's 80/20 on People's Daily).",
    )
    parser.add_argument("file", help="the corpus file")
    add_reader_arguments(parser)
    parser.add_argument("--ratios", type=float, nargs="+", default=[0.8, 0.2],
                        help="part sizes, normalised to sum to one (default: 0.8 0.2)")
    parser.add_argument("--names", nargs="+", default=None,
                        help="part names (default: train test, or train dev test for 3 parts)")
    parser.add_argument("--by", choices=("random", "article"), default="random")
    parser.add_argument("--seed", type=int, default=13, help="shuffle seed for --by random")
    parser.add_argument("--tag-scheme", default="BIO", help="scheme of the written tags")
    parser.add_argument("-o", "--output-dir", required=True, help="where the parts are written")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    names = args.names or (["train", "test"] if len(args.ratios) == 2 else
                           ["train", "dev", "test"] if len(args.ratios) == 3 else None)
    if names is None or len(names) != len(args.ratios):
        raise ConfigurationError(f"give one --names entry per ratio ({len(args.ratios)})")
    scheme = check_scheme(args.tag_scheme)
    reader, _ = reader_from_args(args.reader, args.reader_arg)
    sentences = reader.read(args.file)
    try:
        if args.by == "article":
            parts = split_by_article(sentences, args.ratios)
        else:
            parts = split_random(sentences, args.ratios, args.seed)
    except ValueError as error:
        raise ConfigurationError(str(error)) from error
    for name, part in zip(names, parts):
        path = Path(args.output_dir) / f"{name}{SUFFIXES[scheme]}"
        write_conll(part, path, scheme)
        characters = sum(len(s) for s in part)
        print(f"{path}: {len(part):,} sentences, {characters:,} characters")
    return 0
