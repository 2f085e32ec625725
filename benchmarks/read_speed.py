"""Reading speed: full MSRA train with the conll reader, then a cached re-read.

    python benchmarks/read_speed.py [--msra ../shared/data/msra/train.bio] [--pd1998 FILE]

Targets: a full read under 10 s, a cached re-read under 2 s. Wall and CPU seconds are both
printed (the CPU figure is what the code costs on a shared machine).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from nerkit.data.cache import read_cached
from nerkit.data.dataset_readers import DatasetReader

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def measure(config: dict, path: Path, cache_dir: str) -> dict:
    reader = DatasetReader.from_config(config)
    sentences, read_wall, read_cpu = timed(lambda: reader.read(path))
    _, store_wall, _ = timed(lambda: read_cached(reader, config, path, cache_dir))
    cached, cached_wall, cached_cpu = timed(lambda: read_cached(reader, config, path, cache_dir))
    assert [s.spans for s in cached] == [s.spans for s in sentences]
    return {
        "file": str(path), "reader": config["type"], "sentences": len(sentences),
        "characters": sum(len(s) for s in sentences),
        "read_wall_s": read_wall, "read_cpu_s": read_cpu,
        "first_cached_read_wall_s": store_wall,
        "cached_read_wall_s": cached_wall, "cached_read_cpu_s": cached_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--msra", type=Path, default=DATA / "msra" / "train.bio")
    parser.add_argument("--pd1998", type=Path, default=DATA / "pd1998" / "199801-train.txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache_dir:
        results = [measure({"type": "conll", "tag_scheme": "BIO"}, args.msra, cache_dir)]
        if args.pd1998.is_file():
            results.append(measure({"type": "pfr1998"}, args.pd1998, cache_dir))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
