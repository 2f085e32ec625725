"""Decoders (label layer + loss + decoding).

Registered names (see also `nerkit list decoders`):

* ``softmax``: per-character classification (SoftmaxDecoder).
* ``crf``: linear-chain CRF with scheme-constrained transitions (CrfDecoder).
"""

from nerkit.modules.decoders.crf import CrfDecoder
from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.softmax import SoftmaxDecoder

__all__ = ["CrfDecoder", "Decoder", "SoftmaxDecoder"]
