"""Token embedders. Registered names: embedding."""

from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder

__all__ = ["Embedding", "TokenEmbedder"]
