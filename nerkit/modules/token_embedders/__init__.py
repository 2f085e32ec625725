"""Token embedders. Registered names: elmo, embedding."""

from nerkit.modules.token_embedders.elmo import ElmoTokenEmbedder
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder

__all__ = ["ElmoTokenEmbedder", "Embedding", "TokenEmbedder"]
