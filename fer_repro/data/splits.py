"""Splits as objects: the official FER2013 split, seeded stratified k-fold, subject-grouped k-fold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from .datasets import Dataset


@dataclass(frozen=True, eq=False)
class Split:
    """Index arrays into a Dataset. `val` drives model selection; `test` is touched once."""

    name: str
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray

    def __post_init__(self) -> None:
        for a, b in ((self.train, self.val), (self.train, self.test), (self.val, self.test)):
            if np.intersect1d(a, b).size:
                raise ValueError(f"split {self.name!r}: index sets overlap")

    def sizes(self) -> dict[str, int]:
        return {"train": len(self.train), "val": len(self.val), "test": len(self.test)}


def official_fer2013(ds: Dataset) -> Split:
    """Training for training, PublicTest for validation, PrivateTest for the final test."""
    idx = np.arange(len(ds))
    return Split(
        "official",
        idx[ds.split_mask("Training")],
        idx[ds.split_mask("PublicTest")],
        idx[ds.split_mask("PrivateTest")],
    )


def stratified_kfold(
    labels: np.ndarray, k: int, seed: int, indices: np.ndarray | None = None,
    test: np.ndarray | None = None,
) -> list[Split]:
    """Seeded stratified k-fold over `indices` (default: all rows). Fold i validates on part i.

    `test`, when given, is carried unchanged into every fold (e.g. PrivateTest)."""
    idx = np.arange(len(labels)) if indices is None else np.asarray(indices)
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    t = np.array([], dtype=np.int64) if test is None else np.asarray(test)
    return [
        Split(f"fold{i}", idx[tr], idx[va], t)
        for i, (tr, va) in enumerate(skf.split(idx, labels[idx]))
    ]


def cv_with_inner_validation(
    labels: np.ndarray, k: int, seed: int, indices: np.ndarray | None = None,
    inner_val: float = 0.1,
) -> list[Split]:
    """k-fold CV where fold i's held-out part is its *test* set and early stopping uses an inner,
    stratified validation part carved from the fold's training part, so no fold selects epochs on
    the images it is scored on."""
    from sklearn.model_selection import train_test_split

    out = []
    for f in stratified_kfold(labels, k, seed, indices):
        tr, va = train_test_split(f.train, test_size=inner_val, stratify=labels[f.train],
                                  random_state=seed + 1)
        out.append(Split(f.name, np.sort(tr), np.sort(va), np.sort(f.val)))
    return out


def grouped_kfold(labels: np.ndarray, groups: np.ndarray, k: int, seed: int) -> list[Split]:
    """Subject-independent stratified k-fold: no group (subject) appears in two parts.

    Each fold's held-out part is its test set; the validation set for model selection is carved
    from the training groups (one further group fold), so no fold selects on its own test set."""
    idx = np.arange(len(labels))
    outer = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    folds = []
    for i, (tr, te) in enumerate(outer.split(idx, labels, groups)):
        inner = StratifiedGroupKFold(n_splits=max(2, k - 1), shuffle=True, random_state=seed + 1 + i)
        itr, iva = next(inner.split(tr, labels[tr], groups[tr]))
        folds.append(Split(f"fold{i}", tr[itr], tr[iva], te))
    return folds


def random_split(labels: np.ndarray, test_fraction: float, seed: int, val_fraction: float = 0.0) -> Split:
    """A stratified random image-level split (the protocol several papers use; it ignores subjects)."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(labels))
    rest, te = train_test_split(idx, test_size=test_fraction, stratify=labels, random_state=seed)
    va = np.array([], dtype=np.int64)
    if val_fraction > 0:
        rest, va = train_test_split(
            rest, test_size=val_fraction / (1 - test_fraction), stratify=labels[rest],
            random_state=seed + 1,
        )
    return Split("random", np.sort(rest), np.sort(va), np.sort(te))
