"""Character normalisation that keeps one output character per input character (offsets hold).

* width: full-width ASCII variants ``！``..``～`` (U+FF01..U+FF5E) become their ASCII forms and the
  ideographic space U+3000 becomes a space; everything else is kept.
* digits: every decimal digit (ASCII, full-width, other scripts) becomes ``0``.
"""

from __future__ import annotations

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20


def to_half_width(text: str) -> str:
    """Full-width ASCII variants to ASCII; same length as ``text``."""
    return text.translate(_FULL_WIDTH)


def digits_to_zero(text: str) -> str:
    """Every decimal digit to ``0``; same length as ``text``."""
    return "".join("0" if ch.isdecimal() else ch for ch in text)


def normalize(text: str, width: bool = False, digits: bool = False) -> str:
    """Apply the chosen normalisations (width first, so ``１`` becomes ``1`` then ``0``)."""
    if width:
        text = to_half_width(text)
    if digits:
        text = digits_to_zero(text)
    return text
