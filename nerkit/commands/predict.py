"""``nerkit predict ARCHIVE INPUT``: one text per line (or JSONL with "text") -> JSONL entities."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from nerkit.commands.common import (
    add_amp_argument,
    add_dictionary_arguments,
    add_plugin_arguments,
    dictionary_from_arguments,
)
from nerkit.common.atomic import atomic_open
from nerkit.common.errors import ConfigurationError, DataError
from nerkit.common.plugins import import_plugins
from nerkit.data.annotation_formats import (
    BRAT,
    RECORD_FORMATS,
    brat_paths,
    write_brat,
    write_brat_annotations,
    write_records,
)
from nerkit.export.runtimes import RUNTIMES, load_predictor
from nerkit.predictor import Predictor

INPUT_FORMATS = ("auto", "text", "jsonl")


def read_texts(path: str, input_format: str = "auto") -> Iterator[str]:
    """Texts from a plain file (one per line) or JSONL objects with a "text" field.

    ``auto`` reads a line starting with ``{`` as JSON; ``text`` never does, ``jsonl`` always does.
    A blank or whitespace-only line is a text as it stands (it has no entities), so output line
    N always answers input line N.
    """
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                yield line
                continue
            as_json = input_format == "jsonl" or (
                input_format == "auto" and line.lstrip().startswith("{")
            )
            if as_json:
                try:
                    text = json.loads(line)["text"]
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise DataError(f"expected a JSON object with a \"text\" field ({error})",
                                    path, number) from None
                if not isinstance(text, str):
                    raise DataError("\"text\" must be a string", path, number)
                yield text
            else:
                yield line


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "predict", help="find entities in raw text with an archived model",
        description="Predict entities; output JSONL {text, entities: [{start, end, type, text}]} "
        "with character offsets into the input text, end exclusive.",
    )
    parser.add_argument("archive", help="path to model.tar.gz")
    parser.add_argument(
        "input", help="text file (one text per line) or JSONL with \"text\"; - for stdin; "
        "with --output-format brat, also a brat collection (a directory of .txt documents)"
    )
    parser.add_argument("--output-file", help="write JSONL here (default: standard output)")
    parser.add_argument("--output-format", choices=(*RECORD_FORMATS, BRAT), default="nerkit",
                        help="nerkit: {text, entities} per line (default); doccano: its JSONL "
                        "{text, label: [[start, end, type]]}; label-studio: a JSON array of "
                        "tasks with the entities as predictions (pre-annotations to correct); "
                        "brat: a document, the texts in OUTPUT.txt and the entities in "
                        "OUTPUT.ann (needs --output-file)")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, default="auto",
                        help="auto: a line starting with { is JSON; text: plain lines only; "
                        "jsonl: every line is JSON")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default="cpu")
    add_amp_argument(parser)
    add_dictionary_arguments(parser)
    parser.add_argument("--n-best", type=int, default=0, metavar="K",
                        help="add the model's K most probable analyses of each text with their "
                        "probabilities (\"n_best\"; crf decoders)")
    parser.add_argument("--scores", action="store_true",
                        help="add each entity's probability (\"score\")")
    parser.add_argument("--runtime", choices=RUNTIMES, default="torch",
                        help="onnx: run an export directory (or the archive, exported on the "
                        "fly) in onnxruntime")
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import_plugins(args.include_package)
    source = "/dev/stdin" if args.input == "-" else args.input
    if not Path(source).exists():
        raise DataError("input file not found", source)
    if args.n_best < 0:
        raise ConfigurationError(f"--n-best must be positive, got {args.n_best}")
    if args.n_best and args.output_format != "nerkit":
        raise ConfigurationError(f"--n-best is written in nerkit's output format only, not "
                                 f"{args.output_format}'s")
    if args.output_format == BRAT and not args.output_file:
        raise ConfigurationError("--output-format brat writes two files (NAME.txt and "
                                 "NAME.ann): give --output-file NAME")
    collection = Path(source).is_dir()
    if collection:
        _check_collection(Path(source), args)
    dictionary = dictionary_from_arguments(args)  # a bad file fails before the model loads
    predictor = load_predictor(args.archive, args.runtime, device=args.device, scores=args.scores,
                               amp=args.amp)
    predictor.dictionary = dictionary
    predictor.n_best = args.n_best
    if collection:
        documents, entities = predict_brat_collection(predictor, Path(source),
                                                      Path(args.output_file), args.batch_size)
        print(f"wrote {documents:,} documents ({entities:,} entities) to {args.output_file}",
              file=sys.stderr)
        return 0
    texts = read_texts(source, args.input_format)
    if not args.output_file:
        _write_results(predictor, texts, args, sys.stdout)
        return 0
    # The output appears (or replaces an old one) only once every line was predicted.
    if args.output_format == BRAT:
        text_path, ann_path = brat_paths(args.output_file)
        with atomic_open(text_path, newline="\n") as text, \
                atomic_open(ann_path, newline="\n") as ann:
            write_brat(predictor.predict_stream(texts, batch_size=args.batch_size), text, ann)
        print(f"wrote {text_path} and {ann_path.name}", file=sys.stderr)
        return 0
    with atomic_open(args.output_file) as output:
        _write_results(predictor, texts, args, output)
    print(f"wrote {Path(args.output_file)}", file=sys.stderr)
    return 0


def _check_collection(source: Path, args: argparse.Namespace) -> None:
    """A directory INPUT is a brat collection, pre-annotated into another directory."""
    if args.output_format != BRAT:
        raise ConfigurationError(f"{source} is a directory: a brat collection is pre-annotated "
                                 "with --output-format brat --output-file OUTPUT_DIR")
    output = Path(args.output_file).resolve()
    if output == source.resolve() or source.resolve() in output.parents:
        raise ConfigurationError("--output-file must be a directory outside the collection "
                                 "(its .ann files would replace the annotators' own)")
    if output.is_file():
        raise ConfigurationError(f"--output-file {args.output_file} is a file; a collection "
                                 "is written to a directory")


def predict_brat_collection(
    predictor: Predictor, source: Path, output: Path, batch_size: int = 64
) -> tuple[int, int]:
    """Pre-annotate every ``.txt`` document under ``source`` into ``output`` (the same relative
    paths): the text copied byte for byte, and an ``.ann`` of the entities of each of its lines
    with offsets into that text (a ``\r\n`` counts two characters, as in brat). Each document
    appears whole or not at all. Returns (documents, entities)."""
    documents = entities = 0
    for text_path in sorted(source.glob("**/*.txt")):
        data = text_path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DataError(f"not UTF-8 text ({error.reason})", str(text_path),
                            data[:error.start].count(b"\n") + 1) from None
        offsets, lines, position = [], [], 0
        for line in text.split("\n"):
            offsets.append(position)
            lines.append(line[:-1] if line.endswith("\r") else line)
            position += len(line) + 1
        results = predictor.predict_batch(lines, batch_size=batch_size)
        target = output / text_path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(target.with_suffix(".ann"), newline="\n") as ann, \
                atomic_open(target, "wb") as copy:
            copy.write(data)
            entities += write_brat_annotations(zip(offsets, results), ann)
        documents += 1
    return documents, entities


def _write_results(predictor: Predictor, texts: Iterator[str], args: argparse.Namespace,
                   output: IO[str]) -> None:
    """One record per text, in ``--output-format``, written as predictions come."""
    results = predictor.predict_stream(texts, batch_size=args.batch_size)
    write_records(results, output, args.output_format, as_prediction=True,
                  model_version=str(args.archive))
