"""Dataset readers. Registered names: conll."""

from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.dataset_readers.dataset_reader import DatasetReader

__all__ = ["ConllDatasetReader", "DatasetReader"]
