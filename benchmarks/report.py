"""Benchmark records -> JSON and a Markdown report with the targets checked."""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from targets import DECODER_TARGETS, TARGETS

COLUMNS = [
    ("train sent/s", "train_sentences_per_s", "{:.0f}"),
    ("train chars/s", "train_chars_per_s", "{:.0f}"),
    ("epoch s (median)", "epoch_seconds_median", "{:.1f}"),
    ("train s (total)", "train_seconds", "{:.1f}"),
    ("predict sent/s (b64)", "predict_sentences_per_s", "{:.0f}"),
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


def check_targets(records: list[dict]) -> list[dict]:
    by_name = {r["name"]: r for r in records}
    checks = []
    for target in TARGETS:
        nerkit = by_name.get(f"{target.system}-nerkit", {})
        peer = next((r for r in records if r["name"].startswith(f"{target.system}-")
                     and r is not nerkit), {})
        check = _check(target.system, target.measure, nerkit.get(target.key),
                       peer.get(target.key), target.op, target.bound, peer.get("name"))
        if peer.get("dev_f1") == 0:  # a peer that learned nothing is no reference
            check.update(met=None, invalid="peer did not learn (dev F1 0)")
        checks.append(check)
    variants = by_name.get("attention_lstm-nerkit", {}).get("decoder_variants", {})
    softmax = variants.get("softmax", {}).get("predict_seconds")
    for name, bound in DECODER_TARGETS:
        seconds = variants.get(name, {}).get("predict_seconds")
        checks.append(_check("attention_lstm", f"{name} prediction time vs softmax head",
                             seconds, softmax, "<=", bound, "softmax head, same encoder"))
    return checks


def _check(system, measure, ours, theirs, op, bound, baseline) -> dict:
    """``ours <op> bound * theirs`` (so a zero baseline still decides); ratio when defined."""
    from targets import COMPARE

    ratio = ours / theirs if ours is not None and theirs else None
    met = None
    if ours is not None and theirs is not None:
        met = bool(COMPARE[op](ours, bound * theirs))
    return {"system": system, "measure": measure, "nerkit": ours, "baseline": theirs,
            "baseline_name": baseline, "ratio": ratio, "target": f"{op} {bound:g}x",
            "met": met}


def markdown(payload: dict) -> str:
    machine, settings = payload["machine"], payload["settings"]
    lines = [f"# nerkit benchmark, {machine['date_utc']}", "",
             f"Machine: {machine['cpu']} ({machine['cores']} cores), {machine['platform']}, "
             f"Python {machine['python']}, torch {machine.get('torch', '?')}.", "",
             f"Data: {settings['data']}; sentences used: {settings['sentences']}; "
             f"epochs {settings['epochs']} (crf {settings.get('crf_epochs', '?')}, attention_lstm "
             f"{settings['attention_epochs']}, bert_softmax {settings.get('bert_epochs', '?')}); "
             f"threads {settings['threads']}.", "", "## Systems", ""]
    lines += _systems_table(payload["records"])
    lines += ["", "## Targets (nerkit / baseline, same run)", "",
              "| system | measure | nerkit | baseline | ratio | target | met |",
              "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for c in payload["targets"]:
        met = "n/a" if c["met"] is None else ("yes" if c["met"] else "**no**")
        if c.get("invalid"):
            met = f"invalid: {c['invalid']}"
        lines.append(f"| {c['system']} | {c['measure']} | {_num(c['nerkit'])} | "
                     f"{_num(c['baseline'])} ({c['baseline_name'] or 'missing'}) | "
                     f"{_num(c['ratio'], '{:.2f}')} | {c['target']} | {met} |")
    return "\n".join(lines) + "\n"


def _systems_table(records: list[dict]) -> list[str]:
    rows = ["| run | system | " + " | ".join(c[0] for c in COLUMNS) + " |",
            "| --- | --- | " + " | ".join("---:" for _ in COLUMNS) + " |"]
    for record in records:
        if "error" in record:
            rows.append(f"| {record['name']} | not run: {record['error']} |"
                        + " |" * (len(COLUMNS) - 1))
            continue
        cells = [_num(record.get(key), fmt) for _, key, fmt in COLUMNS]
        rows.append(f"| {record['name']} | {record.get('system', '')} | "
                    + " | ".join(cells) + " |")
    for record in records:
        for name, variant in record.get("decoder_variants", {}).items():
            rows.append(f"| {record['name']} [{name}] | decoder {json.dumps(variant['decoder'])} "
                        f"| | | | | {variant['predict_sentences_per_s']:.0f} |" + " |" * 4)
    return rows


def _num(value, fmt: str = "{:.4g}") -> str:
    if value is None:
        return "-"
    return fmt.format(value) if isinstance(value, (int, float)) else str(value)
