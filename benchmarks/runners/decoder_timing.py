"""Timing the paper's decoder against a softmax head behind a random BERT-small (issue #14).

Shared by ``benchmarks/decoder_speed.py`` (its ``bert`` section) and the bench's
``bert_decoder_runner.py``; needs torch and transformers (nerkit's venv), no download.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping

import torch

from nerkit.data.batching import batch_indices
from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.vocabulary import Vocabulary
from nerkit.modules.decoders import AttentionLstmDecoder, SoftmaxDecoder
from nerkit.modules.token_embedders.embedding import Embedding

# decoders timed behind the BERT: name -> beam size of the attention decoder (None: softmax)
BERT_DECODERS = {"softmax": None, "greedy": 1, "beam4": 4}


def measure(functions: Mapping[str, Callable[[], object]], repeats: int, calls: int,
            clock: Callable[[], float] = time.process_time) -> dict[str, float]:
    """Median milliseconds per call of each function, interleaved, after one warm-up call each."""
    for function in functions.values():
        function()
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            begin = clock()
            for _ in range(calls):
                function()
            samples[name].append((clock() - begin) / calls * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


class RandomBertEncoder(torch.nn.Module):
    """A random BERT of ``shape`` over character ids (``nerkit.testing.tiny_transformer``'s
    keyword names: hidden_size, num_layers, num_heads, intermediate_size,
    max_position_embeddings)."""

    def __init__(self, vocab: Vocabulary, shape: Mapping[str, int]) -> None:
        super().__init__()
        from transformers import BertConfig, BertModel

        config = BertConfig(vocab_size=len(vocab), hidden_size=shape["hidden_size"],
                            num_hidden_layers=shape["num_layers"],
                            num_attention_heads=shape["num_heads"],
                            intermediate_size=shape["intermediate_size"],
                            max_position_embeddings=shape["max_position_embeddings"])
        torch.manual_seed(0)
        self.bert = BertModel(config, add_pooling_layer=False).eval()

    def forward(self, token_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=token_ids, attention_mask=mask.long()).last_hidden_state


def bert_decoder_times(path: str, sentences: int, repeats: int, shape: Mapping[str, int],
                       clock: Callable[[], float] = time.process_time) -> tuple[int, dict]:
    """Milliseconds to predict the first ``sentences`` of the BIO file ``path`` (batch 64,
    length-bucketed) with each of ``BERT_DECODERS`` behind one random BERT; returns the number
    of sentences read and the times (the attention decoder's weights are random too)."""
    corpus = ConllDatasetReader(tag_scheme="BIO", max_sentences=sentences or None).read(path)
    vocab = Vocabulary.from_sentences(corpus, tag_scheme="BIEO")
    lengths = [len(s) for s in corpus]
    batches = [[corpus[i] for i in b] for b in batch_indices(lengths, 64, "bucket", False, 0)]
    featurizer = Embedding(vocab, embedding_dim=8)
    encoder = RandomBertEncoder(vocab, shape)
    width = shape["hidden_size"]
    torch.manual_seed(1)
    softmax = SoftmaxDecoder(vocab, width).eval()
    attention = AttentionLstmDecoder(vocab, width, hidden_dim=128).eval()

    def predict(beam_size: int | None) -> Callable[[], None]:
        def run() -> None:
            with torch.inference_mode():
                for batch in batches:
                    ids = featurizer.featurize([s.chars for s in batch])["token_ids"]
                    mask = ids != 0
                    encoded = encoder(ids, mask)
                    if beam_size is None:
                        softmax.decode(encoded, mask)
                    else:
                        attention.search(encoded, mask, beam_size=beam_size)
        return run

    functions = {name: predict(beam) for name, beam in BERT_DECODERS.items()}
    return len(corpus), measure(functions, repeats, 1, clock)
