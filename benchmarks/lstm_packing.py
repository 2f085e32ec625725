"""Micro-benchmark: a BiLSTM's forward+backward on CPU, packed sequences against padded ones.

    python benchmarks/lstm_packing.py [--threads 1] [--lengths 50,100,200]

On torch 2.13 CPU the backward of a packed LSTM grows quadratically with the batch's length:
every per-step slice of the packed data gets a full-size zero gradient (``aten::fill_`` from
``SliceBackward0``). Running two unidirectional LSTMs on the padded batch, the backward one on
each row reversed within its own length, gives the same outputs at every real position and
stays linear. The script checks the two give the same outputs before timing them.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

BATCH, INPUT, HIDDEN = 32, 100, 128


def packed_bilstm(lstm: torch.nn.LSTM, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    output, _ = lstm(packed)
    return pad_packed_sequence(output, batch_first=True, total_length=x.size(1))[0]


def reversal_index(lengths: torch.Tensor, total: int) -> torch.Tensor:
    """Index reversing each row within its length (padding stays in place)."""
    positions = torch.arange(total).unsqueeze(0)
    reversed_positions = lengths.unsqueeze(1) - 1 - positions
    return torch.where(reversed_positions >= 0, reversed_positions, positions)


def padded_bilstm(forward: torch.nn.LSTM, backward: torch.nn.LSTM, x: torch.Tensor,
                  lengths: torch.Tensor) -> torch.Tensor:
    index = reversal_index(lengths, x.size(1)).unsqueeze(2)
    ahead, _ = forward(x)
    behind, _ = backward(x.gather(1, index.expand_as(x)))
    behind = behind.gather(1, index.expand(-1, -1, behind.size(2)))
    return torch.cat([ahead, behind], dim=2)


def split_directions(bidirectional: torch.nn.LSTM) -> tuple[torch.nn.LSTM, torch.nn.LSTM]:
    """Two unidirectional LSTMs holding the weights of ``bidirectional``'s two directions."""
    directions = []
    for suffix in ("", "_reverse"):
        lstm = torch.nn.LSTM(INPUT, HIDDEN, batch_first=True)
        for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            getattr(lstm, name).data.copy_(getattr(bidirectional, name + suffix).data)
        directions.append(lstm)
    return directions[0], directions[1]


def seconds(step, repeats: int = 4) -> float:
    for _ in range(2):
        step().sum().backward()
    started = time.perf_counter()
    for _ in range(repeats):
        step().sum().backward()
    return (time.perf_counter() - started) / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lengths", default="50,100,200")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    bidirectional = torch.nn.LSTM(INPUT, HIDDEN, batch_first=True, bidirectional=True)
    forward, backward = split_directions(bidirectional)
    print("| length | packed ms | padded + per-length reversal ms | speed-up |")
    print("| ---: | ---: | ---: | ---: |")
    for total in (int(n) for n in args.lengths.split(",")):
        x = torch.randn(BATCH, total, INPUT, requires_grad=True)
        lengths = torch.full((BATCH,), total)
        lengths[::2] = max(1, total - 3)
        packed_step = partial(packed_bilstm, bidirectional, x, lengths)
        padded_step = partial(padded_bilstm, forward, backward, x, lengths)
        real = (torch.arange(total).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(2)
        same = torch.allclose(packed_step() * real, padded_step() * real, atol=1e-5)
        assert same, "padded BiLSTM differs from the packed one"
        packed, padded = seconds(packed_step), seconds(padded_step)
        print(f"| {total} | {packed * 1000:.0f} | {padded * 1000:.0f} | {packed / padded:.1f}x |")


if __name__ == "__main__":
    main()
