"""``nerkit benchmark ARCHIVE DATA``: prediction speed of any archive, as a table and JSON."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nerkit.commands.common import add_amp_argument, add_plugin_arguments
from nerkit.commands.predict import read_texts
from nerkit.common.atomic import write_json_atomic
from nerkit.common.errors import ConfigurationError, DataError
from nerkit.common.plugins import import_plugins
from nerkit.export.runtimes import RUNTIMES, load_predictor

PERCENTILES = (50, 90, 99)


def add_subparser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "benchmark", help="measure prediction speed: characters/s, latency, peak memory",
        description="Predict DATA with the archive at each batch size, in file order, batch "
        "after batch (as a server sees requests), after one warm-up batch. Reports "
        "characters/s, sentences/s, per-batch latency percentiles and the process's peak RSS. "
        "DATA is read with the archive's reader (a labelled corpus such as MSRA dev) or, with "
        "--input-format text/jsonl, as one text per line.",
    )
    parser.add_argument("archive", help="path to model.tar.gz (or an ONNX export directory)")
    parser.add_argument("data", help="a corpus the archive's reader reads, or texts")
    parser.add_argument("--input-format", choices=("corpus", "text", "jsonl"), default="corpus")
    parser.add_argument("--batch-sizes", default="1,8,64", help="comma-separated (default 1,8,64)")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's)")
    parser.add_argument("--runtime", choices=RUNTIMES, default="torch")
    parser.add_argument("--max-sentences", type=int, help="use the first N texts only")
    parser.add_argument("--output-file", help="write the JSON record here as well")
    add_amp_argument(parser)
    add_plugin_arguments(parser)
    parser.set_defaults(func=_run)
    return parser


def _run(args: argparse.Namespace) -> int:
    import torch

    import_plugins(args.include_package)
    sizes = _batch_sizes(args.batch_sizes)
    if args.threads:
        torch.set_num_threads(args.threads)
    predictor = load_predictor(args.archive, args.runtime, amp=args.amp)
    texts = _texts(args, predictor)
    if not texts:
        raise DataError("no texts to predict", args.data)
    record: dict[str, Any] = {
        "archive": str(args.archive), "data": str(args.data), "runtime": args.runtime,
        "amp": _amp_in_effect(predictor), "threads": torch.get_num_threads(),
        "sentences": len(texts), "characters": sum(len(t) for t in texts),
        "batches": {str(size): measure(predictor.predict_batch, texts, size) for size in sizes},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(format_table(record))
    print(json.dumps(record))
    if args.output_file:
        write_json_atomic(args.output_file, record)
    return 0


def measure(
    predict_batch: Callable[..., list[Any]], texts: Sequence[str], batch_size: int
) -> dict[str, float]:
    """Throughput and per-batch latency of predicting ``texts`` ``batch_size`` at a time."""
    chunks = [list(texts[i: i + batch_size]) for i in range(0, len(texts), batch_size)]
    predict_batch(chunks[0], batch_size=batch_size)  # warm-up: first-call allocations
    latencies = []
    for chunk in chunks:
        started = time.perf_counter()
        predict_batch(chunk, batch_size=batch_size)
        latencies.append(time.perf_counter() - started)
    total = sum(latencies)
    result = {
        "seconds": round(total, 4),
        "characters_per_s": round(sum(len(t) for t in texts) / total, 1),
        "sentences_per_s": round(len(texts) / total, 1),
    }
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 \
        else [latencies[0]] * 99
    result.update({f"latency_ms_p{p}": round(1000 * cuts[p - 1], 3) for p in PERCENTILES})
    return result


def format_table(record: dict[str, Any]) -> str:
    """One row per batch size."""
    header = ["batch", "chars/s", "sentences/s", *(f"p{p} ms" for p in PERCENTILES)]
    rows = [header]
    for size, values in record["batches"].items():
        rows.append([size, f"{values['characters_per_s']:,.0f}",
                     f"{values['sentences_per_s']:,.1f}",
                     *(f"{values[f'latency_ms_p{p}']:.2f}" for p in PERCENTILES)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in rows]
    lines.append(f"{record['sentences']:,} sentences, {record['characters']:,} characters, "
                 f"{record['runtime']}{'' if record['amp'] is None else ' ' + record['amp']}, "
                 f"{record['threads']} threads, "
                 f"peak RSS {record['peak_rss_mb']:,.0f} MB")
    return "\n".join(lines)


def _amp_in_effect(predictor: Any) -> str | None:
    """``bf16``/``fp16`` when the predictor really runs under autocast; None when --amp was not
    given or was ignored (a CPU without native bfloat16, which the log warns about)."""
    import torch

    names = {torch.bfloat16: "bf16", torch.float16: "fp16"}
    dtype = getattr(predictor, "amp_dtype", None)
    return names.get(dtype) if dtype is not None else None


def _batch_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise ConfigurationError(f"--batch-sizes must be positive integers, got {text!r}",
                                 ("--batch-sizes",))
    return sizes


def _texts(args: argparse.Namespace, predictor: Any) -> list[str]:
    if not Path(args.data).is_file():
        raise DataError("data file not found", args.data)
    if args.input_format == "corpus":
        reader = predictor.reader
        if getattr(reader, "max_sentences", None) is not None:
            reader.max_sentences = None  # the training reader's limit is not the benchmark's
        texts = ["".join(s.chars) for s in reader.read(args.data)]
    else:
        texts = list(read_texts(args.data, args.input_format))
    return texts[: args.max_sentences] if args.max_sentences else texts
