"""Import a user's own FER2013 copy into the canonical npz form.

Accepted inputs:

* the Kaggle ``fer2013.csv`` (columns ``emotion``, ``pixels``, ``Usage``);
* the Kaggle image-folder layout ``<root>/{train,test}/<class>/<Usage>_<id>.jpg`` (class folder
  names as in FER2013; the test folder needs the ``PublicTest_``/``PrivateTest_`` file prefixes to
  tell the two test halves apart).

The result is verified exactly like the shared copy (counts per split and class, shapes, dtypes)
before anything is written; the file and its checksum manifest are written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from . import reference as ref
from .datasets import FER2013_SPEC
from .store import DataError, check_counts, content_sha256, manifest_path

HINT = (
    "pass the Kaggle fer2013.csv (columns emotion,pixels,Usage) or the folder that holds "
    "train/ and test/ with one sub-folder per class"
)


def _from_csv(path: Path) -> dict[str, np.ndarray]:
    import pandas as pd

    try:
        df = pd.read_csv(path, dtype={"emotion": "int64", "pixels": "string", "Usage": "string"})
    except Exception as e:
        raise DataError(f"{path}: cannot be read as the Kaggle fer2013.csv ({e}). To fix: {HINT}.") from e
    missing = {"emotion", "pixels", "Usage"} - set(df.columns)
    if missing:
        raise DataError(f"{path}: columns {sorted(missing)} missing. To fix: {HINT}.")
    pix = df["pixels"].fillna("").str.split()
    bad = pix.map(len) != 48 * 48
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{path}: row {i} has {len(pix.iloc[i])} pixel values, expected 2304 (48x48); the file "
            f"is truncated or corrupt ({int(bad.sum())} bad rows). To fix: {HINT}."
        )
    images = np.array(pix.tolist(), dtype=np.int64)
    if images.min() < 0 or images.max() > 255:
        raise DataError(f"{path}: pixel values outside 0..255. To fix: {HINT}.")
    usage_map = {s: i for i, s in enumerate(ref.FER2013_SPLITS)}
    unknown = set(df["Usage"]) - set(usage_map)
    if unknown:
        raise DataError(f"{path}: unknown Usage values {sorted(unknown)}. To fix: {HINT}.")
    n = len(df)
    return {
        "images": images.astype(np.uint8).reshape(n, 48, 48),
        "labels": df["emotion"].to_numpy().astype(np.int8),
        "usage": df["Usage"].map(usage_map).to_numpy().astype(np.int8),
        "ids": np.array([f"csv/{i}" for i in range(n)]),
        "fer_row": np.arange(n, dtype=np.int32),
        "lossless": np.ones(n, dtype=bool),
    }


def _from_folders(root: Path) -> dict[str, np.ndarray]:
    from PIL import Image

    prefix_usage = {s: i for i, s in enumerate(ref.FER2013_SPLITS)}
    images, labels, usage, ids = [], [], [], []
    for part in ("train", "test"):
        for ci, cname in enumerate(ref.FER2013_CLASSES):
            folder = root / part / cname
            if not folder.is_dir():
                raise DataError(f"{root}: folder {part}/{cname} missing. To fix: {HINT}.")
            for f in sorted(folder.iterdir()):
                if f.suffix.lower() not in (".jpg", ".jpeg", ".png"):
                    continue
                pre = f.name.split("_", 1)[0]
                if pre not in prefix_usage:
                    if part == "train":
                        pre = "Training"
                    else:
                        raise DataError(
                            f"{f}: test images need a PublicTest_ or PrivateTest_ name prefix to be "
                            f"assigned to a split. To fix: {HINT}."
                        )
                try:
                    with Image.open(f) as im:
                        a = np.asarray(im.convert("L"), dtype=np.uint8)
                except Exception as e:
                    raise DataError(f"{f}: unreadable image ({e}). To fix: {HINT}.") from e
                if a.shape != (48, 48):
                    raise DataError(f"{f}: image is {a.shape}, expected 48x48. To fix: {HINT}.")
                images.append(a)
                labels.append(ci)
                usage.append(prefix_usage[pre])
                ids.append(f"{part}/{cname}/{f.name}")
    n = len(labels)
    if n == 0:
        raise DataError(f"{root}: no images found. To fix: {HINT}.")
    return {
        "images": np.stack(images),
        "labels": np.array(labels, dtype=np.int8),
        "usage": np.array(usage, dtype=np.int8),
        "ids": np.array(ids),
        "fer_row": np.full(n, -1, dtype=np.int32),
        "lossless": np.zeros(n, dtype=bool),
    }


def import_fer2013(source: str | Path, dest: str | Path = "data") -> Path:
    """Convert `source` (csv or image folders) to ``dest/fer2013.npz``; verify before writing."""
    src = Path(source)
    if not src.exists():
        raise DataError(f"{src}: no such file or folder. To fix: {HINT}.")
    arrays = _from_folders(src) if src.is_dir() else _from_csv(src)
    # canonical row order: by split, then source order (stable)
    order = np.argsort(arrays["usage"], kind="stable")
    arrays = {k: v[order] for k, v in arrays.items()}
    n = len(arrays["labels"])
    arrays.update(
        class_names=np.array(ref.FER2013_CLASSES),
        usage_names=np.array(ref.FER2013_SPLITS),
        ferplus_name=np.array([""] * n, dtype="<U14"),
        row_label_ambiguous=np.zeros(n, dtype=bool),
    )
    if n != ref.FER2013_TOTAL:
        raise DataError(f"{src}: {n} images, expected {ref.FER2013_TOTAL}. To fix: {HINT}.")
    for i, split in enumerate(ref.FER2013_SPLITS):
        m = arrays["usage"] == i
        counts = np.bincount(arrays["labels"][m].astype(np.int64), minlength=7)
        check_counts(src, split, counts, ref.FER2013_COUNTS[split], HINT)
    digest = content_sha256(arrays, FER2013_SPEC.checksum_keys)
    out_dir = Path(dest)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "fer2013.npz"
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".tmp.npz")
    os.close(fd)
    try:
        np.savez_compressed(tmp, **arrays)
        Path(tmp).replace(out)
    finally:
        if Path(tmp).exists():
            Path(tmp).unlink()
    manifest_path(out).write_text(
        json.dumps({"source": str(src.resolve()), "content_sha256": digest, "n": n}, indent=1)
    )
    return out
