"""The paper's decoder behind a random BERT-small: prediction time of greedy search, beam 4
and a softmax head on the same encoder outputs (issue #14: the encoder dominates there).

Times the first ``--sentences`` development sentences at batch 64 (length-bucketed), each
decoder interleaved over ``--repeats`` passes after a warm-up pass, in wall-clock seconds
like the rest of the bench. Nothing is trained: the BERT and both heads are random.
"""

from __future__ import annotations

import json
import time

from common import emit, runner_arguments, set_threads


def main() -> None:
    parser = runner_arguments(__doc__)
    parser.add_argument("--sentences", type=int, default=500, help="0: every dev sentence")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--bert-shape", required=True, type=json.loads,
                        help="JSON: hidden_size, num_layers, num_heads, intermediate_size, "
                        "max_position_embeddings")
    args = parser.parse_args()
    set_threads(args.threads)
    import torch
    from decoder_timing import BERT_DECODERS, bert_decoder_times

    torch.set_num_threads(args.threads)
    count, times = bert_decoder_times(args.dev, args.sentences, args.repeats, args.bert_shape,
                                      time.perf_counter)
    shape = args.bert_shape
    variants = {}
    for name, beam in BERT_DECODERS.items():
        seconds = times[name] / 1000
        decoder = {"type": "softmax"} if beam is None else {"type": "attention_lstm",
                                                             "beam_size": beam}
        variants[name] = {"decoder": decoder, "predict_seconds": round(seconds, 6),
                          "predict_sentences_per_s": count / seconds}
    emit({"system": f"random BERT {shape['num_layers']}x{shape['hidden_size']} + decoder",
          "dev_sentences": count, "repeats": args.repeats, "decoder_variants": variants})


if __name__ == "__main__":
    main()
