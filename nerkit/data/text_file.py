"""Decode a corpus file into numbered lines: encoding detection, BOM and CRLF tolerated.

Undecodable bytes are reported on the line where they occur, never replaced silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

#: Encodings tried, in order, when a reader's ``encoding`` is ``"auto"``. GB18030 is a superset
#: of GBK and GB2312, the encodings the Chinese corpora ship in.
AUTO_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

Problem = Callable[[str, Path, int], None]


def detect_encoding(data: bytes) -> str:
    """``utf-8`` or ``gb18030``: the first that decodes ``data``, else the one that fails last."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    failures: dict[str, int] = {}
    for encoding in AUTO_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError as error:
            failures[encoding] = error.start
        else:
            return encoding
    return max(AUTO_ENCODINGS, key=lambda e: failures[e])


def iter_lines(path: Path, encoding: str, problem: Problem) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text)`` with line ends (``\\r\\n``, extra ``\\r``) removed.

    Args:
        path: The file.
        encoding: A Python codec name or ``"auto"`` (see ``detect_encoding``).
        problem: Called as ``problem(message, path, line)`` for an undecodable line, which is
            then left out; it raises unless the reader skips invalid lines.
    """
    data = path.read_bytes()
    if encoding == "auto":
        encoding = detect_encoding(data)
    if data.startswith(b"\xef\xbb\xbf") and encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        data = data[3:]
    try:
        lines = data.decode(encoding).split("\n")
    except UnicodeDecodeError:
        yield from _decode_each(data, encoding, path, problem)
        return
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        yield number, line.rstrip("\r")


def _decode_each(
    data: bytes, encoding: str, path: Path, problem: Problem
) -> Iterator[tuple[int, str]]:
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    for number, raw in enumerate(raw_lines, start=1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError as error:
            problem(
                f"bytes {raw[error.start:error.end]!r} at column {error.start + 1} are not valid "
                f"{encoding} (expected text in {encoding}; set the reader's encoding option)",
                path, number,
            )
            continue
        yield number, line.rstrip("\r")
