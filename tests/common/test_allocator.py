"""glibc keeps freed large blocks by default; after map_large_blocks they go back to the OS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import nerkit
from nerkit.common import allocator

# Allocates, touches and frees a 10 MB block twice through malloc itself, then prints how many
# MB of anonymous memory the process still holds compared with before.
RETAINED_AFTER_FREE = """
import ctypes, sys
from nerkit.common.allocator import map_large_blocks
def anonymous_kb():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
if sys.argv[1] == "mapped":
    assert map_large_blocks()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
size = 10 << 20
before = anonymous_kb()
for _ in range(2):
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    libc.free(block)
print((anonymous_kb() - before) / 1024)
"""

needs_glibc = pytest.mark.skipif(
    allocator._glibc() is None or allocator.user_tuned_malloc(),
    reason="glibc with its default malloc settings only",
)


def _retained_mb(mode: str) -> float:
    root = Path(nerkit.__file__).resolve().parents[1]
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("MALLOC_") and name != "GLIBC_TUNABLES"}
    env["PYTHONPATH"] = os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, "-c", RETAINED_AFTER_FREE, mode], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return float(result.stdout.split()[-1])


@needs_glibc
def test_freed_large_blocks_go_back_to_the_os():
    assert _retained_mb("default") > 8  # glibc raised its threshold and kept the second block
    assert _retained_mb("mapped") < 2


def test_user_settings_are_left_alone(monkeypatch):
    for name in allocator.MALLOC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.rtld.nns=2")
    assert not allocator.user_tuned_malloc()
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536")
    assert allocator.user_tuned_malloc() and not allocator.map_large_blocks()
    monkeypatch.delenv("GLIBC_TUNABLES")
    monkeypatch.setenv("MALLOC_ARENA_MAX", "2")
    assert allocator.user_tuned_malloc() and not allocator.map_large_blocks()
