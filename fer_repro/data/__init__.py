"""Data: finding, verifying and loading the data sets; splits; tensor augmentation."""

from .augment import Augment, cutmix, mixup, random_affine, random_hflip
from .datasets import (
    Dataset,
    ferplus_majority,
    load_ckplus48,
    load_fer2013,
    load_ferplus_votes,
    load_kdef_subset,
)
from .duplicates import DuplicateReport, find_duplicates, has_copy_in, image_hashes
from .importer import import_fer2013
from .splits import Split, grouped_kfold, official_fer2013, random_split, stratified_kfold
from .store import DataError, available, find, search_path

__all__ = [
    "Augment", "cutmix", "mixup", "random_affine", "random_hflip",
    "Dataset", "ferplus_majority", "load_ckplus48", "load_fer2013", "load_ferplus_votes",
    "load_kdef_subset",
    "DuplicateReport", "find_duplicates", "has_copy_in", "image_hashes",
    "import_fer2013",
    "Split", "grouped_kfold", "official_fer2013", "random_split", "stratified_kfold",
    "DataError", "available", "find", "search_path",
]
