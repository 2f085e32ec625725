"""Reference peer: sklearn-crfsuite, a linear-chain CRF on character window features.

Features of position i: the characters at offsets -2..+2 and the bigrams of neighbouring
offsets inside that window (plus sentence-boundary markers). L-BFGS with c1 = c2 = 0.1; one
"epoch" here is the whole training run (``--crf-iterations`` L-BFGS iterations).
"""

from __future__ import annotations

from importlib.metadata import version

from common import (
    Corpus,
    bio_to_spans,
    emit,
    latency_ms,
    prediction_record,
    read_bio,
    runner_arguments,
    set_threads,
    spans_to_bio,
    timed,
    training_record,
)

WINDOW = 2


def features(chars: list[str]) -> list[dict[str, float]]:
    padded = ["<s>"] * WINDOW + list(chars) + ["</s>"] * WINDOW
    rows = []
    for i in range(len(chars)):
        center = i + WINDOW
        row = {"bias": 1.0}
        for offset in range(-WINDOW, WINDOW + 1):
            row[f"c[{offset}]={padded[center + offset]}"] = 1.0
        for offset in range(-WINDOW, WINDOW):
            bigram = padded[center + offset] + padded[center + offset + 1]
            row[f"b[{offset}]={bigram}"] = 1.0
        rows.append(row)
    return rows


def predict_spans(crf, corpus: Corpus) -> list:
    tag_rows = crf.predict([features(chars) for chars in corpus.chars])
    return [bio_to_spans(tags) for tags in tag_rows]


def main() -> None:
    parser = runner_arguments(__doc__)
    parser.add_argument("--crf-iterations", type=int, default=100)
    args = parser.parse_args()
    set_threads(args.threads)
    import sklearn_crfsuite

    train, dev = read_bio(args.train), read_bio(args.dev)
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1,
                               max_iterations=args.crf_iterations)

    def fit() -> None:
        x = [features(chars) for chars in train.chars]
        y = [spans_to_bio(spans, len(chars)) for chars, spans in zip(train.chars, train.spans)]
        crf.fit(x, y)

    _, train_seconds = timed(fit)
    predicted, seconds = timed(lambda: predict_spans(crf, dev))
    one = lambda chars: predict_spans(crf, Corpus([chars], [[]]))  # noqa: E731
    record = {"system": "sklearn-crfsuite", "version": version("sklearn-crfsuite"),
              "crf_iterations": args.crf_iterations}
    record.update(training_record(train, [train_seconds]))
    record.update(prediction_record(dev, predicted, seconds))
    record["latency_ms_batch1"] = latency_ms(one, dev.chars[: args.latency_sentences])
    emit(record)


if __name__ == "__main__":
    main()
