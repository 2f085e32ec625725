"""Character bigrams: the second input unit of Chinese character taggers (one per character)."""

from __future__ import annotations

from collections.abc import Sequence

END = "</s>"  # pairs with a sentence's last character


def character_bigrams(chars: Sequence[str]) -> list[str]:
    """``chars[i] + chars[i+1]`` at every position; the last character pairs with ``</s>``."""
    return [a + b for a, b in zip(chars, [*chars[1:], END])]
