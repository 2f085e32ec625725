"""A tiny model archive and a real ``nerkit serve`` subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ROOT = FIXTURES.parent


@pytest.fixture(scope="session")
def tiny_archive(tagger_archive: Path) -> Path:
    """The fixture BiLSTM-CRF trained for one epoch (tests/conftest.py), trained once a session."""
    return tagger_archive


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    archive: Path, *options: str, timeout: float = 90.0
) -> tuple[str, subprocess.Popen]:
    """Run ``python -m nerkit serve`` and wait until ``/health`` answers; (base URL, process)."""
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    process = subprocess.Popen(
        [sys.executable, "-m", "nerkit", "serve", str(archive), "--host", "127.0.0.1",
         "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nerkit serve exited early:\n{process.stdout.read()}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return url, process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"nerkit serve did not answer within {timeout} s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server_url(tiny_archive: Path) -> Iterator[str]:
    """Base URL of a server on the tiny model, shared by the serving tests."""
    url, process = start_server(tiny_archive)
    yield url
    stop_server(process)


@pytest.fixture
def launch_server() -> Iterator:
    """``launch(archive, *options) -> base URL``: more servers, stopped after the test."""
    processes: list[subprocess.Popen] = []

    def launch(archive: Path, *options: str) -> str:
        url, process = start_server(archive, *options)
        processes.append(process)
        return url

    yield launch
    for process in processes:
        stop_server(process)
