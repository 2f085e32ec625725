"""Development F1 against epoch (the paper's Figure 3) or training minutes for several runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nerkit.common.atomic import atomic_path
from nerkit.common.errors import ConfigurationError, DataError
from nerkit.reports.runs import Run

RATIO_WORDS = ("f1", "precision", "recall", "accuracy")


def plot_epoch_curves(
    runs: Sequence[Run],
    output: str | Path,
    metric: str = "validation_f1",
    names: Sequence[str] | None = None,
    title: str | None = None,
    x_axis: str = "epoch",
) -> Path:
    """Draw ``metric`` per epoch, one line per run, and save the figure to ``output``; with
    ``x_axis="minutes"`` against training minutes (runs whose epochs cost differently compare
    at equal time).

    The file type follows the extension (``.png``, ``.pdf``, ``.svg``). Scores (f1, precision,
    recall, accuracy) are drawn in percent, anything else (a loss) as it is.

    Raises:
        ConfigurationError: matplotlib is not installed.
        DataError: a run has no epoch reporting ``metric``.
    """
    pyplot = _pyplot()
    names = list(names) if names is not None else [run.name for run in runs]
    scale = 100.0 if any(word in metric for word in RATIO_WORDS) else 1.0
    figure, axes = pyplot.subplots(figsize=(6.4, 4.4))
    try:
        for name, run in zip(names, runs):
            positions, values = _curve(run, metric, x_axis)
            if not positions:
                raise DataError(f"no metrics_epoch_N.json reports {metric!r}", str(run.directory))
            axes.plot(positions, [scale * v for v in values], marker="o", markersize=3,
                      label=name)
        if x_axis == "minutes":
            axes.set_xlabel("training minutes")
        else:
            axes.set_xlabel("epoch")
            axes.xaxis.set_major_locator(_integer_locator())
        axes.set_ylabel(f"{metric} (%)" if scale == 100.0 else metric)
        axes.grid(True, alpha=0.3)
        axes.legend()
        if title:
            axes.set_title(title)
        output = Path(output)
        figure.tight_layout()
        with atomic_path(output) as temporary:
            figure.savefig(temporary, dpi=120, format=output.suffix.lstrip(".") or None)
    finally:
        pyplot.close(figure)
    return output


def _curve(run: Run, metric: str, x_axis: str) -> tuple[Sequence[float], list[float]]:
    if x_axis == "minutes":
        return run.minutes_curve(metric)
    if x_axis != "epoch":
        raise ConfigurationError(f"x_axis must be epoch or minutes, got {x_axis!r}")
    return run.epoch_curve(metric)


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ConfigurationError(
            "plotting needs matplotlib: pip install 'nerkit[plot]' (or pip install matplotlib)"
        ) from None
    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot
