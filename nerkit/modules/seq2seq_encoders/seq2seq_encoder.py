"""Seq2SeqEncoder base: (batch, seq_len, input_dim) -> (batch, seq_len, output_dim) under a mask."""

from __future__ import annotations

import torch

from nerkit.common.component import Component


class Seq2SeqEncoder(torch.nn.Module, Component):
    """Contextualises character vectors. ``input_dim`` flows from the upstream component.

    Padded positions (``mask`` False) must not change the outputs at real positions.
    """

    registry_name = "seq2seq_encoders"

    def get_input_dim(self) -> int:
        raise NotImplementedError

    def get_output_dim(self) -> int:
        raise NotImplementedError

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``inputs``: (batch, seq_len, input_dim); ``mask``: (batch, seq_len) bool."""
        raise NotImplementedError
