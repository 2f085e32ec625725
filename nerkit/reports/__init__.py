"""Tables and figures built from training run directories (``nerkit compare``, ``nerkit plot``).

- ``runs``: read a serialization directory (``config.json``, ``metrics.json``,
  ``metrics_epoch_N.json``) into a ``Run``.
- ``tables``: the paper's P/R/F1 table, overall and per entity type, as Markdown or CSV.
- ``figures``: development F1 against epoch for several runs (needs the ``plot`` extra).
"""

from nerkit.reports.runs import Run, load_run
from nerkit.reports.tables import ScoreTable, score_table

__all__ = ["Run", "ScoreTable", "load_run", "score_table"]
