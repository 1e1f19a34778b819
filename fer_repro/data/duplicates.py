"""Exact (byte-identical) duplicate images, within and across splits."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd


def image_hashes(images: np.ndarray) -> np.ndarray:
    """SHA-1 of each image's pixel bytes (hex strings)."""
    flat = np.ascontiguousarray(images.reshape(len(images), -1))
    return np.array([hashlib.sha1(row.tobytes()).hexdigest() for row in flat])


@dataclass(frozen=True, eq=False)
class DuplicateReport:
    group: np.ndarray  # per image: group id of its identical-pixel group (-1 when unique)
    n_distinct: int
    n_groups: int  # groups with more than one image
    n_in_groups: int
    pairs: pd.DataFrame  # per split pair: pair count and pairs with different labels

    @property
    def n_redundant(self) -> int:
        return self.n_in_groups - self.n_groups


def find_duplicates(
    images: np.ndarray, labels: np.ndarray, split: np.ndarray, split_names: tuple[str, ...]
) -> DuplicateReport:
    h = image_hashes(images)
    _, inv, counts = np.unique(h, return_inverse=True, return_counts=True)
    multi = counts[inv] > 1
    group = np.where(multi, inv, -1)
    pair_n: Counter[tuple[str, str]] = Counter()
    pair_diff: Counter[tuple[str, str]] = Counter()
    order = np.argsort(inv, kind="stable")
    bounds = np.cumsum(counts)[:-1]
    for members in np.split(order, bounds):
        if len(members) < 2:
            continue
        for a, b in combinations(members, 2):
            sa, sb = sorted((int(split[a]), int(split[b])))
            key = (split_names[sa], split_names[sb])
            pair_n[key] += 1
            pair_diff[key] += int(labels[a] != labels[b])
    rows = [
        {"pair": f"{a}-{b}", "pairs": pair_n[(a, b)], "different labels": pair_diff[(a, b)]}
        for i, a in enumerate(split_names)
        for b in split_names[i:]
    ]
    return DuplicateReport(
        group, len(counts), int((counts > 1).sum()), int(multi.sum()), pd.DataFrame(rows)
    )


def has_copy_in(hashes: np.ndarray, query: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """For each index in `query`: does a byte-identical image exist among `reference` indices?"""
    ref = set(hashes[reference].tolist())
    return np.array([hashes[i] in ref for i in query], dtype=bool)
