"""Finding, loading and verifying the canonical data files.

The canonical store is a set of ``.npz`` files (see ``../shared/data/PROVENANCE.md``). They are
searched in ``$FER_REPRO_DATA``, ``./data`` and ``../shared/data`` (relative to the working
directory and to the repository root), in that order. Every load is verified: required arrays,
dtypes, shapes, per-split per-class counts and a content checksum. Anything wrong raises
:class:`DataError` with the file, what was expected and the command that fixes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_VAR = "FER_REPRO_DATA"

FIX_HINT = {
    "fer2013.npz": (
        "download FER2013 (Kaggle 'fer2013.csv', or the train/test image folders) and run "
        "`python -m fer_repro data import PATH`, or set FER_REPRO_DATA to a folder holding fer2013.npz"
    ),
    "ckplus48.npz": "set FER_REPRO_DATA to a folder holding ckplus48.npz (see PROVENANCE.md)",
    "kdef_subset3.npz": "set FER_REPRO_DATA to a folder holding kdef_subset3.npz (see PROVENANCE.md)",
    "ferplus_votes.csv": (
        "copy microsoft/FERPlus fer2013new.csv as ferplus_votes.csv into a folder on the data "
        "search path (set FER_REPRO_DATA)"
    ),
}

#: sha256 of images+labels(+usage) bytes of the canonical files in ../shared/data. Imported copies
#: carry their own checksum in a ``<name>.manifest.json`` written by ``data import``.
CANONICAL_CONTENT_SHA256 = {
    "fer2013.npz": "476c84af335564e17e9103e10995cc2f24d4b0912a6e74c2d05b8b8d93cce90a",
    "ckplus48.npz": "44f88f8e4df462e2d13f59ac9464b450611449c7bf1440473984cd9be852e215",
    "kdef_subset3.npz": "35449427dc9885714fc31e941aaea083ea20764b7b35289b3bf1f0acd673057f",
}


class DataError(RuntimeError):
    """Missing, truncated or mismatching data. The message says what to do."""


def search_path() -> list[Path]:
    """Folders searched for data files, in order."""
    paths: list[Path] = []
    env = os.environ.get(ENV_VAR)
    if env:
        paths += [Path(p) for p in env.split(os.pathsep) if p]
    for base in (Path.cwd(), REPO_ROOT):
        paths += [base / "data", base.parent / "shared" / "data"]
    seen: list[Path] = []
    for p in paths:
        rp = p.resolve()
        if rp not in seen:
            seen.append(rp)
    return seen


def find(name: str) -> Path:
    """The first copy of `name` on the search path, or a DataError saying how to get it."""
    for folder in search_path():
        cand = folder / name
        if cand.is_file():
            return cand
    raise DataError(
        f"{name} not found. Looked in: {', '.join(str(p) for p in search_path())}. "
        f"To fix: {FIX_HINT.get(name, 'put the file in ./data or set FER_REPRO_DATA')}."
    )


def available(name: str) -> bool:
    try:
        find(name)
    except DataError:
        return False
    return True


def content_sha256(arrays: Mapping[str, np.ndarray], keys: Sequence[str]) -> str:
    """Checksum of the named arrays' dtype, shape and bytes (independent of npz compression)."""
    h = hashlib.sha256()
    for k in keys:
        a = np.ascontiguousarray(arrays[k])
        h.update(f"{k}:{a.dtype.str}:{a.shape};".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def manifest_path(npz: Path) -> Path:
    return npz.with_name(npz.stem + ".manifest.json")


@dataclass(frozen=True)
class Spec:
    """What a canonical file must contain."""

    name: str
    arrays: Mapping[str, tuple[str, tuple[int | None, ...]]]  # key -> (dtype kind/str, shape)
    checksum_keys: tuple[str, ...]


def read_npz(path: Path, spec: Spec) -> dict[str, np.ndarray]:
    """Load an npz fully, turning every low-level failure into a DataError."""
    hint = FIX_HINT.get(spec.name, "")
    try:
        with np.load(path, allow_pickle=False) as z:
            missing = [k for k in spec.arrays if k not in z.files]
            if missing:
                raise DataError(
                    f"{path}: arrays {missing} missing (expected {sorted(spec.arrays)}). To fix: {hint}."
                )
            data = {k: z[k] for k in z.files}
    except DataError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as e:
        raise DataError(
            f"{path}: cannot be read as an npz archive ({type(e).__name__}: {e}); the file is "
            f"truncated or corrupt. To fix: {hint}."
        ) from e
    for k, (dtype, shape) in spec.arrays.items():
        a = data[k]
        if np.dtype(a.dtype).str.lstrip("<>|=") != np.dtype(dtype).str.lstrip("<>|=") and not (
            dtype.startswith("U") and a.dtype.kind == "U"
        ):
            raise DataError(f"{path}: array {k!r} has dtype {a.dtype}, expected {dtype}. To fix: {hint}.")
        if len(a.shape) != len(shape) or any(s is not None and s != t for s, t in zip(shape, a.shape)):
            raise DataError(
                f"{path}: array {k!r} has shape {a.shape}, expected {shape}. To fix: {hint}."
            )
    return data


def check_counts(
    path: Path, what: str, counts: Sequence[int], expected: Sequence[int], hint: str
) -> None:
    if tuple(int(c) for c in counts) != tuple(expected):
        raise DataError(
            f"{path}: {what} counts per class are {list(map(int, counts))}, expected "
            f"{list(expected)}. The file is not the reference data set. To fix: {hint}."
        )


def check_checksum(path: Path, data: Mapping[str, np.ndarray], spec: Spec) -> str:
    """Compare the content checksum with the manifest (imports) or the canonical value."""
    digest = content_sha256(data, spec.checksum_keys)
    man = manifest_path(path)
    if man.is_file():
        expected = json.loads(man.read_text()).get("content_sha256", "")
        source = str(man)
    else:
        expected = CANONICAL_CONTENT_SHA256.get(spec.name, "")
        source = "the canonical checksum in fer_repro/data/store.py"
    if expected and digest != expected:
        raise DataError(
            f"{path}: content checksum {digest[:16]}... does not match {expected[:16]}... from "
            f"{source}; the data were modified or corrupted. To fix: {FIX_HINT.get(spec.name, '')}."
        )
    return digest
