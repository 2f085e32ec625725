"""Load and memory of ``nerkit serve``: latency, requests/s and server RSS over many requests.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/serve_load.py ARCHIVE \
        [--data ../shared/data/msra/dev.bio] [--requests 10000] [--clients 8] \
        [--runtime torch|onnx] [--output results/serve_load.json]

Starts the server as a subprocess on a free 127.0.0.1 port, then ``--clients`` threads send
``--requests`` single-text requests in all (dev sentences, round robin). The server's resident
memory (RSS, with its child threads) is sampled after every 1,000 requests; the check is that
RSS grows by at most 10% between request 1,000 and the last request. Loopback only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_texts(path: str) -> list[str]:
    """Sentences of a CHAR<TAB>TAG file, as plain text."""
    texts, chars = [], []
    for line in Path(path).read_text("utf-8").splitlines():
        if line.strip():
            chars.append(line.split("\t")[0])
        elif chars:
            texts.append("".join(chars))
            chars = []
    return texts + (["".join(chars)] if chars else [])


def start_server(archive: str, runtime: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "nerkit", "serve", archive, "--port", str(port),
         "--runtime", runtime], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return url, process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive")
    parser.add_argument("--data", default="../shared/data/msra/dev.bio")
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runtime", default="torch")
    parser.add_argument("--output")
    args = parser.parse_args()
    texts = read_texts(args.data)
    url, process = start_server(args.archive, args.runtime)
    server = psutil.Process(process.pid)
    counter = itertools.count(1)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    rss: dict[int, int] = {}

    def client() -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            while (number := next(counter)) <= args.requests:
                text = texts[number % len(texts)]
                started = time.perf_counter()
                response = http.post("/predict", json={"text": text})
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code}: {response.text[:100]}")
                    if number % 1000 == 0:
                        rss[number] = server.memory_info().rss

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    process.terminate()
    process.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100)
    first, last = rss[min(rss)], rss[max(rss)]
    report = {
        "archive": args.archive, "runtime": args.runtime, "requests": len(latencies),
        "clients": args.clients, "errors": len(errors), "error_samples": errors[:5],
        "p50_ms": 1000 * cuts[49], "p99_ms": 1000 * cuts[98],
        "requests_per_s": len(latencies) / wall,
        "rss_mib": {str(k): v / 2**20 for k, v in sorted(rss.items())},
        "rss_growth_after_first_1000": last / first - 1,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }
    print(f"{report['requests']} requests, {args.clients} clients, {len(errors)} errors; "
          f"p50 {report['p50_ms']:.1f} ms, p99 {report['p99_ms']:.1f} ms, "
          f"{report['requests_per_s']:.0f} req/s; RSS {first / 2**20:.0f} MiB at request "
          f"{min(rss)}, {last / 2**20:.0f} MiB at {max(rss)} "
          f"({100 * report['rss_growth_after_first_1000']:+.1f}%)")
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
