"""Seq2Seq encoders. Registered names: lstm, gru, pass_through."""

from nerkit.modules.seq2seq_encoders.pass_through import PassThroughSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.rnn import GruSeq2SeqEncoder, LstmSeq2SeqEncoder
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder

__all__ = ["GruSeq2SeqEncoder", "LstmSeq2SeqEncoder", "PassThroughSeq2SeqEncoder", "Seq2SeqEncoder"]
