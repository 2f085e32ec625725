"""Benchmark records -> JSON and a Markdown report with the targets checked."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from targets import COMPARE, DECODER_TARGETS, TARGETS

COLUMNS = [
    ("train sent/s", "train_sentences_per_s", "{:.0f}"),
    ("train chars/s", "train_chars_per_s", "{:.0f}"),
    ("epoch s (median)", "epoch_seconds_median", "{:.1f}"),
    ("train s (total)", "train_seconds", "{:.1f}"),
    ("predict sent/s (b64)", "predict_sentences_per_s", "{:.0f}"),
    ("predict chars/s (b64)", "predict_chars_per_s", "{:.0f}"),
    ("latency ms (b1)", "latency_ms_batch1", "{:.2f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.0f}"),
    ("dev F1", "dev_f1", "{:.4f}"),
    ("wall s", "wall_seconds", "{:.0f}"),
]


def machine_info() -> dict:
    cpu = ""
    if Path("/proc/cpuinfo").is_file():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {"date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "host": platform.node(), "cpu": cpu, "cores": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform()}
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        pass
    return info


def write_results(directory: Path, stamp: str, records: list[dict], settings: dict,
                  machine: dict, peers: dict) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    checks = check_targets(records)
    payload = {"machine": machine, "settings": settings, "peers": peers,
               "records": records, "targets": checks}
    json_path = directory / f"{stamp}.json"
    json_path.write_text(json.dumps(payload, indent=2) + "\n")
    md_path = directory / f"{stamp}.md"
    md_path.write_text(markdown(payload))
    return json_path, md_path


def datasets_of(records: list[dict]) -> list[str | None]:
    """The datasets of a run's records, in order (``[None]`` for records that name none)."""
    return list(dict.fromkeys(record.get("dataset") for record in records)) or [None]


def check_targets(records: list[dict]) -> list[dict]:
    """Every target of targets.py against the records of one run (``met`` None: not measured),
    per dataset when the run covered several (each check then names its ``dataset``)."""
    checks = []
    for dataset in datasets_of(records):
        for check in _dataset_checks([r for r in records if r.get("dataset") == dataset]):
            checks.append(check if dataset is None else {"dataset": dataset, **check})
    return checks


def _dataset_checks(records: list[dict]) -> list[dict]:
    by_name = {r["name"]: r for r in records}
    checks = []
    for target in TARGETS:
        ours = by_name.get(target.record, {})
        if target.baseline is None:  # the bound is the baseline: ratio = value / bound
            checks.append(_check(target.system, target.measure, ours.get(target.key),
                                 target.bound, target.op, 1.0, "absolute bound", target.text))
            continue
        baseline = by_name.get(target.baseline_record, {})
        check = _check(target.system, target.measure, ours.get(target.key),
                       baseline.get(target.key), target.op, target.bound,
                       target.baseline_record if baseline else None, target.text)
        if target.baseline_must_learn and baseline.get("dev_f1") == 0:
            check.update(met=None, invalid="peer did not learn (dev F1 0)")
        checks.append(check)
    for target in DECODER_TARGETS:
        record = by_name.get(f"{target.system}-{target.ours}", {})
        variants = record.get("decoder_variants", {})
        checks.append(_check(
            target.system, f"{target.variant} prediction time vs softmax head ({target.encoder})",
            variants.get(target.variant, {}).get("predict_seconds"),
            variants.get("softmax", {}).get("predict_seconds"), "<=", target.bound,
            f"softmax head, same {target.encoder}", f"<= {target.bound:g}x"))
    return checks


def _check(system, measure, ours, theirs, op, bound, baseline, target) -> dict:
    """``ours <op> bound * theirs`` (so a zero baseline still decides); ratio when defined."""
    ratio = ours / theirs if ours is not None and theirs else None
    met = None
    if ours is not None and theirs is not None:
        met = bool(COMPARE[op](ours, bound * theirs))
    return {"system": system, "measure": measure, "nerkit": ours, "baseline": theirs,
            "baseline_name": baseline, "ratio": ratio, "target": target, "met": met}


def markdown(payload: dict) -> str:
    machine, settings = payload["machine"], payload["settings"]
    lines = [f"# nerkit benchmark, {machine['date_utc']}", "",
             f"Machine: {machine['cpu']} ({machine['cores']} cores), {machine['platform']}, "
             f"Python {machine['python']}, torch {machine.get('torch', '?')}.", "",
             f"Data: {settings['data']}; sentences used: {settings['sentences']}; "
             f"epochs {settings['epochs']} (crf {settings.get('crf_epochs', '?')}, attention_lstm "
             f"{settings['attention_epochs']}, bert_softmax {settings.get('bert_epochs', '?')}); "
             f"threads {settings['threads']}.", ""]
    datasets = datasets_of(payload["records"])
    for dataset in datasets:
        title = f"## Systems: {dataset}" if len(datasets) > 1 else "## Systems"
        lines += [title, ""]
        lines += _systems_table([r for r in payload["records"] if r.get("dataset") == dataset])
        lines += [""]
    for dataset in datasets:
        suffix = f": {dataset}" if len(datasets) > 1 else ""
        lines += [f"## Targets{suffix} (nerkit / baseline in the same run, or / an absolute "
                  "bound)", "",
                  "| system | measure | nerkit | baseline | ratio | target | met |",
                  "| --- | --- | ---: | ---: | ---: | --- | --- |"]
        for c in payload["targets"]:
            if c.get("dataset") != dataset:
                continue
            met = "n/a" if c["met"] is None else ("yes" if c["met"] else "**no**")
            if c.get("invalid"):
                met = f"invalid: {c['invalid']}"
            lines.append(f"| {c['system']} | {c['measure']} | {_num(c['nerkit'])} | "
                         f"{_num(c['baseline'])} ({c['baseline_name'] or 'missing'}) | "
                         f"{_num(c['ratio'], '{:.2f}')} | {c['target']} | {met} |")
        lines += [""]
    return "\n".join(lines[:-1]) + "\n"


def _systems_table(records: list[dict]) -> list[str]:
    rows = ["| run | system | " + " | ".join(c[0] for c in COLUMNS) + " |",
            "| --- | --- | " + " | ".join("---:" for _ in COLUMNS) + " |"]
    for record in records:
        if "error" in record:
            rows.append(f"| {record['name']} | not run: {record['error']} |"
                        + " |" * (len(COLUMNS) - 1))
            continue
        rows.append(_row(record["name"], record.get("system", ""), record))
    for record in records:
        for name, variant in record.get("decoder_variants", {}).items():
            rows.append(_row(f"{record['name']} [{name}]",
                             f"decoder {json.dumps(variant['decoder'])}", variant))
    return rows


def _row(run: str, system: str, values: dict) -> str:
    cells = [_num(values.get(key), fmt) for _, key, fmt in COLUMNS]
    return f"| {run} | {system} | " + " | ".join(cells) + " |"


def _num(value, fmt: str = "{:.4g}") -> str:
    """``fmt``, with thousands separators instead of an exponent for large numbers."""
    if value is None:
        return "-"
    if not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 10_000 else fmt.format(value)
