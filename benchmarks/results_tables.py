"""Regenerate the README's results tables from ``results/`` (written by ``seed_runs.py``).

    python benchmarks/results_tables.py            # rewrite README.md between the markers
    python benchmarks/results_tables.py --print    # print the tables only

For each corpus folder ``results/<dataset>/``, every ``<system>/seed<N>/`` run is read; runs of
one config are grouped (``nerkit compare --group``: dev P/R/F1 overall and per type, mean ±
std over seeds, training minutes), and the commands and threads that produced them follow the
table, with the lexicon of a lexicon-enhanced run (issue #13's rule: the README states which
lexicon each figure used). Runs still in progress are marked. The attention decoder's beam
settings are not compared: every run here validates greedily, and the beam is the search its
archive predicts with (the seed-13 seq2seq runs predate ``validation_beam_size`` and trained
the same way).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nerkit.reports.runs import group_runs, load_run  # noqa: E402
from nerkit.reports.tables import grouped_score_table  # noqa: E402

BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
CORPORA = {"msra": "MSRA", "pd1998": "People's Daily 1998-01"}
PREDICTION_ONLY = ("model.decoder.beam_size", "model.decoder.validation_beam_size")


def corpus_section(folder: Path) -> str:
    """The grouped dev table of one corpus and the commands behind its rows."""
    run_dirs = sorted(folder.glob("*/seed*"), key=lambda p: (p.parent.name, p.name))
    runs = [load_run(d) for d in run_dirs if (d / "metrics.json").is_file()
            or any(d.glob("metrics_epoch_*.json"))]
    if not runs:
        return ""
    groups = group_runs(runs, ignore=PREDICTION_ONLY)
    lines = [f"### {CORPORA.get(folder.name, folder.name)} (dev)", "",
             grouped_score_table(groups).to_markdown().rstrip(), ""]
    for name, members in groups:
        records = [json.loads((r.directory / "command.json").read_text(encoding="utf-8"))
                   for r in members if (r.directory / "command.json").is_file()]
        note = progress_note(records)
        if records:
            command = re.sub(r"random_seed=\d+", "random_seed=SEED", records[0]["command"])
            command = re.sub(r"/seed\d+\b", "/seedSEED", command)
            used = lexicons(json.loads((members[0].directory / "config.json").read_text(
                encoding="utf-8")))
            lexicon = f" (lexicon: {'; '.join(used)})" if used else ""
            lines.append(f"- `{name}`{note}{lexicon}: `{command}`")
    return "\n".join(lines) + "\n"


def progress_note(records: list[dict[str, Any]]) -> str:
    """How many of a row's runs are still training, or stopped for good (``"stopped"``: why,
    added by hand to a run's command.json when it can no longer resume)."""
    stopped = [r for r in records if not r.get("finished") and r.get("stopped")]
    training = sum(1 for r in records if not r.get("finished") and not r.get("stopped"))
    notes = ([f"{training} still training: best epoch so far"] if training else []) + [
        f"1 stopped early, {r['stopped']}: best epoch before the stop" for r in stopped]
    return f" ({'; '.join(notes)})" if notes else ""


def lexicons(config: Any) -> list[str]:
    """The lexicons a run's config reads and which embedders read them, e.g. ``jieba's
    dictionary (softlexicon, lexicon_features)``: the README states the lexicon behind every
    lexicon figure."""
    readers: dict[str, list[str]] = {}
    for embedder, lexicon in _lexicon_blocks(config):
        if lexicon.get("type") == "jieba_dictionary":
            source = "jieba's dictionary"
        else:
            source = f"word list {Path(str(lexicon.get('path'))).name}"
        if lexicon.get("cross_fold"):
            source += f", cross-fold matching in {lexicon['cross_fold']} folds"
        readers.setdefault(source, []).append(embedder)
    return [f"{source} ({', '.join(names)})" for source, names in readers.items()]


def _lexicon_blocks(config: Any) -> list[tuple[str, dict[str, Any]]]:
    """(embedder type, its ``lexicon`` block) for every block in the config that has one."""
    if isinstance(config, list):
        return [block for value in config for block in _lexicon_blocks(value)]
    if not isinstance(config, dict):
        return []
    found = []
    if isinstance(config.get("lexicon"), dict) and "type" in config:
        found.append((str(config["type"]), config["lexicon"]))
    return found + [block for value in config.values() for block in _lexicon_blocks(value)]


def tables(results: Path) -> str:
    sections = [corpus_section(folder) for folder in sorted(results.iterdir())
                if folder.is_dir()]
    return "\n".join(s for s in sections if s)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=ROOT / "results")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--print", action="store_true", dest="print_only")
    args = parser.parse_args()
    text = tables(args.results)
    if args.print_only:
        print(text, end="")
        return 0
    readme = args.readme.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        print(f"error: {args.readme} lacks the {BEGIN} / {END} markers", file=sys.stderr)
        return 1
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    args.readme.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
