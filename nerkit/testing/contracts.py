"""Shared checks every token embedder and Seq2Seq encoder must pass.

Each check puts the module in eval mode (no dropout) to compare outputs, then back in train
mode to check that a loss reaches every trainable parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from nerkit.modules.seq2seq_encoders.seq2seq_encoder import Seq2SeqEncoder
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder


def lengths_to_mask(lengths: Sequence[int]) -> torch.Tensor:
    """A (len(lengths), max(lengths)) bool mask, True at real positions."""
    lengths_tensor = torch.as_tensor(list(lengths), dtype=torch.long)
    return torch.arange(int(lengths_tensor.max())).unsqueeze(0) < lengths_tensor.unsqueeze(1)


def assert_token_embedder_contract(
    embedder: TokenEmbedder, sentences: Sequence[Sequence[str]], atol: float = 1e-5
) -> None:
    """Shape (B, T, out); batch padding changes no real position; gradients reach parameters.

    ``sentences`` should have different lengths, so that some are padded in the batch.
    """
    mask = lengths_to_mask([len(s) for s in sentences])
    embedder.eval()
    with torch.no_grad():
        batched = embedder(embedder.featurize(sentences), mask)
        assert batched.shape == (len(sentences), mask.size(1), embedder.get_output_dim())
        for row, chars in enumerate(sentences):
            alone = embedder(embedder.featurize([chars]), lengths_to_mask([len(chars)]))
            torch.testing.assert_close(batched[row, : len(chars)], alone[0], atol=atol, rtol=0)
    embedder.train()
    output = embedder(embedder.featurize(sentences), mask)
    assert_gradients_reach_parameters(embedder, output, mask)


def assert_seq2seq_encoder_contract(
    encoder: Seq2SeqEncoder, lengths: Sequence[int] = (5, 2, 3), atol: float = 1e-5
) -> None:
    """Shape (B, T, out); padding (filled with noise) changes no real position; gradients flow."""
    mask = lengths_to_mask(lengths)
    inputs = torch.randn(len(lengths), mask.size(1), encoder.get_input_dim())
    encoder.eval()
    with torch.no_grad():
        batched = encoder(inputs, mask)
        assert batched.shape == (len(lengths), mask.size(1), encoder.get_output_dim())
        for row, length in enumerate(lengths):
            alone = encoder(inputs[row : row + 1, :length], lengths_to_mask([length]))
            torch.testing.assert_close(batched[row, :length], alone[0], atol=atol, rtol=0)
    encoder.train()
    assert_gradients_reach_parameters(encoder, encoder(inputs, mask), mask)


def assert_gradients_reach_parameters(
    module: torch.nn.Module, output: torch.Tensor, mask: torch.Tensor
) -> None:
    """A loss on the real positions of ``output`` gives every trainable parameter a gradient."""
    module.zero_grad()
    if output.requires_grad:
        weights = torch.randn_like(output)  # random weights so no gradient cancels by symmetry
        (output * weights * mask.unsqueeze(-1)).sum().backward()
    missing = [
        name for name, parameter in module.named_parameters()
        if parameter.requires_grad and not _has_gradient(parameter.grad)
    ]
    assert not missing, f"no gradient reached: {', '.join(missing)}"


def _has_gradient(grad: torch.Tensor | None) -> bool:
    if grad is None:
        return False
    return bool((grad.coalesce().values() if grad.is_sparse else grad).any())
