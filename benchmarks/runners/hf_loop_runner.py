"""Reference for ``bert_softmax``: the plain Hugging Face fine-tuning loop a user would write.

``AutoModelForTokenClassification`` on the same local BERT, one token per character
(``[CLS] chars [SEP]``, sentences cut to the model's positions), AdamW with nerkit's recipe
(``--bert-lr`` for BERT, ``--head-lr`` for the classifier), batches of ``--batch-size``
sentences drawn at random and padded to the longest, BIO labels. Runs in nerkit's venv
(transformers is nerkit's dependency), so both sides use the same torch and transformers.
"""

from __future__ import annotations

import random

from common import (
    Corpus,
    bio_to_spans,
    emit,
    latency_ms,
    prediction_record,
    read_bio,
    runner_arguments,
    set_threads,
    timed,
    training_record,
)


def labels_of(corpus: Corpus) -> list[str]:
    """``O`` and ``B-X``/``I-X`` for every entity type of the corpus."""
    types = sorted({label for spans in corpus.spans for _, _, label in spans})
    return ["O", *(f"{prefix}-{t}" for t in types for prefix in ("B", "I"))]


def main() -> None:
    parser = runner_arguments(__doc__)
    parser.add_argument("--bert", required=True, help="a local BERT directory")
    parser.add_argument("--bert-lr", type=float, default=2e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    set_threads(args.threads)
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train, dev = read_bio(args.train), read_bio(args.dev)
    labels = labels_of(train)
    label_index = {label: i for i, label in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(args.bert)
    model = AutoModelForTokenClassification.from_pretrained(args.bert, num_labels=len(labels))
    longest = model.config.max_position_embeddings - 2

    def encode(chars: list[str]) -> list[int]:
        ids = tokenizer.convert_tokens_to_ids(chars[:longest])
        return [tokenizer.cls_token_id, *ids, tokenizer.sep_token_id]

    def tag_ids(chars: list[str], spans) -> list[int]:
        tags = ["O"] * len(chars)
        for start, end, label in spans:
            tags[start] = f"B-{label}"
            tags[start + 1 : end] = [f"I-{label}"] * (end - start - 1)
        return [-100, *(label_index[t] for t in tags[:longest]), -100]

    def padded(rows: list[list[int]], value: int) -> torch.Tensor:
        width = max(len(r) for r in rows)
        return torch.tensor([r + [value] * (width - len(r)) for r in rows])

    head = [p for n, p in model.named_parameters() if n.startswith("classifier")]
    body = [p for n, p in model.named_parameters() if not n.startswith("classifier")]
    optimizer = torch.optim.AdamW([{"params": body, "lr": args.bert_lr},
                                   {"params": head, "lr": args.head_lr}])
    inputs = [encode(chars) for chars in train.chars]
    targets = [tag_ids(chars, spans) for chars, spans in zip(train.chars, train.spans)]
    order = list(range(len(train)))
    rng = random.Random(args.seed)

    def epoch() -> None:
        model.train()
        rng.shuffle(order)
        for start in range(0, len(order), args.batch_size):
            batch = order[start : start + args.batch_size]
            ids = padded([inputs[i] for i in batch], tokenizer.pad_token_id)
            loss = model(input_ids=ids, attention_mask=ids != tokenizer.pad_token_id,
                         labels=padded([targets[i] for i in batch], -100)).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def predict(sentences: list[list[str]]) -> list:
        model.eval()
        spans = []
        with torch.inference_mode():
            for start in range(0, len(sentences), args.predict_batch_size):
                chunk = sentences[start : start + args.predict_batch_size]
                ids = padded([encode(chars) for chars in chunk], tokenizer.pad_token_id)
                best = model(input_ids=ids, attention_mask=ids != tokenizer.pad_token_id).logits
                for chars, row in zip(chunk, best.argmax(-1).tolist()):
                    spans.append(bio_to_spans([labels[i] for i in row[1 : len(chars) + 1]]))
        return spans

    epoch_seconds = [timed(epoch)[1] for _ in range(args.epochs)]
    predicted, seconds = timed(lambda: predict(dev.chars))
    record = {"system": "transformers AutoModelForTokenClassification loop",
              "version": __import__("transformers").__version__}
    record.update(training_record(train, epoch_seconds))
    record.update(prediction_record(dev, predicted, seconds))
    record["latency_ms_batch1"] = latency_ms(lambda chars: predict([chars]),
                                             dev.chars[: args.latency_sentences])
    emit(record)


if __name__ == "__main__":
    main()
