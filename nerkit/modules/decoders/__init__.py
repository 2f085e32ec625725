"""Decoders (label layer + loss + decoding).

Registered names (see also `nerkit list decoders`):

* ``softmax``: per-character classification (SoftmaxDecoder).
* ``crf``: linear-chain CRF with scheme-constrained transitions (CrfDecoder).
* ``attention_lstm``: the paper's attention LSTM decoder, greedy or beam search
  (AttentionLstmDecoder).
"""

from nerkit.modules.decoders.attention_lstm import AttentionLstmDecoder
from nerkit.modules.decoders.crf import CrfDecoder
from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.softmax import SoftmaxDecoder

__all__ = ["AttentionLstmDecoder", "CrfDecoder", "Decoder", "SoftmaxDecoder"]
