"""Build a tiny random ELMo (``options.json`` + ``weights.hdf5``) on disk, offline, for tests.

The weights are written dataset by dataset in the bilm-tf/AllenNLP layout (TensorFlow shapes),
independently of nerkit's own writer, so tests can check that loading maps every value right.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

TINY_OPTIONS: dict[str, Any] = {
    "char_cnn": {
        "activation": "relu",
        "embedding": {"dim": 4},
        "filters": [[1, 4], [2, 6], [3, 6]],
        "max_characters_per_token": 8,
        "n_characters": 262,
        "n_highway": 2,
    },
    "lstm": {
        "cell_clip": 3,
        "dim": 12,
        "n_layers": 2,
        "proj_clip": 3,
        "projection_dim": 6,
        "use_skip_connections": True,
    },
}


def tiny_elmo_datasets(options: dict[str, Any], seed: int = 0) -> dict[str, np.ndarray]:
    """Random float32 arrays keyed by dataset name, shaped as bilm-tf stores them."""
    rng = np.random.default_rng(seed)
    cnn, lstm = options["char_cnn"], options["lstm"]
    char_dim = cnn["embedding"]["dim"]
    n_filters = sum(num for _, num in cnn["filters"])
    cell, proj = lstm["dim"], lstm["projection_dim"]
    shapes: dict[str, tuple[int, ...]] = {"char_embed": (261, char_dim)}
    for i, (width, num) in enumerate(cnn["filters"]):
        shapes[f"CNN/W_cnn_{i}"] = (1, width, char_dim, num)
        shapes[f"CNN/b_cnn_{i}"] = (num,)
    for k in range(cnn["n_highway"]):
        for kind in ("transform", "carry"):
            shapes[f"CNN_high_{k}/W_{kind}"] = (n_filters, n_filters)
            shapes[f"CNN_high_{k}/b_{kind}"] = (n_filters,)
    shapes["CNN_proj/W_proj"] = (n_filters, proj)
    shapes["CNN_proj/b_proj"] = (proj,)
    for direction in (0, 1):
        for k in range(lstm["n_layers"]):
            prefix = f"RNN_{direction}/RNN/MultiRNNCell/Cell{k}/LSTMCell"
            shapes[f"{prefix}/W_0"] = (proj + proj, 4 * cell)
            shapes[f"{prefix}/B"] = (4 * cell,)
            shapes[f"{prefix}/W_P_0"] = (cell, proj)
    return {name: rng.normal(0, 0.5, shape).astype(np.float32) for name, shape in shapes.items()}


def build_tiny_elmo(directory: str | Path, seed: int = 0) -> tuple[Path, Path]:
    """Write ``options.json`` and ``weights.hdf5`` into ``directory``; return their paths."""
    import h5py

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    options_path = directory / "options.json"
    weights_path = directory / "weights.hdf5"
    options_path.write_text(json.dumps(TINY_OPTIONS, indent=2), encoding="utf-8")
    with h5py.File(weights_path, "w") as out:
        for name, value in tiny_elmo_datasets(TINY_OPTIONS, seed).items():
            out.create_dataset(name, data=value)
    return options_path, weights_path
