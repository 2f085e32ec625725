"""The paper's results table: P/R/F1 overall and per entity type, one row per system."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from nerkit.reports.runs import Run

DEFAULT_TYPES = ("PER", "LOC", "ORG")
MEASURES = (("P", "precision"), ("R", "recall"), ("F1", "f1"))
MISSING = "-"


@dataclass
class ScoreTable:
    """Column headers and rows of formatted cells (scores in percent, two decimals).

    Args:
        header: Column names: ``System``, ``P``, ``R``, ``F1``, then ``PER P`` ... per type.
        rows: One list of cells per system, in the order the runs were given.
    """

    header: list[str]
    rows: list[list[str]]

    def to_markdown(self) -> str:
        rule = ["---"] + ["---:"] * (len(self.header) - 1)
        lines = [_markdown_row(self.header), _markdown_row(rule)]
        lines.extend(_markdown_row(row) for row in self.rows)
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue()

    def render(self, fmt: str) -> str:
        """``md`` (Markdown) or ``csv``."""
        if fmt == "md":
            return self.to_markdown()
        if fmt == "csv":
            return self.to_csv()
        raise ValueError(f"unknown table format {fmt!r}; expected 'md' or 'csv'")


def score_table(
    runs: Sequence[Run],
    split: str = "validation",
    types: Sequence[str] = DEFAULT_TYPES,
    names: Sequence[str] | None = None,
) -> ScoreTable:
    """Build the table for ``runs`` on ``split`` (``validation`` or ``test``).

    Args:
        runs: Loaded run directories.
        split: Which scores to report (see ``Run.scores``).
        types: Entity types to give their own P/R/F1 columns.
        names: System names, one per run (default: each run's ``name``).
    """
    header = ["System"] + [short for short, _ in MEASURES]
    header += [f"{label} {short}" for label in types for short, _ in MEASURES]
    names = list(names) if names is not None else [run.name for run in runs]
    rows = []
    for name, run in zip(names, runs):
        scores = run.scores(split)
        keys = [key for _, key in MEASURES]
        keys += [f"{key}-{label}" for label in types for _, key in MEASURES]
        rows.append([name] + [_percent(scores.get(key)) for key in keys])
    return ScoreTable(header, rows)


def grouped_score_table(
    groups: Sequence[tuple[str, Sequence[Run]]],
    split: str = "validation",
    types: Sequence[str] = DEFAULT_TYPES,
) -> ScoreTable:
    """One row per group of runs (e.g. seeds of one config): mean ± sample std of each score.

    Extra columns: ``Runs`` (how many) and ``Minutes`` (mean training time). A group whose mean
    F1 is 0 did not learn; its name says so, as no comparison with it is valid.
    """
    keys = [key for _, key in MEASURES]
    keys += [f"{key}-{label}" for label in types for _, key in MEASURES]
    header = ["System", "Runs", "Minutes"] + [short for short, _ in MEASURES]
    header += [f"{label} {short}" for label in types for short, _ in MEASURES]
    rows = []
    for name, runs in groups:
        scores = [run.scores(split) for run in runs]
        minutes = [run.metrics["training_seconds"] / 60 for run in runs
                   if isinstance(run.metrics.get("training_seconds"), (int, float))]
        cells = [_mean_std([s[key] for s in scores if key in s], 100) for key in keys]
        learned = any(s.get("f1", 0.0) > 0 for s in scores)
        rows.append([name if learned else f"{name} (invalid: F1 0, did not learn)",
                     str(len(runs)), _mean_std(minutes, 1, digits=0)] + cells)
    return ScoreTable(header, rows)


def _mean_std(values: Sequence[float], scale: float, digits: int = 2) -> str:
    if not values:
        return MISSING
    mean = statistics.fmean(values) * scale
    if len(values) == 1:
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {statistics.stdev(values) * scale:.{digits}f}"


def _percent(value: float | None) -> str:
    return MISSING if value is None else f"{100 * value:.2f}"


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
