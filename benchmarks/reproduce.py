"""Train the paper's grid of systems on one dataset and write its table and figure.

    benchmarks/reproduce.sh msra cpu-small            # ~1.5 h on one CPU thread
    benchmarks/reproduce.sh pd1998 paper --bert /models/bert-base-chinese

Steps: (1) pretrain the character embeddings the grid needs (word2vec, ELMo, BERT) on the
dataset's training text with ``nerkit pretrain``, unless given; (2) ``nerkit train`` each
system's shipped config with the preset's arguments; (3) ``nerkit compare`` and ``nerkit plot``
over the runs. Everything goes to ``results/<dataset>-<preset>/`` (``pretrained/``,
``runs/<system>/``, ``table.md``, ``table.csv``, ``dev_f1.png``, ``wall_time.json``). Finished
steps are skipped and interrupted training is resumed, so the script can simply be run again;
``wall_time.json`` adds up each step's seconds over all the invocations it took.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "training_configs"
SYSTEMS = ["crf", "bilstm_crf", "lstm_cnns", "word2vec_seq2seq_att", "elmo_seq2seq_att",
           "bert_seq2seq_att"]
DATASETS = {  # training text for pretraining, and the reader that reads it
    "msra": ("msra/train.bio", "conll"),
    "pd1998": ("pd1998/199801-train.txt", "pfr1998"),
}
# pretrained resource -> (pretrain verb, extra flags)
PRETRAINED = {
    "word2vec": ("word2vec", ["--epochs", "10"]),
    "word2vec-bigram": ("word2vec", ["--epochs", "10", "--unit", "bigram", "--dim", "50",
                                     "--min-count", "2"]),
    "elmo": ("elmo", []),
    "bert": ("bert", []),
}
# embedder resources: pretrained resource, and config argument -> file in its folder ("" = folder)
WORD2VEC = [("word2vec", {"vectors": "vectors.txt"}),
            ("word2vec-bigram", {"bigram_vectors": "vectors.txt"})]
RESOURCES = {
    "bilstm_crf": WORD2VEC,
    "lstm_cnns": WORD2VEC,
    "word2vec_seq2seq_att": WORD2VEC,
    "elmo_seq2seq_att": [("elmo", {"elmo_options": "options.json",
                                   "elmo_weights": "weights.hdf5"})],
    "bert_seq2seq_att": [("bert", {"bert": ""})],
}
PRESETS = {
    # Sized for 2 CPU cores: 10k training sentences, small pretrained models, few epochs.
    "cpu-small": {
        "pretrain": ["--preset", "small"],
        "overrides": ["dataset_reader.max_sentences=10000"],
        "arguments": {"num_epochs": 10},
        "per_system": {"word2vec_seq2seq_att": {"num_epochs": 6},
                       "elmo_seq2seq_att": {"num_epochs": 4},
                       "bert_seq2seq_att": {"num_epochs": 3}},
    },
    # The paper: all data, BiLSTM 128 per direction, lr 0.001, 50 epochs, BIEO tags.
    "paper": {
        "pretrain": ["--preset", "base"],
        "overrides": [],
        "arguments": {"num_epochs": 50, "hidden_dim": 128, "tag_scheme": "BIEO"},
        "per_system": {},
    },
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", choices=sorted(DATASETS))
    parser.add_argument("preset", choices=sorted(PRESETS))
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--output", type=Path, help="default: results/<dataset>-<preset>")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset")
    for model in PRETRAINED:
        parser.add_argument(f"--{model}", type=Path,
                            help=f"use this pretrained {model} instead of pretraining one")
    parser.add_argument("--epochs", type=int, help="override every system's epochs")
    parser.add_argument("--max-sentences", type=int,
                        help="read at most this many sentences per file (overrides the preset)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args(argv)
    args.output = args.output or ROOT / "results" / f"{args.dataset}-{args.preset}"
    args.planned = set()  # pretrained folders made (or, in a dry run, announced) in this run
    unknown = set(args.systems.split(",")) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
    return args


def nerkit(*arguments: str | Path) -> list[str]:
    return [sys.executable, "-m", "nerkit", *(str(a) for a in arguments)]


def run(command: list[str], dry_run: bool, step: str | None = None,
        output: Path | None = None) -> None:
    """Run one step; with ``step``, add its wall time to ``output/wall_time.json``."""
    print("+ " + " ".join(command), flush=True)
    if dry_run:
        return
    start = time.monotonic()
    try:
        subprocess.run(command, check=True, cwd=ROOT)
    finally:
        if step is not None and output is not None:
            record_wall_time(output, step, time.monotonic() - start)


def record_wall_time(output: Path, step: str, seconds: float) -> None:
    """Add ``seconds`` to ``step`` (and the total) in ``output/wall_time.json``."""
    path = output / "wall_time.json"
    record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {
        "seconds": {}, "total_seconds": 0.0}
    record["seconds"][step] = round(record["seconds"].get(step, 0.0) + seconds, 1)
    record["total_seconds"] = round(sum(record["seconds"].values()), 1)
    output.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def config_parameters(config: Path) -> set[str]:
    """Names of the top-level function's parameters of a Jsonnet config."""
    text = re.sub(r"//[^\n]*", "", config.read_text(encoding="utf-8"))
    match = re.search(r"^function\s*\((.*?)\)\s*$", text, re.S | re.M)
    if match is None:
        return set()
    return set(re.findall(r"(?:^|,)\s*([A-Za-z_]\w*)\s*(?==|,|$)", match.group(1).strip()))


def pretrained(args: argparse.Namespace, model: str) -> Path:
    """The pretrained ``model`` folder: given on the command line, or made (once) here."""
    given = getattr(args, model.replace("-", "_"))
    if given is not None:
        return given
    target = args.output / "pretrained" / model
    if not target.is_dir() and target not in args.planned:
        text, reader = DATASETS[args.dataset]
        verb, flags = PRETRAINED[model]
        command = nerkit("pretrain", verb, args.data_dir / text, "--reader", reader, "-o", target,
                         *PRESETS[args.preset]["pretrain"], *flags)
        if (target.with_name(f"{model}.partial") / "checkpoint").is_dir():
            command.append("--resume")
        run(command, args.dry_run, f"pretrain {model}", args.output)
        args.planned.add(target)
    return target


def system_arguments(args: argparse.Namespace, system: str) -> dict[str, object]:
    preset = PRESETS[args.preset]
    values: dict[str, object] = {"dataset": args.dataset, "data_dir": args.data_dir,
                                 **preset["arguments"], **preset["per_system"].get(system, {})}
    if args.epochs is not None:
        values["num_epochs"] = args.epochs
    for model, files in RESOURCES.get(system, []):
        folder = pretrained(args, model)
        values.update({name: folder / file if file else folder for name, file in files.items()})
    return values


def train_command(args: argparse.Namespace, system: str, run_dir: Path) -> list[str] | None:
    """``nerkit train`` for one system, or None when its run already finished."""
    if (run_dir / "model.tar.gz").is_file():
        print(f"= {system}: finished run in {run_dir}, skipped", flush=True)
        return None
    config = CONFIGS / f"{system}.jsonnet"
    accepted = config_parameters(config)
    command = nerkit("train", config, "-s", run_dir)
    for name, value in system_arguments(args, system).items():
        if name in accepted:
            command += ["--arg", f"{name}={value}"]
        else:
            print(f"! {config.name} takes no argument {name!r}; not passed", flush=True)
    overrides = list(PRESETS[args.preset]["overrides"])
    if args.max_sentences is not None:
        overrides.append(f"dataset_reader.max_sentences={args.max_sentences}")
    for override in overrides:
        command += ["-o", override]
    if (run_dir / "checkpoints" / "latest.json").is_file():
        command.append("--recover")
    elif run_dir.is_dir() and any(run_dir.iterdir()):
        command.append("--force")  # stopped before its first checkpoint: nothing to resume
    return command


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # a stopped run (SIGTERM) still records the time its current step had taken
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    systems = [s for s in args.systems.split(",") if s]
    missing = [s for s in systems if not (CONFIGS / f"{s}.jsonnet").is_file()]
    if missing:
        print(f"missing configs, skipped: {missing}", file=sys.stderr)
    runs = []
    for system in (s for s in systems if s not in missing):
        run_dir = args.output / "runs" / system
        command = train_command(args, system, run_dir)
        if command is not None:
            run(command, args.dry_run, f"train {system}", args.output)
        runs.append(run_dir)
    if runs:
        run(nerkit("compare", *runs, "-o", args.output / "table.md"), args.dry_run)
        run(nerkit("compare", *runs, "--format", "csv", "-o", args.output / "table.csv"),
            args.dry_run)
        run(nerkit("plot", *runs, "-o", args.output / "dev_f1.png",
                   "--title", f"{args.dataset} ({args.preset})"), args.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
