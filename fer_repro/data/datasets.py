"""Verified loaders for FER2013 (+FER+ votes), CK+48 and the KDEF subset."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import reference as ref
from .store import FIX_HINT, DataError, Spec, check_checksum, check_counts, find, read_npz

FER2013_SPEC = Spec(
    "fer2013.npz",
    {
        "images": ("u1", (None, 48, 48)),
        "labels": ("i1", (None,)),
        "usage": ("i1", (None,)),
        "ids": ("U", (None,)),
        "class_names": ("U", (7,)),
        "usage_names": ("U", (3,)),
        "fer_row": ("i4", (None,)),
        "lossless": ("b1", (None,)),
        "ferplus_name": ("U", (None,)),
        "row_label_ambiguous": ("b1", (None,)),
    },
    ("images", "labels", "usage"),
)
CKPLUS48_SPEC = Spec(
    "ckplus48.npz",
    {
        "images": ("u1", (None, 48, 48)),
        "labels": ("i1", (None,)),
        "class_names": ("U", (7,)),
        "subject_ids": ("U", (None,)),
        "sequence_ids": ("U", (None,)),
        "frame_ids": ("i2", (None,)),
    },
    ("images", "labels"),
)
KDEF_SPEC = Spec(
    "kdef_subset3.npz",
    {
        "images": ("u1", (None, 240, 240)),
        "labels": ("i1", (None,)),
        "class_names": ("U", (3,)),
        "subject_ids": ("U", (None,)),
        "session": ("U", (None,)),
    },
    ("images", "labels"),
)


@dataclass(frozen=True, eq=False)
class Dataset:
    """Images (uint8, N x H x W), integer labels, class names, and per-image metadata.

    ``groups`` holds the unit that must not be split across train and test (subject ids for
    CK+48 and KDEF); ``split`` holds the official split index where a data set has one.
    """

    name: str
    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    path: Path
    checksum: str
    meta: dict[str, np.ndarray] = field(default_factory=dict)
    groups: np.ndarray | None = None
    split: np.ndarray | None = None
    split_names: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def counts(self, mask: np.ndarray | None = None) -> np.ndarray:
        y = self.labels if mask is None else self.labels[mask]
        return np.bincount(y.astype(np.int64), minlength=self.n_classes)

    def split_mask(self, name: str) -> np.ndarray:
        if self.split is None:
            raise ValueError(f"{self.name} has no official split")
        return self.split == self.split_names.index(name)


def _sorted_unique(path: Path, what: str, arr: np.ndarray, expected: int, hint: str) -> None:
    n = len(np.unique(arr))
    if n != expected:
        raise DataError(f"{path}: {n} distinct {what}, expected {expected}. To fix: {hint}.")


@functools.lru_cache(maxsize=4)
def _load_fer2013(path: Path, mtime: float) -> Dataset:
    d = read_npz(path, FER2013_SPEC)
    hint = FIX_HINT["fer2013.npz"]
    n = len(d["labels"])
    for k in ("usage", "ids", "fer_row", "lossless", "ferplus_name", "row_label_ambiguous"):
        if len(d[k]) != n or len(d["images"]) != n:
            raise DataError(f"{path}: array {k!r} has {len(d[k])} rows, labels has {n}. To fix: {hint}.")
    if tuple(d["class_names"]) != ref.FER2013_CLASSES or tuple(d["usage_names"]) != ref.FER2013_SPLITS:
        raise DataError(
            f"{path}: class/split names {list(d['class_names'])}/{list(d['usage_names'])}, expected "
            f"{list(ref.FER2013_CLASSES)}/{list(ref.FER2013_SPLITS)}. To fix: {hint}."
        )
    if n != ref.FER2013_TOTAL:
        raise DataError(f"{path}: {n} images, expected {ref.FER2013_TOTAL}. To fix: {hint}.")
    for i, split in enumerate(ref.FER2013_SPLITS):
        m = d["usage"] == i
        counts = np.bincount(d["labels"][m].astype(np.int64), minlength=7)
        check_counts(path, f"{split}", counts, ref.FER2013_COUNTS[split], hint)
    digest = check_checksum(path, d, FER2013_SPEC)
    meta = {k: d[k] for k in ("ids", "fer_row", "lossless", "ferplus_name", "row_label_ambiguous")}
    return Dataset(
        "FER2013", d["images"], d["labels"].astype(np.int64), ref.FER2013_CLASSES, path, digest,
        meta=meta, split=d["usage"].astype(np.int64), split_names=ref.FER2013_SPLITS,
    )


def _cached(loader, path: Path) -> Dataset:
    return loader(path.resolve(), path.stat().st_mtime)


def load_fer2013(path: str | Path | None = None) -> Dataset:
    """FER2013 with its official Usage split (Training / PublicTest / PrivateTest), verified."""
    return _cached(_load_fer2013, Path(path) if path else find("fer2013.npz"))


def _read_subject_set(path: Path, spec, file: str, name: str, counts, subjects):
    """Read and verify a data set with subject ids (CK+48, the KDEF subset): the class
    counts and the subject list against the reference. Returns the arrays and the fix hint; the
    caller adds its own checks and verifies the content checksum."""
    d = read_npz(path, spec)
    hint = FIX_HINT[file]
    check_counts(path, name, np.bincount(d["labels"].astype(np.int64), minlength=len(counts)),
                 counts, hint)
    _sorted_unique(path, "subjects", d["subject_ids"], subjects, hint)
    return d, hint


@functools.lru_cache(maxsize=2)
def _load_ckplus48(path: Path, mtime: float) -> Dataset:
    d, hint = _read_subject_set(path, CKPLUS48_SPEC, "ckplus48.npz", "CK+48",
                                ref.CKPLUS48_COUNTS, ref.CKPLUS48_SUBJECTS)
    seq = np.char.add(np.char.add(d["subject_ids"], "_"), d["sequence_ids"])
    _sorted_unique(path, "sequences", seq, ref.CKPLUS48_SEQUENCES, hint)
    digest = check_checksum(path, d, CKPLUS48_SPEC)
    return Dataset(
        "CK+48", d["images"], d["labels"].astype(np.int64), ref.CKPLUS48_CLASSES, path, digest,
        meta={"subject_ids": d["subject_ids"], "sequence_ids": seq, "frame_ids": d["frame_ids"]},
        groups=d["subject_ids"],
    )


def load_ckplus48(path: str | Path | None = None) -> Dataset:
    """CK+48: 981 frames (3 peak frames of 327 sequences, 118 subjects), grouped by subject."""
    return _cached(_load_ckplus48, Path(path) if path else find("ckplus48.npz"))


@functools.lru_cache(maxsize=2)
def _load_kdef(path: Path, mtime: float) -> Dataset:
    d, _ = _read_subject_set(path, KDEF_SPEC, "kdef_subset3.npz", "KDEF subset",
                             ref.KDEF_SUBSET_COUNTS, ref.KDEF_SUBSET_SUBJECTS)
    digest = check_checksum(path, d, KDEF_SPEC)
    meta = {k: d[k] for k in ("subject_ids", "session", "gender", "names") if k in d}
    return Dataset(
        "KDEF subset", d["images"], d["labels"].astype(np.int64), ref.KDEF_SUBSET_CLASSES, path,
        digest, meta=meta, groups=d["subject_ids"],
    )


def load_kdef_subset(path: str | Path | None = None) -> Dataset:
    """The 420-image KDEF subset (70 subjects x 2 sessions x angry/happy/sad), grouped by subject."""
    return _cached(_load_kdef, Path(path) if path else find("kdef_subset3.npz"))


#: FER+ vote columns, and where each emotion sits in FER2013's label order (-1: no FER2013 class)
FERPLUS_COLUMNS = ("neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear",
                   "contempt", "unknown", "NF")
FERPLUS_TO_FER2013 = {"neutral": 6, "happiness": 3, "surprise": 5, "sadness": 4, "anger": 0,
                      "disgust": 1, "fear": 2, "contempt": -1, "unknown": -1, "NF": -1}


def load_ferplus_votes(path: str | Path | None = None) -> pd.DataFrame:
    """FER+ votes (ten annotators per image) in fer2013.csv row order, verified."""
    p = Path(path) if path else find("ferplus_votes.csv")
    hint = FIX_HINT["ferplus_votes.csv"]
    try:
        df = pd.read_csv(p)
    except Exception as e:  # pandas raises many types for a broken csv
        raise DataError(f"{p}: cannot be read as CSV ({e}). To fix: {hint}.") from e
    missing = [c for c in ("Usage", *FERPLUS_COLUMNS) if c not in df.columns]
    if missing or len(df) != ref.FER2013_TOTAL:
        raise DataError(
            f"{p}: {len(df)} rows and missing columns {missing}; expected {ref.FER2013_TOTAL} rows "
            f"with columns Usage, Image name, {', '.join(FERPLUS_COLUMNS)}. To fix: {hint}."
        )
    return df


def ferplus_majority(votes: pd.DataFrame, rule: str = "argmax") -> np.ndarray:
    """Per csv row: the FER2013 class index of the FER+ annotators' choice, or -1 when that choice
    is contempt / unknown / not-a-face or undecided under `rule`:

    * ``"argmax"``: the most-voted column, ties broken by column order (neutral first);
    * ``"plurality"``: the most-voted column when it is unique, else -1;
    * ``"absolute"``: the column with more than half of the votes, else -1.
    """
    v = votes[list(FERPLUS_COLUMNS)].to_numpy()
    arg = v.argmax(axis=1)
    mapped = np.array([FERPLUS_TO_FER2013[c] for c in FERPLUS_COLUMNS])[arg]
    top = v.max(axis=1)
    if rule == "argmax":
        ok = top > 0
    elif rule == "plurality":
        ok = (top > 0) & ((v == top[:, None]).sum(axis=1) == 1)
    elif rule == "absolute":
        ok = top * 2 > v.sum(axis=1)
    else:
        raise ValueError(f"unknown rule {rule!r}")
    return np.where(ok, mapped, -1)
