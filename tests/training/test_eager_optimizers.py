"""torch's optimizers without the torch._dynamo import: same updates, no compile machinery."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import nerkit
from nerkit.training.eager_optimizers import (
    EagerAdagrad,
    EagerAdam,
    EagerAdamW,
    EagerLBFGS,
    EagerSGD,
)

# Train the fixture BiLSTM-CRF (Adam, gradient clipping, lr schedule, checkpoints, archive),
# then load the archive and predict; report whether torch._dynamo was ever imported.
TRAIN_AND_PREDICT = """
import sys
import torch
from nerkit.predictor import Predictor
from nerkit.training.experiment import train_model_from_file
fixtures, directory = sys.argv[1], sys.argv[2]
train_model_from_file(fixtures + "/configs/tagger_crf.jsonnet", directory, force=True,
                      tla_vars={"fixtures": fixtures, "num_epochs": 2},
                      overrides={"trainer.progress": False})
after_training = "torch._dynamo" in sys.modules
predictor = Predictor.from_archive(directory + "/model.tar.gz")
predictor.predict_batch(["张三在北京工作。"])
print(after_training, "torch._dynamo" in sys.modules)
"""


def test_training_and_prediction_never_import_dynamo(fixtures_root, tmp_path):
    root = Path(nerkit.__file__).resolve().parents[1]
    env = {**os.environ, "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", TRAIN_AND_PREDICT, str(fixtures_root), str(tmp_path / "run")],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == ["False", "False"]


PAIRS = [
    (torch.optim.Adam, EagerAdam, {"lr": 0.01, "weight_decay": 0.1}),
    (torch.optim.AdamW, EagerAdamW, {"lr": 0.01}),
    (torch.optim.SGD, EagerSGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    (torch.optim.Adagrad, EagerAdagrad, {"lr": 0.1}),
]


def _model(seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))


def _train_steps(model: torch.nn.Module, optimizer: torch.optim.Optimizer, steps: int) -> None:
    torch.manual_seed(1)
    for _ in range(steps):
        optimizer.zero_grad()
        model(torch.randn(5, 4)).pow(2).sum().backward()
        optimizer.step()


@pytest.mark.parametrize(("torch_class", "eager_class", "options"), PAIRS,
                         ids=[p[1].__name__ for p in PAIRS])
def test_same_updates_as_torch(torch_class, eager_class, options):
    reference, eager = _model(), _model()
    _train_steps(reference, torch_class(reference.parameters(), **options), 5)
    _train_steps(eager, eager_class(eager.parameters(), **options), 5)
    initial = _model()
    for expected, got, start in zip(reference.parameters(), eager.parameters(),
                                    initial.parameters()):
        assert torch.equal(expected, got) and not torch.equal(got, start)
        assert got.grad_fn is None


def test_state_moves_between_torch_and_eager():
    reference, eager = _model(), _model()
    torch_adam = torch.optim.Adam(reference.parameters(), lr=0.01)
    _train_steps(reference, torch_adam, 3)
    eager.load_state_dict(reference.state_dict())
    eager_adam = EagerAdam(eager.parameters(), lr=0.01)
    eager_adam.load_state_dict(copy.deepcopy(torch_adam.state_dict()))  # no shared tensors
    _train_steps(reference, torch_adam, 2)
    _train_steps(eager, eager_adam, 2)
    assert all(torch.equal(a, b) for a, b in zip(reference.parameters(), eager.parameters()))
    saved = eager_adam.state_dict()
    assert saved["state"][0]["step"] == 5 and saved["param_groups"][0]["lr"] == 0.01


def test_step_runs_without_gradients_and_keeps_the_callers_mode():
    model = _model()
    optimizer = EagerSGD(model.parameters(), lr=0.1)
    seen = []
    optimizer.register_step_pre_hook(lambda *_: seen.append(torch.is_grad_enabled()))
    model(torch.ones(1, 4)).sum().backward()
    optimizer.step()
    assert seen == [True] and torch.is_grad_enabled()  # hooks see the caller's mode, once
    assert all(p.grad_fn is None for p in model.parameters())


def test_lbfgs_closure_still_has_gradients():
    weight = torch.nn.Parameter(torch.tensor([3.0, -2.0]))
    optimizer = EagerLBFGS([weight], lr=1.0, max_iter=20, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = (weight - 1.0).pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    assert torch.allclose(weight.detach(), torch.ones(2), atol=1e-4)
