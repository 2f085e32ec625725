"""Speed, memory and accuracy of nerkit against reference peers on MSRA, in one run.

    python benchmarks/bench.py                   # quick: subsets, a few minutes per system
    python benchmarks/bench.py --full            # whole train/dev files (long)
    python benchmarks/bench.py --systems bilstm_crf --no-peers
    python benchmarks/bench.py --full --dataset msra,pd1998 --systems crf  # one report

Every system runs in its own subprocess (benchmarks/runners/*.py) one after another, so peak
RSS is that process's own and no two measurements share the CPUs. Each trains ``--epochs``
epochs on the first ``--train-sentences`` training sentences (timing each epoch), then
predicts the first ``--dev-sentences`` development sentences at batch 64 (throughput, span
F1) and ``--latency-sentences`` of them one at a time (latency); ``nerkit benchmark`` then
measures each archive's characters/s at batch 64 in a process that only predicts. The
attention decoder is also timed behind a random BERT-small, and trained against a softmax
head on the same encoder. Peers (flair,
sklearn-crfsuite) run from their own venv, benchmarks/.peers-venv, built on first use by
benchmarks/peers/setup_venv.sh. Results: benchmarks/results/<UTC time>.json and .md, with
nerkit/peer ratios checked against the targets in benchmarks/targets.py.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from report import machine_info, write_results  # noqa: E402
from systems import Job, build_bert, jobs_for  # noqa: E402

PEERS_VENV = HERE / ".peers-venv"
# dataset -> (train file, dev file, reader); non-BIO corpora are converted to BIO first
DATASETS = {
    "msra": ("train.bio", "dev.bio", None),
    "pd1998": ("199801-train.txt", "199801-dev.txt", "pfr1998"),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=dataset_list, default=["msra"],
                        help="msra (BIO files) or pd1998 (converted to BIO with nerkit's "
                        "pfr1998 reader first, so every system reads the same spans); several, "
                        "comma-separated, run one after another into one report")
    parser.add_argument("--data", type=Path,
                        help="folder with the dataset's files (default: ../shared/data/DATASET; "
                        "one dataset only)")
    parser.add_argument("--systems", default="bilstm_crf,crf,attention_lstm,bert_softmax",
                        help="comma-separated: bilstm_crf, crf, attention_lstm, bert_softmax")
    parser.add_argument("--train-sentences", type=int, default=5000)
    parser.add_argument("--dev-sentences", type=int, default=2000)
    parser.add_argument("--latency-sentences", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=3, help="training epochs per system")
    parser.add_argument("--attention-epochs", type=int, default=1,
                        help="epochs for the attention_lstm decoder comparison (speed only)")
    parser.add_argument("--bert-decoder-sentences", type=int, default=500,
                        help="dev sentences decoded behind the random BERT in the attention_lstm "
                        "comparison (0: all; --full does not change it)")
    parser.add_argument("--crf-iterations", type=int, default=100,
                        help="L-BFGS iterations of sklearn-crfsuite")
    parser.add_argument("--crf-epochs", type=int,
                        help="epochs of nerkit's crf (default: --epochs)")
    parser.add_argument("--bert-epochs", type=int, default=1,
                        help="epochs of the bert_softmax fine-tuning comparison (speed)")
    parser.add_argument("--bert-train-sentences", type=int,
                        help="train both sides of the bert_softmax comparison on the first N "
                        "training sentences only (a throughput; default: as every system)")
    parser.add_argument("--bert-lr", type=float, default=5e-4,
                        help="BERT learning rate on both sides of the bert_softmax comparison "
                        "(its BERT is random: 2e-5 would leave both at dev F1 0)")
    parser.add_argument("--full", action="store_true",
                        help="use every training and development sentence")
    parser.add_argument("--threads", type=int, default=2, help="torch/BLAS threads per system")
    parser.add_argument("--no-peers", action="store_true", help="run nerkit's side only")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per system")
    parser.add_argument("--output-dir", type=Path, default=HERE / "results")
    parser.add_argument("--python", default=sys.executable, help="python that has nerkit")
    args = parser.parse_args(argv)
    if args.data is not None and len(args.dataset) > 1:
        parser.error("--data names one dataset's folder; give a single --dataset with it")
    args.data = {name: args.data or ROOT.parent / "shared" / "data" / name
                 for name in args.dataset}
    args.crf_epochs = args.crf_epochs or args.epochs
    if args.full:
        args.train_sentences = args.dev_sentences = 0
    args.bert_train = None  # main writes a smaller training file for --bert-train-sentences
    return args


def dataset_list(value: str) -> list[str]:
    """``msra,pd1998`` -> ``["msra", "pd1998"]``, each a known dataset."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in DATASETS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown dataset {', '.join(unknown) or value!r}; choose from {', '.join(DATASETS)}"
        )
    return list(dict.fromkeys(names))


def write_subset(source: Path, target: Path, limit: int) -> int:
    """Copy the first ``limit`` sentences (all when 0) of a blank-line separated file."""
    count = 0
    with open(source, encoding="utf-8") as reader, open(target, "w", encoding="utf-8") as writer:
        for line in reader:
            if not line.strip():
                count += 1
                if limit and count >= limit:
                    writer.write("\n")
                    break
            writer.write(line)
    return count


def convert_to_bio(args: argparse.Namespace, source: Path, target: Path, reader: str) -> Path:
    """``nerkit convert`` ``source`` (read by ``reader``) into a BIO file every system reads."""
    command = [args.python, "-m", "nerkit", "convert", str(source), str(target),
               "--reader", reader, "--tag-scheme", "BIO"]
    subprocess.run(command, check=True, cwd=ROOT)
    return target


def peer_status(args: argparse.Namespace) -> dict[str, str]:
    """Which peers installed (builds the peers venv the first time)."""
    if args.no_peers:
        return {}
    status_file = PEERS_VENV / "status.json"
    if not status_file.is_file():
        print("building the peers venv (flair, sklearn-crfsuite); this takes a few minutes",
              flush=True)
        subprocess.run(["bash", str(HERE / "peers" / "setup_venv.sh")], check=False)
    if not status_file.is_file():
        return {"flair": "peers venv could not be built", "sklearn-crfsuite": "peers venv "
                "could not be built"}
    return json.loads(status_file.read_text())


def needs_archive(job: Job, archive: Path) -> None:
    """Point ``job`` at the archive of the job it follows, or skip it when there is none."""
    if archive.is_file():
        job.command = job.command + ["--archive", str(archive)]
    else:
        job.skipped = {"error": f"no archive: {job.archive_of} did not finish"}


def run_job(job: Job, workdir: Path, timeout: int) -> dict:
    """Run one runner subprocess; its last stdout line is its JSON record."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = job.command + ["--workdir", str(workdir)]
    print(f"[bench] {job.name}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    with open(workdir / "stdout.log", "w") as out, open(workdir / "stderr.log", "w") as err:
        try:
            code = subprocess.run(command, stdout=out, stderr=err, cwd=ROOT,
                                  timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    wall = time.monotonic() - started
    lines = (workdir / "stdout.log").read_text().strip().splitlines()
    if code != 0 or not lines:
        tail = (workdir / "stderr.log").read_text().strip().splitlines()[-3:]
        return {"name": job.name, "error": f"exit {code}: {' | '.join(tail)}",
                "wall_seconds": wall}
    record = json.loads(lines[-1])
    record.update(name=job.name, wall_seconds=round(wall, 1))
    return record


def prepare_data(args: argparse.Namespace, dataset: str, data: Path) -> tuple[Path, Path, dict]:
    """The train and dev BIO files every system of ``dataset`` reads, and their sizes."""
    data.mkdir(parents=True, exist_ok=True)
    train, dev = data / "train.bio", data / "dev.bio"
    train_name, dev_name, reader = DATASETS[dataset]
    sources = {"train": args.data[dataset] / train_name, "dev": args.data[dataset] / dev_name}
    if reader is not None:
        for split, source in sources.items():
            sources[split] = convert_to_bio(args, source, data / f"{split}.full.bio", reader)
    sizes = {"train": write_subset(sources["train"], train, args.train_sentences),
             "dev": write_subset(sources["dev"], dev, args.dev_sentences)}
    if "bert_softmax" in args.systems and args.bert_train_sentences:
        args.bert_train = data / "bert_train.bio"
        sizes["bert_train"] = write_subset(sources["train"], args.bert_train,
                                           args.bert_train_sentences)
    return train, dev, sizes


def run_dataset(
    args: argparse.Namespace, dataset: str, out: Path, peers: dict
) -> tuple[list, dict]:
    """Every job on one dataset (in ``out``); records carry the dataset's name."""
    args.bert_train = None
    train, dev, sizes = prepare_data(args, dataset, out / "data")
    if "bert_softmax" in args.systems:
        args.bert_dir = build_bert(args.python, args.bert_train or train, out / "bert-4x256")
    records = []
    for job in jobs_for(args, train, dev, PEERS_VENV / "bin" / "python", peers):
        if job.archive_of:
            needs_archive(job, out / job.archive_of / "run" / "model.tar.gz")
        record = job.skipped or run_job(job, out / job.name, args.timeout)
        record.setdefault("name", job.name)
        record["dataset"] = dataset
        records.append(record)
        print(f"[bench] {dataset} {job.name}: {json.dumps(record)[:300]}", flush=True)
    return records, sizes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stamp = time.strftime("%Y-%m-%dT%H%MZ", time.gmtime())
    out = ROOT / "benchmarks" / "out" / stamp
    peers = peer_status(args)
    records: list[dict] = []
    sizes: dict[str, dict] = {}
    for dataset in args.dataset:
        folder = out if len(args.dataset) == 1 else out / dataset
        dataset_records, sizes[dataset] = run_dataset(args, dataset, folder, peers)
        records += dataset_records
    settings = {k: str(v) for k, v in vars(args).items()} | {
        "sentences": sizes[args.dataset[0]] if len(args.dataset) == 1 else sizes}
    paths = write_results(args.output_dir, stamp, records, settings, machine_info(), peers)
    print("\n".join(str(p) for p in paths))
    print(paths[1].read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
