"""Read and write ELMo biLM weights in the bilm-tf/AllenNLP ``weights.hdf5`` layout.

Datasets (TensorFlow shapes, ``x @ W`` convention; ``H`` cell size, ``P`` projection size)::

    char_embed                                  (261, char_dim)   no row for the padding id 0
    CNN/W_cnn_{i}, CNN/b_cnn_{i}                (1, width, char_dim, filters), (filters,)
    CNN_high_{k}/W_transform, b_transform,
                 W_carry, b_carry               (n_filters, n_filters), (n_filters,)
    CNN_proj/W_proj, b_proj                     (n_filters, P), (P,)
    RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell/W_0   (input_dim + P, 4H)  gates i, j, f, o
                                              B     (4H,)                forget bias +1 implied
                                              W_P_0 (H, P)

``d`` is 0 for the forward and 1 for the backward direction, ``k`` the layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch

from nerkit.common.errors import ConfigurationError, DataError
from nerkit.modules.elmo_bilm import ElmoBiLm, Highway, ProjectedLstm


def _h5py() -> Any:
    try:
        import h5py
    except ImportError as error:
        raise ConfigurationError(
            "ELMo weight files (hdf5) need h5py: pip install 'nerkit[elmo]'"
        ) from error
    return h5py


def _pairs(bilm: ElmoBiLm) -> Iterator[tuple[str, torch.Tensor, str]]:
    """(dataset name, torch parameter, how to map it) for every weight of ``bilm``."""
    encoder = bilm.character_encoder
    # torch types a ModuleList's items as Modules; elmo_bilm fills these with Conv1d (with
    # biases), Highway and ProjectedLstm modules
    convolutions = cast("Iterable[torch.nn.Conv1d]", encoder.convolutions)
    highways = cast("Iterable[Highway]", encoder.highways)
    stacks = cast("tuple[Iterable[ProjectedLstm], ...]",
                  (bilm.forward_layers, bilm.backward_layers))
    yield "char_embed", encoder.char_embedding.weight, "skip_padding_row"
    for i, conv in enumerate(convolutions):
        yield f"CNN/W_cnn_{i}", conv.weight, "conv"
        yield f"CNN/b_cnn_{i}", cast(torch.Tensor, conv.bias), "same"
    for k, highway in enumerate(highways):
        yield f"CNN_high_{k}/W_transform", highway.transform.weight, "transpose"
        yield f"CNN_high_{k}/b_transform", highway.transform.bias, "same"
        yield f"CNN_high_{k}/W_carry", highway.carry.weight, "transpose"
        yield f"CNN_high_{k}/b_carry", highway.carry.bias, "same"
    yield "CNN_proj/W_proj", encoder.projection.weight, "transpose"
    yield "CNN_proj/b_proj", encoder.projection.bias, "same"
    for direction, layers in enumerate(stacks):
        for k, lstm in enumerate(layers):
            cell = f"RNN_{direction}/RNN/MultiRNNCell/Cell{k}/LSTMCell"
            split = lstm.input_linear.in_features
            yield f"{cell}/W_0", lstm.input_linear.weight, f"w0_input:{split}"
            yield f"{cell}/W_0", lstm.state_linear.weight, f"w0_state:{split}"
            yield f"{cell}/B", lstm.state_linear.bias, "same"
            yield f"{cell}/W_P_0", lstm.projection.weight, "transpose"


def _to_torch(stored: np.ndarray, how: str) -> np.ndarray:
    if how == "skip_padding_row":
        return np.concatenate([np.zeros_like(stored[:1]), stored], axis=0)
    if how == "conv":
        return np.transpose(stored[0], (2, 1, 0))
    if how == "transpose":
        return stored.T
    if how.startswith("w0_"):
        split = int(how.split(":")[1])
        return (stored[:split] if how.startswith("w0_input") else stored[split:]).T
    return stored


def load_bilm_weights(bilm: ElmoBiLm, path: str | Path) -> None:
    """Copy the datasets of ``path`` into ``bilm``'s parameters, checking every shape."""
    path = Path(path)
    if not path.is_file():
        raise DataError("ELMo weight file not found", str(path))
    h5py = _h5py()
    with h5py.File(path, "r") as weights, torch.no_grad():
        for name, parameter, how in _pairs(bilm):
            if name not in weights:
                raise DataError(f"ELMo weight file lacks the dataset {name!r}", str(path))
            value = _to_torch(np.asarray(weights[name][...], dtype=np.float32), how)
            if tuple(value.shape) != tuple(parameter.shape):
                raise DataError(
                    f"{name} maps to shape {tuple(value.shape)} but options.json asks for "
                    f"{tuple(parameter.shape)}",
                    str(path),
                )
            parameter.copy_(torch.from_numpy(np.ascontiguousarray(value)))


def _to_stored(bilm: ElmoBiLm) -> dict[str, np.ndarray]:
    stored: dict[str, np.ndarray] = {}
    for name, parameter, how in _pairs(bilm):
        value = parameter.detach().cpu().float().numpy()
        if how == "skip_padding_row":
            stored[name] = value[1:]
        elif how == "conv":
            stored[name] = np.transpose(value, (2, 1, 0))[None]
        elif how.startswith("w0_"):
            previous = stored.get(name)  # W_0 is [input rows; state rows]
            stored[name] = value.T if previous is None else np.concatenate([previous, value.T])
        elif how == "transpose":
            stored[name] = value.T
        else:
            stored[name] = value
    return stored


def save_bilm_weights(bilm: ElmoBiLm, path: str | Path) -> None:
    """Write ``bilm``'s parameters to ``path`` in the bilm-tf/AllenNLP layout."""
    h5py = _h5py()
    with h5py.File(path, "w") as out:
        for name, value in _to_stored(bilm).items():
            out.create_dataset(name, data=np.ascontiguousarray(value, dtype=np.float32))
