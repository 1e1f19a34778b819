"""The data audit behind the data chapter: counts, duplicates, FER+ agreement, CK+/KDEF structure.

:func:`audit_outcome` computes everything from the verified data and returns it as a run-store
:class:`~fer_repro.runs.Outcome`, so the chapter renders from the record when the data are absent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..runs import Outcome
from . import reference as ref
from .datasets import (
    ferplus_majority,
    load_ckplus48,
    load_fer2013,
    load_ferplus_votes,
    load_kdef_subset,
)
from .duplicates import find_duplicates, image_hashes
from .store import CANONICAL_CONTENT_SHA256

FERPLUS_RULES = ("argmax", "plurality", "absolute")


def audit_config(n_samples: int = 6, seed: int = 0) -> dict[str, Any]:
    return {
        "data": {k: CANONICAL_CONTENT_SHA256[k] for k in
                 ("fer2013.npz", "ckplus48.npz", "kdef_subset3.npz")},
        "n_samples": n_samples,
        "seed": seed,
    }


def _fer2013_part(n_samples: int, seed: int) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    ds = load_fer2013()
    rng = np.random.default_rng(seed)
    counts = {s: ds.counts(ds.split_mask(s)).tolist() for s in ds.split_names}
    samples = np.stack([
        ds.images[rng.choice(np.flatnonzero(ds.split_mask("Training") & (ds.labels == c)),
                             n_samples, replace=False)]
        for c in range(ds.n_classes)
    ])
    dup = find_duplicates(ds.images, ds.labels, ds.split, ds.split_names)
    h = image_hashes(ds.images)
    train_idx = np.flatnonzero(ds.split_mask("Training"))
    train_labels_by_hash: dict[str, set[int]] = {}
    for i in train_idx:
        train_labels_by_hash.setdefault(h[i], set()).add(int(ds.labels[i]))
    leak: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {"samples": samples}
    for s in ("PublicTest", "PrivateTest"):
        idx = np.flatnonzero(ds.split_mask(s))
        has = np.array([h[i] in train_labels_by_hash for i in idx])
        same = np.array([int(ds.labels[i]) in train_labels_by_hash.get(h[i], ()) for i in idx])
        black = ds.images[idx].reshape(len(idx), -1).max(axis=1) == 0
        leak[s] = {"n": len(idx), "with_copy": int(has.sum()),
                   "with_copy_same_label": int((has & same).sum()),
                   "with_copy_excl_black": int((has & ~black).sum())}
        arrays[f"leaked_{s}"] = has
    black_all = ds.images.reshape(len(ds), -1).max(axis=1) == 0
    fer = {
        "counts": counts,
        "n_total": len(ds),
        "n_lossless": int(ds.meta["lossless"].sum()),
        "n_jpeg_only": int((~ds.meta["lossless"]).sum()),
        "n_ambiguous_rows": int(ds.meta["row_label_ambiguous"].sum()),
        "n_black": int(black_all.sum()),
        "dup_distinct": dup.n_distinct,
        "dup_groups": dup.n_groups,
        "dup_in_groups": dup.n_in_groups,
        "dup_redundant": dup.n_redundant,
        "dup_pairs": dup.pairs.to_dict(orient="list"),
        "leak": leak,
    }
    # FER+ agreement, per class and overall, under three majority rules
    votes = load_ferplus_votes()
    fr = ds.meta["fer_row"]
    aligned = fr >= 0
    y = ds.labels[aligned]
    split_al = ds.split[aligned]
    agree: dict[str, Any] = {"n_aligned": int(aligned.sum())}
    for rule in FERPLUS_RULES:
        maj = ferplus_majority(votes, rule)[fr[aligned]]
        hit = maj == y
        per_class = [float(hit[y == c].mean()) for c in range(ds.n_classes)]
        per_split = {s: float(hit[split_al == i].mean()) for i, s in enumerate(ds.split_names)}
        agree[rule] = {
            "overall": float(hit.mean()), "k": int(hit.sum()), "per_class": per_class,
            "per_split": per_split, "undecided": int((maj < 0).sum()),
            "private_k": int(hit[split_al == 2].sum()), "private_n": int((split_al == 2).sum()),
        }
        if rule == "argmax":
            cm = np.zeros((ds.n_classes, ds.n_classes + 1), dtype=np.int64)
            np.add.at(cm, (y, np.where(maj < 0, ds.n_classes, maj)), 1)
            arrays["ferplus_vs_fer2013"] = cm
    rng2 = np.random.default_rng(seed + 1)
    shuffled = ferplus_majority(votes, "argmax")[fr[aligned]] == rng2.permutation(y)
    agree["shuffled_overall"] = float(shuffled.mean())
    fer["ferplus"] = agree
    return fer, arrays


def _ck_part() -> dict[str, Any]:
    ck = load_ckplus48()
    subj, seq = ck.meta["subject_ids"], ck.meta["sequence_ids"]
    frames_per_seq = np.unique(np.unique(seq, return_counts=True)[1]).tolist()
    seq_per_subject = np.unique([s.split("_")[0] for s in np.unique(seq)], return_counts=True)[1]
    seq_label = {s: int(ck.labels[seq == s][0]) for s in np.unique(seq)}
    labels_per_subject = [len({seq_label[s] for s in np.unique(seq[subj == u])})
                          for u in np.unique(subj)]
    return {
        "n": len(ck), "counts": ck.counts().tolist(), "classes": list(ck.class_names),
        "subjects": len(np.unique(subj)), "sequences": len(np.unique(seq)),
        "frames_per_sequence": frames_per_seq,
        "seq_per_subject_min": int(seq_per_subject.min()),
        "seq_per_subject_max": int(seq_per_subject.max()),
        "seq_per_subject_median": float(np.median(seq_per_subject)),
        "labels_per_subject_median": float(np.median(labels_per_subject)),
        "sequence_counts": [int(sum(1 for s, c in seq_label.items() if c == k))
                            for k in range(ck.n_classes)],
        "exact_duplicates": int(len(ck) - len(np.unique(image_hashes(ck.images)))),
    }


def _kdef_part() -> dict[str, Any]:
    kd = load_kdef_subset()
    subj, sess = kd.meta["subject_ids"], kd.meta["session"]
    per_subject = np.unique(subj, return_counts=True)[1]
    return {
        "n": len(kd), "counts": kd.counts().tolist(), "classes": list(kd.class_names),
        "subjects": len(np.unique(subj)),
        "female": len(np.unique(subj[np.char.startswith(subj, "F")])),
        "male": len(np.unique(subj[np.char.startswith(subj, "M")])),
        "sessions": sorted(np.unique(sess).tolist()),
        "images_per_subject": np.unique(per_subject).tolist(),
        "image_size": list(kd.images.shape[1:]),
        "full_kdef_images": ref.KDEF_FULL_IMAGES,
        "exact_duplicates": int(len(kd) - len(np.unique(image_hashes(kd.images)))),
    }


def audit_outcome(config: dict[str, Any], workdir: object = None) -> Outcome:
    fer, arrays = _fer2013_part(config["n_samples"], config["seed"])
    extra = {"fer2013": fer, "ckplus48": _ck_part(), "kdef": _kdef_part(),
             "class_names": list(ref.FER2013_CLASSES)}
    metrics = {"ferplus_agreement_argmax": fer["ferplus"]["argmax"]["overall"]}
    return Outcome(metrics, extra=extra, arrays=arrays)
