"""Token embedders.

Registered names: bigram, char_cnn, concat, elmo, embedding, pretrained_transformer,
window_features.
"""

from nerkit.modules.token_embedders.bigram import BigramEmbedder
from nerkit.modules.token_embedders.char_cnn import CharCnnEmbedder
from nerkit.modules.token_embedders.concat import ConcatEmbedder
from nerkit.modules.token_embedders.elmo import ElmoTokenEmbedder
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.modules.token_embedders.pretrained_transformer import PretrainedTransformerEmbedder
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder
from nerkit.modules.token_embedders.window_features import WindowFeaturesEmbedder

__all__ = [
    "BigramEmbedder",
    "CharCnnEmbedder",
    "ConcatEmbedder",
    "ElmoTokenEmbedder",
    "Embedding",
    "PretrainedTransformerEmbedder",
    "TokenEmbedder",
    "WindowFeaturesEmbedder",
]
