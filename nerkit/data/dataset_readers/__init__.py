"""Dataset readers. Registered names: brat, conll, jsonl, label_studio, pfr1998, sighan2006."""

from nerkit.data.dataset_readers.brat import BratDatasetReader
from nerkit.data.dataset_readers.conll import ConllDatasetReader
from nerkit.data.dataset_readers.dataset_reader import DatasetReader
from nerkit.data.dataset_readers.jsonl import JsonlDatasetReader
from nerkit.data.dataset_readers.label_studio import LabelStudioDatasetReader
from nerkit.data.dataset_readers.pfr1998 import Pfr1998DatasetReader
from nerkit.data.dataset_readers.sighan2006 import Sighan2006DatasetReader

__all__ = [
    "BratDatasetReader",
    "ConllDatasetReader",
    "DatasetReader",
    "JsonlDatasetReader",
    "LabelStudioDatasetReader",
    "Pfr1998DatasetReader",
    "Sighan2006DatasetReader",
]
