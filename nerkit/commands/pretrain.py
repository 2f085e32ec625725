"""``nerkit pretrain {word2vec|elmo|bert} INPUT... -o OUT_DIR``: embeddings from raw text.

Inputs are plain text files (one paragraph per line) or, with ``--reader``, labelled corpora whose
characters are used. Each model's settings come from ``--preset`` (``small`` for CPUs, ``base``
for GPUs) and any flag given overrides its preset value.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import re
import time
import typing
from collections.abc import Callable
from typing import Any

from nerkit.pretrain.corpus import CorpusStats, read_corpus
from nerkit.pretrain.output import RunDirectory, write_json

logger = logging.getLogger(__name__)


def _models() -> dict[str, tuple[dict[str, Any], Callable[..., dict[str, Any]], str]]:
    from nerkit.pretrain import bert, elmo, word2vec

    return {
        "word2vec": (word2vec.PRESETS, word2vec.pretrain_word2vec, word2vec.__doc__ or ""),
        "elmo": (elmo.PRESETS, elmo.pretrain_elmo, elmo.__doc__ or ""),
        "bert": (bert.PRESETS, bert.pretrain_bert, bert.__doc__ or ""),
    }


def add_subparser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "pretrain", help="pretrain word2vec, ELMo or BERT on raw text", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    models = parser.add_subparsers(title="models", metavar="MODEL")
    for name, (presets, _, doc) in _models().items():
        sub = models.add_parser(
            name, help=doc.strip().splitlines()[0], description=doc,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _add_common_arguments(sub)
        _add_settings_arguments(sub, type(presets["small"]))
        sub.set_defaults(func=run_pretrain, model=name)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    return parser


def _add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="training text files")
    parser.add_argument("-o", "--output-dir", required=True, help="directory for the model")
    parser.add_argument("--preset", choices=("small", "base"), default="small",
                        help="sizes and schedule: small (CPU, default) or base (GPU)")
    parser.add_argument("--reader", action="append", default=[],
                        help="read INPUTs with this dataset reader (name or JSON config, e.g. "
                        "conll or pfr1998; labels are ignored; 'text': plain text); once for all "
                        "inputs or once per input, in order")
    parser.add_argument("--encoding", default="auto", help="plain text encoding (default: auto)")
    parser.add_argument("--seed", type=int, default=13, help="random seed")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's)")
    parser.add_argument("--force", action="store_true", help="replace an existing OUT_DIR")
    parser.add_argument("--resume", action="store_true",
                        help="continue the interrupted run in OUT_DIR.partial")


def _field_help(settings_class: type) -> dict[str, str]:
    """``name: text`` lines of the settings class docstring's Args section."""
    found = re.findall(r"^\s{8}(\w+): (.+)$", settings_class.__doc__ or "", flags=re.MULTILINE)
    return dict(found)


def _add_settings_arguments(parser: argparse.ArgumentParser, settings_class: type) -> None:
    helps = _field_help(settings_class)
    hints = typing.get_type_hints(settings_class)
    group = parser.add_argument_group("model settings (default: the preset's)")
    for item in dataclasses.fields(settings_class):
        flag = "--" + item.name.replace("_", "-")
        hint = hints[item.name]
        kwargs: dict[str, Any] = {"default": None, "help": helps.get(item.name, "")}
        if hint is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        elif typing.get_origin(hint) is list:
            kwargs["type"] = json.loads
            kwargs["metavar"] = "JSON"
        else:
            choices = (hint, *typing.get_args(hint))
            base = next(t for t in (int, float, str) if t in choices)
            kwargs["type"] = _nullable(base) if type(None) in choices else base
            kwargs["metavar"] = item.name.upper()
            if type(None) in choices:
                kwargs["help"] += " ('null': none)"
        group.add_argument(flag, dest=f"setting_{item.name}", **kwargs)


class _Null:
    """A flag given as ``null``: the setting becomes None (argparse's None means "not given")."""


NULL = _Null()


def _nullable(base: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        return NULL if text.lower() in ("null", "none") else base(text)

    parse.__name__ = base.__name__  # argparse names the type in its error messages
    return parse


def settings_from_args(args: argparse.Namespace, presets: dict[str, Any]) -> Any:
    """The preset's settings with every flag the user gave applied."""
    overrides = {
        key.removeprefix("setting_"): None if value is NULL else value
        for key, value in vars(args).items()
        if key.startswith("setting_") and value is not None
    }
    return dataclasses.replace(presets[args.preset], **overrides)


def run_pretrain(args: argparse.Namespace) -> int:
    presets, pretrain, _ = _models()[args.model]
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    run = RunDirectory(args.output_dir, force=args.force, resume=args.resume)
    settings = run.settings(settings_from_args(args, presets), args.resume)
    if getattr(settings, "unit", "char") == "word":  # word2vec --unit word: segment first
        from nerkit.lexicon.segmentation import read_word_lines

        lines = read_word_lines(args.inputs, args.reader, args.encoding)
        stats = CorpusStats.of([list("".join(line)) for line in lines])
    else:
        lines = read_corpus(args.inputs, args.reader, args.encoding)
        stats = CorpusStats.of(lines)
    print(f"corpus: {stats}", flush=True)
    started = time.perf_counter()
    metrics = pretrain(lines, run, settings, args.seed, resume=args.resume)
    report = {
        "model": args.model, "preset": args.preset, "inputs": args.inputs, "reader": args.reader,
        "seed": args.seed, "corpus": dataclasses.asdict(stats), "metrics": metrics,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "settings": dataclasses.asdict(settings),
    }
    write_json(run.work / "pretrain_metrics.json", report)
    final = run.finish()
    print(json.dumps({"output_dir": str(final), **metrics}, indent=2, ensure_ascii=False))
    return 0
