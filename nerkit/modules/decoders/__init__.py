"""Decoders (label layer + loss + decoding). Registered names: see `nerkit list decoders`."""

from nerkit.modules.decoders.decoder import Decoder
from nerkit.modules.decoders.softmax import SoftmaxDecoder

__all__ = ["Decoder", "SoftmaxDecoder"]
