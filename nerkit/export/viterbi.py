"""Linear-chain Viterbi in NumPy over emissions from an exported graph (no torch at decode time)."""

from __future__ import annotations

import numpy as np


def viterbi_numpy(
    emissions: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray,
    lengths: np.ndarray,
) -> np.ndarray:
    """Best label ids (batch, seq_len), 0 at padding; shapes and conventions as ``linear_chain``.

    ``transitions[i, j]`` scores label ``j`` after label ``i``. Rows of different lengths are
    decoded together: past its length a row keeps its score and back-pointers point to
    themselves, so the final label is read at each row's own end.
    """
    batch, length, num_labels = emissions.shape
    identity = np.broadcast_to(np.arange(num_labels), (batch, num_labels))
    score = start + emissions[:, 0]
    pointers = np.empty((max(length - 1, 0), batch, num_labels), dtype=np.int64)
    for t in range(1, length):
        candidates = score[:, :, None] + transitions
        best_previous = candidates.argmax(axis=1)
        best = np.take_along_axis(candidates, best_previous[:, None, :], axis=1)[:, 0]
        keep = (t < lengths)[:, None]
        score = np.where(keep, best + emissions[:, t], score)
        pointers[t - 1] = np.where(keep, best_previous, identity)
    label = (score + end).argmax(axis=1)
    labels = np.empty((batch, length), dtype=np.int64)
    labels[:, length - 1] = label
    for t in range(length - 2, -1, -1):
        label = np.take_along_axis(pointers[t], label[:, None], axis=1)[:, 0]
        labels[:, t] = label
    return labels * (np.arange(length)[None, :] < lengths[:, None])
