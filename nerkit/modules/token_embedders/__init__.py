"""Token embedders.

Registered names: bigram, char_cnn, concat, elmo, embedding, lexicon_features,
pretrained_transformer, projected, softlexicon, window_features.
"""

from nerkit.modules.token_embedders.bigram import BigramEmbedder
from nerkit.modules.token_embedders.char_cnn import CharCnnEmbedder
from nerkit.modules.token_embedders.concat import ConcatEmbedder
from nerkit.modules.token_embedders.elmo import ElmoTokenEmbedder
from nerkit.modules.token_embedders.embedding import Embedding
from nerkit.modules.token_embedders.lexicon_features import LexiconFeaturesEmbedder
from nerkit.modules.token_embedders.pretrained_transformer import PretrainedTransformerEmbedder
from nerkit.modules.token_embedders.projected import ProjectedEmbedder
from nerkit.modules.token_embedders.softlexicon import SoftLexiconEmbedder
from nerkit.modules.token_embedders.token_embedder import TokenEmbedder
from nerkit.modules.token_embedders.window_features import WindowFeaturesEmbedder

__all__ = [
    "BigramEmbedder",
    "CharCnnEmbedder",
    "ConcatEmbedder",
    "ElmoTokenEmbedder",
    "Embedding",
    "LexiconFeaturesEmbedder",
    "PretrainedTransformerEmbedder",
    "ProjectedEmbedder",
    "SoftLexiconEmbedder",
    "TokenEmbedder",
    "WindowFeaturesEmbedder",
]
