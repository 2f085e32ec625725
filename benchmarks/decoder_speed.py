"""Decoder micro-benchmarks: CRF loss+backward vs a naive autograd CRF; attention_lstm
prediction time (greedy, beam 4) vs a softmax head, decoder-only and whole model; whole-model
training step time per decoder; with ``--corpus``, the same embedding + BiLSTM trained and
decoding real sentences (bucketed batches) with each head, as ratios to the softmax head.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/decoder_speed.py [--threads 1] [--repeats 7]
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/decoder_speed.py --sections corpus,bert \
        --corpus ../shared/data/msra/train.bio --sentences 2000 --repeats 3

``bert`` times prediction behind a random 4-layer, 256-wide BERT built locally (no download).

Timings are process CPU time (one thread, so close to wall time on an idle machine and less
disturbed by other processes), medians over repeats of several calls, variants interleaved.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from nerkit.data.batching import batch_indices
from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.models.tagger import Tagger
from nerkit.modules.decoders import AttentionLstmDecoder, CrfDecoder, SoftmaxDecoder
from nerkit.modules.decoders.linear_chain import log_partition, sequence_scores
from nerkit.modules.seq2seq_encoders.rnn import LstmSeq2SeqEncoder
from nerkit.modules.token_embedders.embedding import Embedding

sys.path.insert(0, str(Path(__file__).resolve().parent / "runners"))
from decoder_timing import bert_decoder_times, measure  # noqa: E402
from systems import BERT_SHAPE  # noqa: E402


def naive_log_partition(emissions, transitions, start, end, mask):
    """Textbook log-space forward algorithm; autograd records every step."""
    alpha = start + emissions[:, 0]
    for t in range(1, emissions.size(1)):
        step = torch.logsumexp(alpha.unsqueeze(2) + transitions, dim=1) + emissions[:, t]
        alpha = torch.where(mask[:, t : t + 1], step, alpha)
    return torch.logsumexp(alpha + end, dim=1)


def crf_benchmark(repeats: int) -> None:
    batch, length, labels = 32, 50, 7
    torch.manual_seed(0)
    mask = torch.ones(batch, length, dtype=torch.bool)
    tags = torch.randint(labels, (batch, length))
    params = [torch.randn(batch, length, labels), torch.randn(labels, labels),
              torch.randn(labels), torch.randn(labels)]
    params = [p.requires_grad_() for p in params]

    def step(partition):
        def run():
            nll = partition(*params, mask) - sequence_scores(*params, mask, tags)
            nll.mean().backward()
        return run

    times = measure({"ours": step(log_partition), "naive": step(naive_log_partition)}, repeats, 20)
    print(f"CRF loss+backward B={batch} T={length} L={labels}: ours {times['ours']:.2f} ms, "
          f"naive autograd {times['naive']:.2f} ms, speed-up {times['naive'] / times['ours']:.2f}x")


def decoders(vocab: Vocabulary, input_dim: int) -> dict[str, torch.nn.Module]:
    torch.manual_seed(0)
    return {
        "softmax": SoftmaxDecoder(vocab, input_dim),
        "crf": CrfDecoder(vocab, input_dim),
        "greedy": AttentionLstmDecoder(vocab, input_dim, hidden_dim=128),
        "beam4": AttentionLstmDecoder(vocab, input_dim, hidden_dim=128, beam_size=4),
    }


def report(title: str, times: dict[str, float]) -> None:
    base = times["softmax"]
    cells = ", ".join(f"{n} {t:.1f} ms ({t / base:.2f}x)" for n, t in times.items())
    print(f"{title}: {cells}")


@torch.no_grad()
def decode_benchmark(repeats: int) -> None:
    batch, length, input_dim = 64, 50, 256
    vocab = Vocabulary([chr(0x4E00 + i) for i in range(3000)], ["LOC", "ORG", "PER"], "BIEO")
    mask = torch.ones(batch, length, dtype=torch.bool)
    encoded = torch.randn(batch, length, input_dim)
    heads = {name: d.eval() for name, d in decoders(vocab, input_dim).items()}
    times = measure({n: (lambda d=d: d.decode(encoded, mask)) for n, d in heads.items()},
                    repeats, 5)
    report(f"decoder-only prediction B={batch} T={length} D={input_dim}", times)

    chars = torch.randint(2, len(vocab), (batch, length))
    models = {}
    for name, decoder in heads.items():
        torch.manual_seed(0)
        embedder = Embedding(vocab, embedding_dim=100)
        encoder = LstmSeq2SeqEncoder(100, 128, bidirectional=True)
        models[name] = Tagger(vocab, embedder, encoder, decoder).eval()
    batch_input = {"features": {"token_ids": chars}, "mask": mask}
    times = measure({n: (lambda m=m: m(batch_input, decode=True)) for n, m in models.items()},
                    repeats, 3)
    report("whole model (embedding 100 + BiLSTM 2x128 + decoder) prediction", times)


def training_benchmark(repeats: int) -> None:
    batch, length = 32, 50
    vocab = Vocabulary([chr(0x4E00 + i) for i in range(3000)], ["LOC", "ORG", "PER"], "BIEO")
    mask = torch.ones(batch, length, dtype=torch.bool)
    chars = torch.randint(2, len(vocab), (batch, length))
    tags = torch.randint(vocab.num_labels, (batch, length))
    data = {"features": {"token_ids": chars}, "mask": mask, "tags": tags}
    steps = {}
    for name, decoder in decoders(vocab, 256).items():
        if name == "beam4":
            continue
        torch.manual_seed(0)
        model = Tagger(vocab, Embedding(vocab, embedding_dim=100), LstmSeq2SeqEncoder(100, 128),
                       decoder, dropout=0.5).train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step(model=model, optimizer=optimizer):
            optimizer.zero_grad()
            model(data)["loss"].backward()
            optimizer.step()

        steps[name if name != "greedy" else "attention_lstm"] = step
    report(f"whole model training step B={batch} T={length}", measure(steps, repeats, 2))


def corpus_models(vocab: Vocabulary) -> dict[str, Tagger]:
    """The paper's BiLSTM (embedding 100, 2 x 128) behind each head, same encoder weights."""
    heads = {"softmax": {"type": "softmax"}, "attention_lstm": {"type": "attention_lstm"}}
    models = {}
    for name, block in heads.items():
        torch.manual_seed(0)
        embedder = Embedding(vocab, embedding_dim=100)
        encoder = LstmSeq2SeqEncoder(100, 128, bidirectional=True)
        torch.manual_seed(1)
        decoder = (SoftmaxDecoder(vocab, 256) if block["type"] == "softmax"
                   else AttentionLstmDecoder(vocab, 256, hidden_dim=128))
        models[name] = Tagger(vocab, embedder, encoder, decoder, dropout=0.5)
    return models


def corpus_benchmark(path: str, sentences: int, repeats: int) -> None:
    """Training (batch 32) and prediction (batch 64) passes over real bucketed sentences."""
    corpus = ConllDatasetReader(tag_scheme="BIO", max_sentences=sentences).read(path)
    vocab = Vocabulary.from_sentences(corpus, tag_scheme="BIEO")
    lengths = [len(s) for s in corpus]
    train_batches = [[corpus[i] for i in b] for b in batch_indices(lengths, 32, "bucket", True, 0)]
    test_batches = [[corpus[i] for i in b] for b in batch_indices(lengths, 64, "bucket", False, 0)]
    models = corpus_models(vocab)
    print(f"corpus {path}: {len(corpus)} sentences, {sum(lengths)} characters, "
          f"{vocab.num_labels} labels")

    steps = {}
    for name, model in models.items():
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)

        def epoch(model=model, optimizer=optimizer):
            model.train()
            for sentences in train_batches:
                optimizer.zero_grad()
                model(model.featurize(sentences))["loss"].backward()
                optimizer.step()

        steps[name] = epoch
    times = measure(steps, repeats, 1)
    report("training epoch (batch 32, bucketed)", times)
    print("  sentences/s: " + ", ".join(f"{n} {len(corpus) / t * 1000:.0f}"
                                        for n, t in times.items()))

    trained = models["attention_lstm"].eval()
    softmax = models["softmax"].eval()

    def predict(model: Tagger, beam_size: int | None = None):
        def run():
            with torch.inference_mode():
                for sentences in test_batches:
                    batch = model.featurize(sentences)
                    encoded = model.encode(batch)
                    if beam_size is None:
                        model.decoder.decode(encoded, batch["mask"])
                    else:
                        model.decoder.search(encoded, batch["mask"], beam_size=beam_size)
        return run

    times = measure({"softmax": predict(softmax), "greedy": predict(trained, 1),
                     "beam4": predict(trained, 4)}, repeats, 1)
    report("prediction (batch 64, bucketed)", times)


def bert_benchmark(path: str, sentences: int, repeats: int) -> None:
    """Prediction (batch 64) behind a random BERT-small: each head's time over the softmax's."""
    _, times = bert_decoder_times(path, sentences, repeats, BERT_SHAPE)
    report("prediction behind a random BERT 4 x 256 (batch 64, bucketed)", times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sections", default="crf,decode,training",
                        help="comma-separated: crf, decode, training, corpus, bert")
    parser.add_argument("--corpus", help="a BIO file (MSRA) for the corpus and bert sections")
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} thread(s)")
    sections = set(args.sections.split(","))
    if "crf" in sections:
        crf_benchmark(args.repeats)
    if "decode" in sections:
        decode_benchmark(args.repeats)
    if "training" in sections:
        training_benchmark(args.repeats)
    if "corpus" in sections:
        if not args.corpus:
            parser.error("the corpus section needs --corpus")
        corpus_benchmark(args.corpus, args.sentences, args.repeats)
    if "bert" in sections:
        if not args.corpus:
            parser.error("the bert section needs --corpus")
        bert_benchmark(args.corpus, args.sentences, args.repeats)


if __name__ == "__main__":
    main()
