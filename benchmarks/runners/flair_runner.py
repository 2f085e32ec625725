"""Reference peer: flair's SequenceTagger (BiLSTM-CRF) on characters, run in the peers venv.

Each character is one flair token; token vectors are flair's ``OneHotEmbeddings`` (a trainable
embedding table, 100 dims, trained from scratch: no pretrained vectors, no character LSTM),
hidden size 128, batch 32, and flair's default trainer recipe (shuffled batches, SGD lr 0.1,
gradient norm clipped at 5) written as a plain loop so epochs can be timed exactly.
"""

from __future__ import annotations

import logging
import random

from common import (
    Corpus,
    emit,
    latency_ms,
    prediction_record,
    read_bio,
    runner_arguments,
    set_threads,
    timed,
    training_record,
)


def to_flair(corpus: Corpus, labelled: bool) -> list:
    from flair.data import Sentence

    sentences = []
    for chars, spans in zip(corpus.chars, corpus.spans):
        sentence = Sentence(list(chars))
        if labelled:
            for start, end, label in spans:
                sentence[start:end].add_label("ner", label)
        sentences.append(sentence)
    return sentences


def build_tagger(train: Corpus):
    from flair.data import Dictionary
    from flair.embeddings import OneHotEmbeddings
    from flair.models import SequenceTagger

    characters = Dictionary(add_unk=True)
    for chars in train.chars:
        for char in chars:
            characters.add_item(char)
    labels = Dictionary(add_unk=False)
    labels.span_labels = True
    for label in sorted({s[2] for spans in train.spans for s in spans}):
        labels.add_item(label)
    embeddings = OneHotEmbeddings(characters, embedding_length=100)
    return SequenceTagger(hidden_size=128, embeddings=embeddings, tag_dictionary=labels,
                          tag_type="ner", use_crf=True)


def train_epoch(tagger, optimizer, sentences: list, batch_size: int) -> None:
    import torch

    tagger.train()
    order = random.sample(sentences, len(sentences))
    for begin in range(0, len(order), batch_size):
        batch = order[begin:begin + batch_size]
        optimizer.zero_grad()
        loss, _ = tagger.forward_loss(batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tagger.parameters(), 5.0)
        optimizer.step()
        for sentence in batch:
            sentence.clear_embeddings()


def predict_spans(tagger, corpus: Corpus, batch_size: int) -> list[list[tuple[int, int, str]]]:
    sentences = to_flair(corpus, labelled=False)
    tagger.predict(sentences, mini_batch_size=batch_size, label_name="predicted")
    result = []
    for sentence in sentences:
        spans = []
        for span in sentence.get_spans("predicted"):
            start = span.tokens[0].idx - 1
            spans.append((start, start + len(span.tokens), span.get_label("predicted").value))
        result.append(spans)
    return result


def main() -> None:
    args = runner_arguments(__doc__).parse_args()
    set_threads(args.threads)
    import flair
    import torch

    logging.getLogger("flair").setLevel(logging.WARNING)
    torch.set_num_threads(args.threads)
    flair.set_seed(13)
    train, dev = read_bio(args.train), read_bio(args.dev)
    tagger = build_tagger(train)
    optimizer = torch.optim.SGD(tagger.parameters(), lr=0.1)
    sentences = to_flair(train, labelled=True)
    epoch_seconds = [
        timed(lambda: train_epoch(tagger, optimizer, sentences, args.batch_size))[1]
        for _ in range(args.epochs)
    ]
    tagger.eval()
    predicted, seconds = timed(lambda: predict_spans(tagger, dev, args.predict_batch_size))
    single = Corpus(dev.chars[: args.latency_sentences], dev.spans[: args.latency_sentences])
    one = lambda chars: predict_spans(tagger, Corpus([chars], [[]]), 1)  # noqa: E731
    record = {"system": "flair SequenceTagger", "version": flair.__version__}
    record.update(training_record(train, epoch_seconds))
    record.update(prediction_record(dev, predicted, seconds))
    record["latency_ms_batch1"] = latency_ms(one, single.chars)
    emit(record)


if __name__ == "__main__":
    main()
