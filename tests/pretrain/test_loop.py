from __future__ import annotations

import pytest
import torch

from nerkit.pretrain import loop
from nerkit.pretrain.loop import LoopSettings, steps_for, train_steps

SETTINGS = LoopSettings(max_steps=7, learning_rate=0.05, warmup_steps=2, checkpoint_every=2)


def _model() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Dropout(0.3), torch.nn.Linear(8, 1))


def _batches(epoch: int) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(epoch)
    return [torch.randn(4, 3, generator=generator) for _ in range(3)]


def _run(model, directory, resume=False):
    return train_steps(model, _batches, lambda batch, step: model(batch).pow(2).mean(), SETTINGS,
                       directory, resume=resume)


def test_schedule():
    assert [round(SETTINGS.learning_rate_at(s), 4) for s in (0, 1, 2, 6, 7)] == [
        0.025, 0.05, 0.05, 0.01, 0.0
    ]
    assert steps_for(100, None, 7) == 100 and steps_for(100, 3, 7) == 21


def _interrupt_then_resume(run, directory, monkeypatch):
    """Run until the 6th step raises (after the checkpoint at step 4, mid second epoch), then
    resume; returns the resumed run's result."""
    real_step = loop._step
    calls = {"n": 0}

    def failing_step(*args):
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        return real_step(*args)

    monkeypatch.setattr(loop, "_step", failing_step)
    with pytest.raises(KeyboardInterrupt):
        run(_model(), directory)
    monkeypatch.setattr(loop, "_step", real_step)
    return run(_model(), directory, resume=True)


def test_resume_after_interruption_is_exact(tmp_path, monkeypatch):
    straight = _model()
    result = _run(straight, tmp_path / "a")
    assert result.steps == 7
    resumed_models = []

    def run(model, directory, resume=False):
        resumed_models.append(model)
        return _run(model, directory, resume)

    assert _interrupt_then_resume(run, tmp_path / "b", monkeypatch).steps == 7
    for a, b in zip(straight.parameters(), resumed_models[-1].parameters()):
        torch.testing.assert_close(a, b)


def test_time_box_stops_early(tmp_path):
    boxed = LoopSettings(max_steps=1000, learning_rate=0.01, max_minutes=1e-9)
    model = _model()
    result = train_steps(model, _batches, lambda b, s: model(b).mean(), boxed, tmp_path / "c")
    assert result.steps == 1
    assert (tmp_path / "c" / "training_state.json").is_file()


def test_held_out_history_at_each_periodic_checkpoint_survives_a_resume(tmp_path, monkeypatch):
    def run(model, directory, resume=False):
        @torch.no_grad()
        def held_out() -> dict[str, float]:
            model.eval()  # left in eval mode: the loop puts the model back in training mode
            return {"loss": float(model(torch.ones(1, 3)).pow(2))}

        def loss_of(batch, step):
            assert model.training
            return model(batch).pow(2).mean()

        return train_steps(model, _batches, loss_of, SETTINGS, directory, resume=resume,
                           evaluate=held_out)

    straight = run(_model(), tmp_path / "a")
    assert [point["step"] for point in straight.history] == [2, 4, 6]  # not at the end (7)
    assert all(set(point) == {"step", "minutes", "loss"} for point in straight.history)

    resumed = _interrupt_then_resume(run, tmp_path / "b", monkeypatch)
    assert [p["loss"] for p in resumed.history] == pytest.approx(
        [p["loss"] for p in straight.history])
