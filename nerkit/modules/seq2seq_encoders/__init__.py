"""Seq2Seq encoders. Registered names: cnn, compose, gru, lstm, pass_through, transformer."""

from nerkit.modules.seq2seq_encoders.cnn import CnnSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.compose import ComposeSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.pass_through import PassThroughSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.rnn import GruSeq2SeqEncoder, LstmSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder
from nerkit.modules.seq2seq_encoders.transformer import TransformerSeq2SeqEncoder

__all__ = [
    "CnnSeq2SeqEncoder",
    "ComposeSeq2SeqEncoder",
    "GruSeq2SeqEncoder",
    "LstmSeq2SeqEncoder",
    "PassThroughSeq2SeqEncoder",
    "Seq2SeqEncoder",
    "TransformerSeq2SeqEncoder",
]
