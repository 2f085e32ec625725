import json

import pytest

from nerkit.commands import main
from nerkit.commands.benchmark import measure
from nerkit.common.precision import cpu_has_native_bf16


def run(capsys, *argv):
    with pytest.raises(SystemExit) as caught:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return caught.value.code, out, err


def test_reports_every_batch_size_as_table_and_json(tagger_archive, fixtures_root, capsys,
                                                    tmp_path):
    data = fixtures_root / "data" / "tiny.bio"
    code, out, err = run(capsys, "benchmark", tagger_archive, data, "--batch-sizes", "1,4",
                         "--threads", "1", "--output-file", tmp_path / "bench.json")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["batch", "chars/s", "sentences/s", "p50", "ms", "p90", "ms",
                                "p99", "ms"]
    record = json.loads(lines[-1])
    assert record == json.loads((tmp_path / "bench.json").read_text())
    assert record["sentences"] == 11 and record["threads"] == 1
    assert record["characters"] == sum(1 for line in data.read_text("utf-8").splitlines()
                                       if line.strip())
    assert set(record["batches"]) == {"1", "4"}
    for values in record["batches"].values():
        assert values["characters_per_s"] > 0 and values["sentences_per_s"] > 0
        assert 0 < values["latency_ms_p50"] <= values["latency_ms_p90"] <= values["latency_ms_p99"]
    assert record["peak_rss_mb"] > 0


def test_text_input_and_max_sentences(tagger_archive, tmp_path, capsys):
    texts = tmp_path / "texts.txt"
    texts.write_text("武斌表示：自己认准的道路。\n绍棠先生\n张\n", encoding="utf-8")
    code, out, err = run(capsys, "benchmark", tagger_archive, texts, "--input-format", "text",
                         "--batch-sizes", "2", "--max-sentences", "2")
    assert code == 0, err
    expected = len("武斌表示：自己认准的道路。") + len("绍棠先生")
    assert json.loads(out.splitlines()[-1])["characters"] == expected


def test_measure_times_every_batch_once_after_a_warm_up():
    calls = []
    result = measure(lambda chunk, batch_size: calls.append(list(chunk)), ["ab", "c", "de"], 2)
    assert calls == [["ab", "c"], ["ab", "c"], ["de"]]
    assert result["characters_per_s"] > 0


@pytest.mark.parametrize("sizes", ["0", "a,b", ""])
def test_bad_batch_sizes_are_one_error_line(tagger_archive, fixtures_root, capsys, sizes):
    code, _, err = run(capsys, "benchmark", tagger_archive, fixtures_root / "data" / "tiny.bio",
                       "--batch-sizes", sizes)
    assert code == 1 and "--batch-sizes must be positive integers" in err


def test_amp_is_recorded_as_in_effect(tagger_archive, fixtures_root, capsys):
    """``--amp bf16`` is reported only where it applies (CPUs with native bfloat16)."""
    data = fixtures_root / "data" / "tiny.bio"
    code, out, err = run(capsys, "benchmark", tagger_archive, data, "--batch-sizes", "4",
                         "--amp", "bf16")
    assert code == 0, err
    record = json.loads(out.splitlines()[-1])
    assert record["amp"] == ("bf16" if cpu_has_native_bf16() else None)
    assert record["batches"]["4"]["sentences_per_s"] > 0
