"""Build a small random BERT (default: 2 layers, hidden 16) on disk, offline, for tests."""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
WORD_PIECES = ("be", "##ij", "##ing", "20", "##08", "##00")
FIXTURE_DATA = Path(__file__).resolve().parents[2] / "fixtures" / "data"


def fixture_characters(data_dir: Path = FIXTURE_DATA) -> list[str]:
    """Characters of the first column of every ``*.bio`` file under ``data_dir``, sorted."""
    found: set[str] = set()
    for path in sorted(data_dir.glob("*.bio")):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if fields and len(fields[0]) == 1:
                found.add(fields[0])
    return sorted(found)


def tiny_vocabulary(characters: Iterable[str]) -> list[str]:
    """Special tokens, the characters, digits, lowercase letters and a few ``##`` pieces."""
    pieces = [*string.digits, *string.ascii_lowercase]
    tokens = [*SPECIAL_TOKENS, *characters, *pieces, *(f"##{p}" for p in pieces), *WORD_PIECES]
    return list(dict.fromkeys(t for t in tokens if not t.isspace()))


def build_tiny_bert(
    directory: str | Path,
    characters: Iterable[str] | None = None,
    seed: int = 0,
    max_position_embeddings: int = 64,
    hidden_size: int = 16,
    num_layers: int = 2,
    num_heads: int = 2,
    intermediate_size: int = 32,
) -> Path:
    """Write a random BERT with its tokenizer into ``directory`` and return the path.

    Args:
        directory: Created if missing; receives ``config.json``, ``model.safetensors`` and the
            tokenizer files, so ``AutoModel``/``AutoTokenizer.from_pretrained(directory)`` work.
        characters: Vocabulary characters; default the characters of ``fixtures/data/*.bio``.
        seed: Seed for the random weights (same seed, same weights).
        max_position_embeddings: Longest input in sub-tokens, special tokens included.
        hidden_size: Width (the default is tiny, for tests; benchmarks use e.g. 256).
        num_layers: Transformer layers.
        num_heads: Attention heads (``hidden_size`` must be a multiple).
        intermediate_size: Width of each layer's feed-forward block.
    """
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    chars = fixture_characters() if characters is None else list(characters)
    vocab_file = directory / "vocab.txt"
    vocab_file.write_text("\n".join(tiny_vocabulary(chars)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(
        vocab=str(vocab_file), model_max_length=max_position_embeddings
    )
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=hidden_size, num_hidden_layers=num_layers,
        num_attention_heads=num_heads, intermediate_size=intermediate_size,
        max_position_embeddings=max_position_embeddings,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    BertModel(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
