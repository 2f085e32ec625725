"""The paper's embedder ablation on a fixed budget: pretrained vs randomly initialised vectors.

    python benchmarks/embedder_ablation.py --pretrained runs/pretrained --output results/ablation

Trains ``word2vec_seq2seq_att``, ``elmo_seq2seq_att`` and ``bert_seq2seq_att`` twice each, once
with the embedders made by ``nerkit pretrain`` (``<pretrained>/{word2vec,elmo,bert}``) and once
with the same architectures randomly initialised (word2vec: a random table; ELMo and BERT: the
same options/config and vocabulary with fresh random weights), all under one budget
(``--max-sentences`` training sentences, ``--epochs`` epochs), then writes ``table.md``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def random_elmo(pretrained: Path, target: Path, seed: int = 0) -> Path:
    """Copy of an ELMo model whose every weight is redrawn with the original's mean and std."""
    import h5py

    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(pretrained / "options.json", target / "options.json")
    rng = np.random.default_rng(seed)
    with h5py.File(pretrained / "weights.hdf5", "r") as source, \
            h5py.File(target / "weights.hdf5", "w") as out:
        def copy(name: str, item: object) -> None:
            if isinstance(item, h5py.Dataset):
                values = item[()]
                if values.dtype.kind == "f" and values.size > 1:
                    values = rng.normal(values.mean(), values.std() or 0.02, values.shape)
                out.create_dataset(name, data=np.asarray(values, dtype=item.dtype))
        source.visititems(copy)
    return target


def random_bert(pretrained: Path, target: Path, seed: int = 0) -> Path:
    """The same BertConfig and tokenizer with freshly initialised weights."""
    import torch
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    model = AutoModel.from_config(AutoConfig.from_pretrained(pretrained))
    model.save_pretrained(target)
    AutoTokenizer.from_pretrained(pretrained).save_pretrained(target)
    return target


def train(config: str, run: Path, arguments: dict[str, str], budget: argparse.Namespace) -> None:
    if (run / "model.tar.gz").is_file():
        return
    command = [sys.executable, "-m", "nerkit", "train", str(ROOT / "training_configs" / config),
               "-s", str(run), "--force",
               "--arg", f"train_path={budget.data_dir / 'msra' / 'train.bio'}",
               "--arg", f"validation_path={budget.data_dir / 'msra' / 'dev.bio'}",
               "--arg", f"num_epochs={budget.epochs}",
               "-o", f"dataset_reader.max_sentences={budget.max_sentences}",
               "-o", "validation_dataset_reader={\"type\": \"conll\"}",
               "-o", "trainer.train_metrics=false"]
    for key, value in arguments.items():
        command += ["--arg", f"{key}={value}"]
    print(" ".join(command), flush=True)
    subprocess.run(command, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pretrained", type=Path, default=ROOT / "runs" / "pretrained")
    parser.add_argument("--output", type=Path, default=ROOT / "results" / "ablation")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--max-sentences", type=int, default=5000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--only", help="embedders to train now, e.g. word2vec,bert")
    args = parser.parse_args()
    wanted = set((args.only or "word2vec,elmo,bert").split(","))
    random_dir = args.output / "random_embedders"
    elmo = args.pretrained / "elmo"
    elmo_random = random_dir / "elmo"
    if "elmo" in wanted:
        random_elmo(elmo, elmo_random)
    bert_random = random_dir / "bert"
    if "bert" in wanted:
        random_bert(args.pretrained / "bert", bert_random)
    # the word2vec config's CPU recipe off, so all three embedders train alike (paper settings)
    paper = {"bigrams": "false", "lr": "0.001", "decay": "null", "max_minutes": "null"}
    grid = {
        "word2vec_pretrained": ("word2vec_seq2seq_att.jsonnet",
                                {"vectors": str(args.pretrained / "word2vec" / "vectors.txt"),
                                 **paper}),
        "word2vec_random": ("word2vec_seq2seq_att.jsonnet", paper),
        "elmo_pretrained": ("elmo_seq2seq_att.jsonnet",
                            {"elmo_options": str(elmo / "options.json"),
                             "elmo_weights": str(elmo / "weights.hdf5")}),
        "elmo_random": ("elmo_seq2seq_att.jsonnet",
                        {"elmo_options": str(elmo_random / "options.json"),
                         "elmo_weights": str(elmo_random / "weights.hdf5")}),
        "bert_pretrained": ("bert_seq2seq_att.jsonnet", {"bert": str(args.pretrained / "bert")}),
        "bert_random": ("bert_seq2seq_att.jsonnet", {"bert": str(bert_random)}),
    }
    runs = []
    for name, (config, arguments) in grid.items():
        if name.split("_")[0] in wanted:
            train(config, args.output / name, arguments, args)
        if (args.output / name / "metrics.json").is_file():
            runs.append(str(args.output / name))
    table = subprocess.run([sys.executable, "-m", "nerkit", "compare", *runs, "--format", "md"],
                           check=True, capture_output=True, text=True).stdout
    (args.output / "table.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
