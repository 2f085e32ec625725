"""Helpers shipped for testing nerkit components and user plugins.

* ``nerkit.testing.tiny_transformer``: ``build_tiny_bert`` writes a tiny random BERT, offline.
* ``nerkit.testing.contracts``: shared shape, mask and gradient checks for embedders and encoders.
"""
