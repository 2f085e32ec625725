"""Character-to-sub-token alignment and long-input windowing for transformer embedders.

Each character is tokenized on its own (cached), so every character owns one or more sub-tokens;
a character the tokenizer drops (a space) gets the unknown token, so it still has a vector.
A sentence longer than the model's window is cut into overlapping windows of ``window_size``
sub-tokens every ``stride``; each sub-token is read from the window where it is most central.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from nerkit.modules.token_embedders.token_embedder import Features


def window_starts(length: int, window_size: int, stride: int) -> list[int]:
    """Start offsets of windows covering ``length`` sub-tokens; the last window ends at the end."""
    if length <= window_size:
        return [0]
    return [*range(0, length - window_size, stride), length - window_size]


def most_central_window(length: int, window_size: int, starts: Sequence[int]) -> np.ndarray:
    """Per position, the index in ``starts`` of the window where it is farthest from an edge."""
    positions = np.arange(length)[None, :]
    begin = np.asarray(starts)[:, None]
    margin = np.minimum(positions - begin, begin + window_size - 1 - positions)
    return margin.argmax(axis=0)


class SubTokenFeaturizer:
    """Turns character lists into windowed sub-token ids plus a character -> sub-token map.

    Features: ``input_ids`` and ``attention_mask`` (windows, window_len); ``sub_token_index``
    (batch, seq_len, K) into the flattened (windows * window_len) positions and
    ``sub_token_mask`` marking which of the K entries are real (K = 1 when ``mode`` is first).

    Args:
        tokenizer: A Hugging Face tokenizer.
        window_size: Sub-tokens per window, special tokens excluded.
        stride: Distance between window starts (at most ``window_size``).
        mode: ``first`` (a character's first sub-token) or ``mean`` (all of them).
    """

    def __init__(self, tokenizer: Any, window_size: int, stride: int, mode: str) -> None:
        self.tokenizer = tokenizer
        self.window_size = window_size
        self.stride = stride
        self.mode = mode
        self.prefix, self.suffix = special_token_frame(tokenizer)
        self.unknown_id = tokenizer.unk_token_id
        if self.unknown_id is None:
            self.unknown_id = tokenizer.pad_token_id or 0
        self.pad_id = tokenizer.pad_token_id or 0
        self._pieces: dict[str, list[int]] = {}

    def pieces(self, chars: Sequence[str]) -> list[list[int]]:
        """Sub-token ids of each character (never empty), tokenizing unseen characters at once."""
        unseen = list(dict.fromkeys(c for c in chars if c not in self._pieces))
        if unseen:
            encoded = self.tokenizer(unseen, add_special_tokens=False)["input_ids"]
            for char, ids in zip(unseen, encoded):
                self._pieces[char] = list(ids) or [self.unknown_id]
        return [self._pieces[c] for c in chars]

    def __call__(self, sentences: Sequence[Sequence[str]]) -> Features:
        windows: list[list[int]] = []
        placements = [self._place(self.pieces(chars), len(windows), windows) for chars in sentences]
        width = max(len(w) for w in windows)
        input_ids = torch.full((len(windows), width), self.pad_id, dtype=torch.long)
        attention_mask = torch.zeros(len(windows), width, dtype=torch.long)
        for row, ids in enumerate(windows):
            input_ids[row, : len(ids)] = torch.as_tensor(ids, dtype=torch.long)
            attention_mask[row, : len(ids)] = 1
        index, mask = _char_index(placements, width, 1 if self.mode == "first" else None)
        return {
            "input_ids": input_ids, "attention_mask": attention_mask,
            "sub_token_index": index, "sub_token_mask": mask,
        }

    def _place(
        self, pieces: list[list[int]], first_window: int, windows: list[list[int]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Append this sentence's windows to ``windows``.

        Returns each character's first sub-token and sub-token count, and each sub-token's
        window row and column (in the window it is read from).
        """
        counts = np.array([len(p) for p in pieces], dtype=np.int64)
        ids = [i for p in pieces for i in p]
        starts = window_starts(len(ids), self.window_size, self.stride)
        for start in starts:
            windows.append([*self.prefix, *ids[start : start + self.window_size], *self.suffix])
        chosen = most_central_window(len(ids), self.window_size, starts)
        columns = np.arange(len(ids)) - np.asarray(starts)[chosen] + len(self.prefix)
        return np.cumsum(counts) - counts, counts, chosen + first_window, columns


def _char_index(
    placements: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]], width: int,
    k: int | None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(batch, seq_len, K) flat indices into (windows * width) and their validity mask."""
    longest = max((len(p[0]) for p in placements), default=0)
    k = k or max((int(p[1].max()) for p in placements if len(p[1])), default=1)
    index = torch.zeros(len(placements), longest, k, dtype=torch.long)
    mask = torch.zeros(len(placements), longest, k, dtype=torch.bool)
    for row, (first, counts, window_rows, columns) in enumerate(placements):
        if not len(first):
            continue
        offsets = np.arange(k)[None, :]
        valid = offsets < counts[:, None]
        positions = np.where(valid, first[:, None] + offsets, first[:, None])
        flat = window_rows[positions] * width + columns[positions]
        index[row, : len(first)] = torch.from_numpy(flat)
        mask[row, : len(first)] = torch.from_numpy(valid)
    return index, mask


def special_token_frame(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The special ids a tokenizer puts before and after a single sequence (``[CLS]``/``[SEP]``)."""
    probe = "a"
    bare = list(tokenizer(probe, add_special_tokens=False)["input_ids"])
    framed = list(tokenizer(probe)["input_ids"])
    for start in range(len(framed) - len(bare) + 1):
        if framed[start : start + len(bare)] == bare:
            return framed[:start], framed[start + len(bare) :]
    raise ValueError(f"cannot find the text among the special tokens of {type(tokenizer).__name__}")
