"""ModelTestCase: train a config for a few steps, archive, reload, and check nothing was lost.

Shipped so plugin authors can test their own models the same way nerkit tests its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import torch

from nerkit.archive import ARCHIVE_NAME, Archive, load_archive
from nerkit.common.config import load_config
from nerkit.data.sentence import Sentence
from nerkit.models.model import Model
from nerkit.training.experiment import train_model


class ModelTestCase:
    """Mix into a pytest class; call ``ensure_model_can_train_save_and_load`` from a test."""

    def ensure_model_can_train_save_and_load(
        self,
        config_path: str | Path,
        serialization_dir: str | Path,
        *,
        steps: int = 2,
        tolerance: float = 1e-5,
        gradients_to_ignore: Sequence[str] = (),
        tla_vars: Mapping[str, Any] | None = None,
        ext_vars: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> tuple[Model, Archive]:
        """Train ``steps`` optimizer steps on CPU, archive, load, and compare the two models.

        Checks: identical state dicts; identical featurized batches and eval-mode predictions
        from both models; each sentence predicted alone equals it predicted in a padded batch;
        every trainable parameter outside ``gradients_to_ignore`` gets a non-zero gradient; the
        loaded model can compute a loss and backpropagate again.
        """
        config = load_config(
            config_path, ext_vars=ext_vars, tla_vars=tla_vars,
            overrides={"trainer.max_steps": steps, "trainer.device": "cpu",
                       "trainer.progress": False, **(overrides or {})},
        )
        trained = train_model(config, serialization_dir, force=True)
        archive = load_archive(Path(serialization_dir) / ARCHIVE_NAME)
        loaded = archive.model
        self.assert_same_state(trained, loaded, tolerance)
        sentences = archive.reader.read(config["train_data_path"])[:4]
        batch = trained.featurize(sentences)
        self.assert_same_batch(batch, loaded.featurize(sentences))
        trained.eval()
        with torch.inference_mode():
            expected = trained(batch, decode=True)
            actual = loaded(batch, decode=True)
        assert torch.equal(expected["predictions"], actual["predictions"])
        assert torch.allclose(expected["loss"], actual["loss"], atol=tolerance)
        self.assert_batch_consistent(loaded, sentences, tolerance)
        self.assert_gradients_reach_parameters(loaded, batch, gradients_to_ignore)
        return trained, archive

    @staticmethod
    def assert_batch_consistent(
        model: Model, sentences: Sequence[Sentence], tolerance: float = 1e-5
    ) -> None:
        """Each sentence alone gives what it gives in a padded batch: padding leaks nothing.

        Compares the decoded tags and, for models with ``encode``, the states fed to the decoder.
        """
        lengths = {len(sentence) for sentence in sentences}
        assert len(lengths) > 1, "pick sentences of different lengths, so the batch has padding"
        model.eval()
        found = getattr(model, "encode", None)
        encode: Callable[[dict[str, Any]], torch.Tensor] | None = (
            found if callable(found) else None
        )
        with torch.inference_mode():
            batch = model.featurize(sentences)
            together = model(batch, decode=True)["predictions"]
            states = encode(batch) if encode is not None else None
            for row, sentence in enumerate(sentences):
                single = model.featurize([sentence])
                alone = model(single, decode=True)["predictions"][0]
                size = len(sentence)
                assert torch.equal(alone[:size], together[row, :size]), (
                    f"sentence {row} ({size} characters) is tagged differently alone and in a batch"
                )
                if encode is not None and states is not None:
                    torch.testing.assert_close(encode(single)[0, :size], states[row, :size],
                                               atol=tolerance, rtol=1e-4)

    @staticmethod
    def assert_same_state(first: Model, second: Model, tolerance: float) -> None:
        a, b = first.state_dict(), second.state_dict()
        assert a.keys() == b.keys(), f"state dict keys differ: {set(a) ^ set(b)}"
        for key in a:
            assert torch.allclose(a[key].float(), b[key].float(), atol=tolerance), key

    @classmethod
    def assert_same_batch(cls, first: Any, second: Any) -> None:
        if isinstance(first, torch.Tensor):
            assert torch.equal(first, second)
        elif isinstance(first, dict):
            assert first.keys() == second.keys()
            for key in first:
                cls.assert_same_batch(first[key], second[key])
        else:
            assert first == second

    @staticmethod
    def assert_gradients_reach_parameters(
        model: Model, batch: dict[str, Any], ignore: Sequence[str] = ()
    ) -> None:
        """With dropout off, every trainable parameter gets a non-zero gradient."""
        model.eval()  # no dropout, but autograd on
        model.zero_grad()
        model(batch)["loss"].backward()
        for name, parameter in model.named_parameters():
            if not parameter.requires_grad or any(part in name for part in ignore):
                continue
            assert parameter.grad is not None, f"no gradient for {name}"
            assert bool(parameter.grad.abs().sum() > 0), f"zero gradient for {name}"
