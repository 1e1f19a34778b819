"""Data: finding, verifying and loading the data sets; splits; tensor augmentation."""

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
from .splits import (
    Split,
    cv_with_inner_validation,
    grouped_kfold,
    official_fer2013,
    random_split,
    stratified_kfold,
)
from .store import DataError, available, find, search_path

_AUGMENT = ("Augment", "cutmix", "mixup", "random_affine", "random_hflip")


def __getattr__(name: str):
    # augmentation needs torch; import it only when asked, so data loading stays light
    if name in _AUGMENT:
        from . import augment

        return getattr(augment, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Augment",
    "DataError",
    "Dataset",
    "DuplicateReport",
    "Split",
    "available",
    "cutmix",
    "cv_with_inner_validation",
    "ferplus_majority",
    "find",
    "find_duplicates",
    "grouped_kfold",
    "has_copy_in",
    "image_hashes",
    "import_fer2013",
    "load_ckplus48",
    "load_fer2013",
    "load_ferplus_votes",
    "load_kdef_subset",
    "mixup",
    "official_fer2013",
    "random_affine",
    "random_hflip",
    "random_split",
    "search_path",
    "stratified_kfold",
]
