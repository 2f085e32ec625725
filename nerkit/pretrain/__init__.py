"""Embedders pretrained on raw text: ``word2vec`` (gensim), ``elmo`` (biLM), ``bert`` (masked LM).

Each module has a settings dataclass, ``PRESETS`` (``small`` for CPUs, ``base`` for GPUs) and a
``pretrain_*`` function; ``nerkit pretrain`` (``nerkit/commands/pretrain.py``) drives them.
"""
