from __future__ import annotations

from pathlib import Path

import pytest

from nerkit.pretrain.corpus import read_corpus


@pytest.fixture
def tiny_text(fixtures_root) -> Path:
    return fixtures_root / "pretrain" / "tiny.txt"


@pytest.fixture
def tiny_lines(tiny_text):
    return read_corpus([tiny_text])


@pytest.fixture
def interrupt_at_step(monkeypatch):
    """``arm(n)`` makes the pretraining loop raise KeyboardInterrupt at its n-th step, as a
    user's Ctrl-C would; the returned ``disarm()`` restores the real step."""
    from nerkit.pretrain import loop

    real_step = loop._step

    def arm(step: int = 3):
        calls = {"n": 0}

        def failing_step(*args):
            calls["n"] += 1
            if calls["n"] == step:
                raise KeyboardInterrupt
            return real_step(*args)

        monkeypatch.setattr(loop, "_step", failing_step)
        return lambda: monkeypatch.setattr(loop, "_step", real_step)

    return arm
