"""``compose``: several encoders applied in sequence; each takes the previous one's output."""

from __future__ import annotations

from typing import cast

import torch

from nerkit.common.errors import ConfigurationError
from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder


@Seq2SeqEncoder.register("compose")
class ComposeSeq2SeqEncoder(Seq2SeqEncoder):
    """Runs ``encoders`` one after another (e.g. a CNN, then a BiLSTM).

    Dimensions flow inside the list: the first encoder's ``input_dim`` comes from the embedder,
    each later one's from the encoder before it, so no ``input_dim`` needs writing.

    Args:
        encoders: At least one encoder; output size of each must be the next one's input size.

    Registered as `seq2seq_encoders: compose`.
    """

    dimension_flow = ("encoders",)

    def __init__(self, encoders: list[Seq2SeqEncoder]) -> None:
        super().__init__()
        if not encoders:
            raise ConfigurationError("encoders must list at least one encoder")
        for index, (before, after) in enumerate(zip(encoders, encoders[1:])):
            if before.get_output_dim() != after.get_input_dim():
                raise ConfigurationError(
                    f"encoder {index} outputs {before.get_output_dim()} but encoder {index + 1} "
                    f"takes {after.get_input_dim()}"
                )
        self.encoders = torch.nn.ModuleList(encoders)

    # torch types a ModuleList's items as Modules; these are the encoders given to __init__
    def get_input_dim(self) -> int:
        return cast(Seq2SeqEncoder, self.encoders[0]).get_input_dim()

    def get_output_dim(self) -> int:
        return cast(Seq2SeqEncoder, self.encoders[-1]).get_output_dim()

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for encoder in self.encoders:
            inputs = encoder(inputs, mask)
        return inputs
