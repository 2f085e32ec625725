"""glibc malloc settings that keep a process's memory flat across batches of varying shapes.

glibc serves a block of at least ``M_MMAP_THRESHOLD`` bytes from its own mapping and unmaps it
when freed, but it raises that threshold (up to 32 MB) each time such a block is freed, so the
large tensors of later batches come from its heaps, which keep what was freed. With a new
batch shape every step the heaps fragment and grow: training ``bilstm_crf`` on MSRA grew by
about 500 MB in one epoch. A fixed threshold of 4 MB stops that growth for 10-12% more CPU
time (the kernel zeroes each new mapping); a smaller one saved little more and cost twice as
much (README, "Memory since issue #14").

A user who sets glibc's own variables (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``,
``MALLOC_TOP_PAD_``, ``MALLOC_ARENA_MAX`` or ``glibc.malloc.*`` in ``GLIBC_TUNABLES``) keeps
them: nerkit then leaves malloc alone. Elsewhere than glibc (macOS, musl) nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import platform

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
LARGE_BLOCK_BYTES = 4 << 20
MALLOC_VARIABLES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                    "MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_")


def user_tuned_malloc() -> bool:
    """True when the environment already sets one of glibc's malloc parameters."""
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    return any(name in os.environ for name in MALLOC_VARIABLES) or "glibc.malloc." in tunables


def _glibc() -> ctypes.CDLL | None:
    """The running C library when it is glibc, else ``None``."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        library = ctypes.CDLL(None)
    except OSError:
        return None
    return library if hasattr(library, "mallopt") and hasattr(library, "malloc_trim") else None


def map_large_blocks(threshold: int = LARGE_BLOCK_BYTES) -> bool:
    """Serve blocks of ``threshold`` bytes and more from their own mappings, given back to the
    OS when freed; also gives back the free heap memory held now. False when nothing changed
    (not glibc, or the user tuned malloc)."""
    library = _glibc()
    if library is None or user_tuned_malloc():
        return False
    changed = library.mallopt(M_MMAP_THRESHOLD, threshold) == 1
    library.malloc_trim(0)
    return changed
