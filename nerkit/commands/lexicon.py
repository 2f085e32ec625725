"""``nerkit lexicon build -o OUT.txt --source SOURCE [INPUT...]``: a word list.

Sources: ``jieba`` (the dictionary bundled with the jieba package; no INPUT), ``pfr1998`` (the
words and POS tags of People's Daily files: give only the training portion), ``text`` (raw text
INPUTs segmented with jieba; ``--reader`` reads the characters of annotated files), ``entities``
(the entity mentions of annotated INPUTs read with ``--reader``, tagged with their entity type:
an outside gazetteer for ``lexicon_features``). ``--count-in FILE...`` re-counts the words on a
training text and keeps only those found there (the lexicon of Ma et al., 2020; keeps the word
table small).
The output has one ``word frequency [tag]`` per line, for ``{"type": "word_list", "path": ...}``.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path
from typing import Any

from nerkit.common.errors import ConfigurationError

SOURCES = ("jieba", "pfr1998", "text", "entities")
logger = logging.getLogger(__name__)


def add_subparser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "lexicon", help="build word lists for lexicon-enhanced tagging", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = parser.add_subparsers(title="actions", metavar="ACTION")
    build = verbs.add_parser("build", help="write a word list", description=__doc__,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("inputs", nargs="*", metavar="INPUT",
                       help="corpus files for --source pfr1998, text or entities")
    build.add_argument("-o", "--output", required=True, help="the word list to write")
    build.add_argument("--source", choices=SOURCES, required=True, help="where the words come from")
    build.add_argument("--reader", action="append", default=[],
                       help="read INPUT files with this dataset reader (name or JSON, e.g. "
                       "conll); needed by --source entities; once for all or once per file")
    build.add_argument("--encoding", default="auto", help="input encoding (default: auto)")
    build.add_argument("--count-in", nargs="+", default=[], metavar="FILE",
                       help="re-count the words on these files and keep only those found")
    build.add_argument("--count-reader", action="append", default=[],
                       help="read --count-in files with this dataset reader (name or JSON, e.g. "
                       "conll); default plain text; once for all or once per file")
    build.add_argument("--min-frequency", type=int, default=0,
                       help="leave out words rarer than this (after --count-in)")
    build.add_argument("--max-word-length", type=int, help="leave out longer words")
    build.set_defaults(func=run_build)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    return parser


def run_build(args: argparse.Namespace) -> int:
    from nerkit.lexicon import builders
    from nerkit.lexicon.word_list_file import write_word_list
    from nerkit.pretrain.corpus import read_corpus

    if args.source == "jieba" and args.inputs:
        raise ConfigurationError("--source jieba takes no INPUT files")
    if args.source != "jieba" and not args.inputs:
        raise ConfigurationError(f"--source {args.source} needs INPUT files")
    if args.reader and args.source not in ("text", "entities"):
        raise ConfigurationError(f"--reader is for --source text or entities, not {args.source}")
    if args.source == "entities" and not args.reader:
        raise ConfigurationError("--source entities needs --reader (the annotated files' format, "
                                 "e.g. conll)")
    started = time.perf_counter()
    if args.source == "jieba":
        words = builders.from_jieba()
    elif args.source == "pfr1998":
        words = builders.from_pfr1998(args.inputs, args.encoding)
    elif args.source == "entities":
        words = builders.from_entities(args.inputs, args.reader)
    else:
        lines = read_corpus(args.inputs, args.reader, args.encoding)
        words = builders.from_text(["".join(line) for line in lines])
    source_size = len(words)
    if args.count_in:
        texts = read_corpus(args.count_in, args.count_reader, args.encoding)
        words = builders.count_in(words, ("".join(line) for line in texts))
    words = words.filtered(args.min_frequency, args.max_word_length)
    write_word_list(words, Path(args.output))
    tags: dict[str, int] = {}
    for tag in words.tags:
        tags[tag] = tags.get(tag, 0) + 1
    report = {
        "output": args.output, "source": args.source, "inputs": args.inputs,
        "count_in": args.count_in, "source_words": source_size, "words": len(words),
        "tags": tags if args.source == "entities" else
                {t: tags[t] for t in ("nr", "ns", "nt") if t in tags},
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.source == "pfr1998" and report["tags"]:
        # measured on People's Daily: such a gazetteer cost ~10 F1 on dev matched whole, and
        # was harmless (+0.13, n.s.) matched cross-fold (README, issue #13)
        logger.warning(
            "the words and nr/ns/nt tags come from %s's own annotation: matched whole they give "
            "away its entities to a model trained on it; train with cross-fold matching (the "
            "lexicon's cross_fold, the configs' lexicon_folds)", ", ".join(args.inputs))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0
