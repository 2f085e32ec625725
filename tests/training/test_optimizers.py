"""Registered optimizers and regex parameter groups."""

from __future__ import annotations

import pytest
import torch

from nerkit.common.build import build
from nerkit.common.errors import ConfigurationError


class Two(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = torch.nn.Linear(2, 2)
        self.head = torch.nn.Linear(2, 1)


@pytest.mark.parametrize("name", ["adam", "adamw", "sgd", "adagrad"])
def test_builds_by_name(name):
    optimizer = build({"type": name, "lr": 0.5}, "optimizers", context={"model": Two()})
    assert optimizer.param_groups[0]["lr"] == 0.5


def test_parameter_groups_by_regex():
    model = Two()
    optimizer = build(
        {"type": "adam", "lr": 1e-3, "parameter_groups": [[["^body\\."], {"lr": 2e-5}]]},
        "optimizers", context={"model": model},
    )
    body, rest = optimizer.param_groups
    assert body["lr"] == 2e-5 and rest["lr"] == 1e-3
    assert {id(p) for p in body["params"]} == {id(p) for p in model.body.parameters()}


def test_regex_matching_nothing_is_an_error():
    with pytest.raises(ConfigurationError, match="no parameter matches"):
        build({"type": "adam", "parameter_groups": [[["^nothing"], {"lr": 1.0}]]},
              "optimizers", context={"model": Two()})


def test_frozen_parameters_are_left_out():
    model = Two()
    model.body.weight.requires_grad_(False)
    optimizer = build({"type": "sgd"}, "optimizers", context={"model": model})
    assert sum(len(g["params"]) for g in optimizer.param_groups) == 3


def _crf_model_and_batches(fixtures):
    """A window-feature CRF on the fixture data and its batches (the classical feature CRF)."""
    from nerkit.data.batching import DataLoaderConfig, iterate_batches
    from nerkit.data.dataset_readers import DatasetReader
    from nerkit.data.vocabulary import build_vocabulary
    from nerkit.models.model import Model

    sentences = DatasetReader.from_config({"type": "conll"}).read(fixtures / "data" / "tiny.bio")
    vocab = build_vocabulary(sentences, tag_scheme="BIOES")
    torch.manual_seed(0)
    model = Model.from_config({
        "type": "tagger", "embedder": {"type": "window_features", "embedding_dim": 4,
                                       "num_buckets": 512},
        "decoder": {"type": "crf"}}, vocab=vocab)
    batches, _ = iterate_batches(sentences, model.featurize, DataLoaderConfig(batch_size=4),
                                 train=False)
    return model, list(batches)


def test_lbfgs_l2_penalty_gradients_equal_a_dense_reference(fixtures_root):
    model, batches = _crf_model_and_batches(fixtures_root)
    l2 = 0.3

    def summed_loss():
        return sum(model(b)["loss"] * b["mask"].size(0) for b in batches)

    reference = summed_loss() + l2 * sum(p.pow(2).sum() for p in model.parameters())
    expected = torch.autograd.grad(reference, list(model.parameters()))

    optimizer = build({"type": "lbfgs", "l2": l2}, "optimizers", context={"model": model})

    def closure():
        optimizer.zero_grad()
        loss = summed_loss()
        loss.backward()
        return loss.detach()

    value = optimizer.with_penalty(closure)()
    torch.testing.assert_close(value, reference.detach())
    for parameter, gradient in zip(model.parameters(), expected):
        torch.testing.assert_close(parameter.grad, gradient)


def test_lbfgs_lowers_the_penalised_objective(fixtures_root):
    model, batches = _crf_model_and_batches(fixtures_root)
    optimizer = build({"type": "lbfgs", "l2": 0.1, "iterations_per_epoch": 5}, "optimizers",
                      context={"model": model})

    def closure():
        optimizer.zero_grad()
        loss = sum(model(b)["loss"] * b["mask"].size(0) for b in batches)
        loss.backward()
        return loss.detach()

    first = optimizer.step(closure)
    after = optimizer.with_penalty(closure)()
    assert float(after) < 0.5 * float(first)


def test_lbfgs_rejects_a_negative_l2():
    with pytest.raises(ConfigurationError, match="l2 must be non-negative"):
        build({"type": "lbfgs", "l2": -1.0}, "optimizers", context={"model": Two()})
