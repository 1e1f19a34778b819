"""Leakage experiments: how FER2013 numbers inflate when the protocol leaks.

1. Exact duplicates: accuracy on PrivateTest images with a byte-identical copy in Training vs
   the rest, from any recorded model's PrivateTest predictions (no training).
2. Augment-then-split: oversample the pooled images with augmented copies first, then split
   80/20 at random (what several papers and the ResEmoteNet data scripts do), against the honest
   order (split first, augment the training part only); same model, same training-set size.
3. Test-split selection: choosing the epoch by PrivateTest accuracy instead of PublicTest, from a
   run that recorded PrivateTest predictions after every epoch (the ResEmoteNet run).
4. Test-time randomness: a random horizontal flip at test time (as the released ResEmoteNet test
   script does): the spread of accuracy over repeated evaluations, computed exactly from one
   prediction per image on the plain and on the mirrored image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import runs
from ..data import load_fer2013, official_fer2013, random_split
from ..train import TrainConfig

KEY = "leakage"

BUDGETS: dict[str, dict[str, Any]] = {
    "smoke": {"n_originals": 300, "copies": 3, "epochs": 1},
    # measured: attention CNN, batch 64, bf16, one thread of the 2-core CPU: ~94 img/s, so one arm
    # (21,000 training images x 8 epochs) takes ~30 min
    "cpu": {"n_originals": 6000, "copies": 5, "epochs": 8},
    "full": {"n_originals": None, "copies": 5, "epochs": 40},
}

#: the pre-split oversampling of the ResEmoteNet data scripts: rotation +-30 deg, mirror, crop
COPY_AUGMENT = {"hflip": 0.5, "degrees": 30.0, "scale": (1.0, 1.2)}
ARMS = ("leaky", "honest")


def model_config(budget: str, seed: int = 0) -> TrainConfig:
    """The fast model of the leakage experiments (the Suwartono attention CNN), fixed epochs."""
    return TrainConfig(
        model="suwartono_attention_cnn", model_kwargs={"drop": 0.3},
        epochs=BUDGETS[budget]["epochs"], batch_size=64, optimizer="adam", lr=1e-3,
        schedule="cosine", early_stop=None, monitor="val_accuracy", loss="ce",
        augment={"hflip": 0.5}, precision="bf16", seed=seed)


def augmented_copies(images: np.ndarray, copies: int, seed: int) -> np.ndarray:
    """(n, H, W) uint8 -> (copies, n, H, W): copy 0 is the original, the others augmented."""
    import torch

    from ..data.augment import Augment

    aug = Augment(**COPY_AUGMENT)
    g = torch.Generator().manual_seed(seed)
    x = torch.from_numpy(np.ascontiguousarray(images)).float().unsqueeze(1)
    out = [images]
    for _ in range(copies - 1):
        y = aug.geometric(x, g).squeeze(1).round().clamp(0, 255).to(torch.uint8)
        out.append(y.numpy())
    return np.stack(out)


def nearest_neighbour_accuracy(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                               y_test: np.ndarray, chunk: int = 1024) -> tuple[float, np.ndarray]:
    """1-NN on raw pixels (Euclidean): a pure memoriser, the upper end of what leakage can give.
    Returns the accuracy and the index (into x_train) of each test image's neighbour."""
    import torch

    a = torch.from_numpy(x_train.reshape(len(x_train), -1).astype(np.float32))
    a2 = (a * a).sum(1)
    nn_idx = []
    for i in range(0, len(x_test), chunk):
        b = torch.from_numpy(x_test[i:i + chunk].reshape(-1, a.shape[1]).astype(np.float32))
        d = a2[None, :] - 2 * b @ a.T  # |b|^2 is constant per row
        nn_idx.append(d.argmin(1).numpy())
    idx = np.concatenate(nn_idx)
    return float((y_train[idx] == y_test).mean()), idx


@dataclass(frozen=True)
class ArmData:
    images: np.ndarray
    labels: np.ndarray
    source: np.ndarray  # index of the original image each row was made from
    copy: np.ndarray  # 0 for the original, 1.. for augmented copies
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def arm_data(arm: str, images: np.ndarray, labels: np.ndarray, copies: int, seed: int) -> ArmData:
    """The data of one arm. Leaky: augment the pool, then a stratified random 70/10/20 split of
    the copies. Honest: split the originals 70/10/20 first, augment the training part only;
    validation and test images are untouched originals. Both train on the same number of rows."""
    n = len(labels)
    if arm == "leaky":
        pool = augmented_copies(images, copies, seed)
        x = pool.reshape(-1, *images.shape[1:])
        y = np.tile(labels, copies)
        src, cp = np.tile(np.arange(n), copies), np.repeat(np.arange(copies), n)
        sp = random_split(y, 0.2, seed, val_fraction=0.1)
        return ArmData(x, y, src, cp, sp.train, sp.val, sp.test)
    if arm != "honest":
        raise ValueError(f"arm must be one of {ARMS}, not {arm!r}")
    sp = random_split(labels, 0.2, seed, val_fraction=0.1)
    tr = augmented_copies(images[sp.train], copies, seed)
    x = np.concatenate([tr.reshape(-1, *images.shape[1:]), images[sp.val], images[sp.test]])
    y = np.concatenate([np.tile(labels[sp.train], copies), labels[sp.val], labels[sp.test]])
    src = np.concatenate([np.tile(sp.train, copies), sp.val, sp.test])
    cp = np.concatenate([np.repeat(np.arange(copies), len(sp.train)),
                         np.zeros(len(sp.val) + len(sp.test), dtype=int)])
    n_tr = copies * len(sp.train)
    return ArmData(x, y, src, cp, np.arange(n_tr), np.arange(n_tr, n_tr + len(sp.val)),
                   np.arange(n_tr + len(sp.val), len(y)))


def augment_then_split_run(arm: str, budget: str, seed: int = 0,
                           mode: str = "auto") -> runs.Record:
    """One arm of experiment 2 on a stratified subsample of FER2013 Training."""
    b = BUDGETS[budget]
    cfg = model_config(budget, seed)

    def fn(c: dict[str, Any], workdir):
        from ..train import stratified_subsample, train_and_test

        ds = load_fer2013()
        tr = np.flatnonzero(ds.split_mask("Training"))
        orig = tr[stratified_subsample(ds.labels[tr], b["n_originals"], seed)]
        d = arm_data(arm, ds.images[orig], ds.labels[orig], b["copies"], seed)
        out = train_and_test(cfg, d.images, d.labels, d.train, d.val, d.test, ds.class_names,
                             workdir)
        nn_acc, nn_idx = nearest_neighbour_accuracy(d.images[d.train], d.labels[d.train],
                                                    d.images[d.test], d.labels[d.test])
        sibling = np.isin(d.source[d.test], d.source[d.train])
        nn_same_source = d.source[d.train][nn_idx] == d.source[d.test]
        out.metrics.update({"nn_accuracy": nn_acc,
                            "test_share_with_train_sibling": float(sibling.mean()),
                            "nn_finds_own_source": float(nn_same_source.mean())})
        out.arrays.update({"test_copy": d.copy[d.test].astype(np.int16),
                           "test_sibling_in_train": sibling,
                           "nn_pred": d.labels[d.train][nn_idx].astype(np.int16)})
        out.extra.update({"arm": arm, "n_originals": len(orig), "copies": b["copies"]})
        return out

    conf = {"train": cfg.to_dict(), "arm": arm, "copy_augment": COPY_AUGMENT,
            "n_originals": b["n_originals"], "copies": b["copies"], "budget": budget,
            "seed": seed}
    return runs.fetch(f"{KEY}_augment_then_split", conf, fn, mode=mode)


def records(budget: str, seed: int = 0, mode: str = "never") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for arm in ARMS:
        try:
            out[arm] = augment_then_split_run(arm, budget, seed, mode)
        except runs.RecordMissing:
            out[arm] = None
    return out


# --------------------------------------------------------------------------------------------
# analyses of recorded predictions (experiments 1, 3 and 4)


def duplicate_mask() -> np.ndarray:
    """For each PrivateTest image (official order): has it a byte-identical copy in Training?"""
    from ..data.duplicates import has_copy_in, image_hashes

    ds = load_fer2013()
    sp = official_fer2013(ds)
    return has_copy_in(image_hashes(ds.images), sp.test, sp.train)


def duplicate_label_agreement() -> np.ndarray:
    """For each PrivateTest image with a copy in Training: do all its Training copies carry the
    same label as the test image?"""
    from ..data.duplicates import image_hashes

    ds = load_fer2013()
    sp = official_fer2013(ds)
    h = image_hashes(ds.images)
    train_labels: dict[str, set[int]] = {}
    for i in sp.train:
        train_labels.setdefault(h[i], set()).add(int(ds.labels[i]))
    return np.array([train_labels[h[i]] == {int(ds.labels[i])} for i in sp.test
                     if h[i] in train_labels], dtype=bool)


def duplicates_effect(y_true: np.ndarray, y_pred: np.ndarray, dup: np.ndarray,
                      seed: int = 0) -> dict[str, float]:
    """Accuracy on test images with / without a copy in Training (Wilson CIs), their difference
    (bootstrap CI) and the accuracy after removing the duplicated images from the test set."""
    from ..stats import bootstrap_ci, wilson_ci

    ok = np.asarray(y_true) == np.asarray(y_pred)
    out: dict[str, float] = {"n_dup": int(dup.sum()), "n_rest": int((~dup).sum()),
                             "acc_all": float(ok.mean())}
    for name, m in (("dup", dup), ("rest", ~dup)):
        k, n = int(ok[m].sum()), int(m.sum())
        out[f"acc_{name}"] = k / n
        out[f"acc_{name}_low"], out[f"acc_{name}_high"] = wilson_ci(k, n)

    def gap(o: np.ndarray, d: np.ndarray) -> float:
        return float(o[d].mean() - o[~d].mean()) if d.any() and (~d).any() else 0.0

    bs = bootstrap_ci(gap, ok, dup, n_boot=2000, seed=seed)
    out.update({"gap": bs.estimate, "gap_low": bs.low, "gap_high": bs.high,
                "acc_deduplicated": out["acc_rest"],
                "removal_effect": out["acc_rest"] - out["acc_all"]})
    return out


def selection_effect(y_test: np.ndarray, epoch_preds: np.ndarray, val_accuracy: np.ndarray,
                     seed: int = 0) -> dict[str, float]:
    """Test accuracy of the epoch chosen by validation accuracy vs by test accuracy itself.
    `epoch_preds` is (epochs, n) test predictions; `val_accuracy` the per-epoch validation
    accuracy. The gain of choosing on the test split gets a paired bootstrap CI."""
    from ..stats import paired_bootstrap

    test_acc = (epoch_preds == np.asarray(y_test)[None, :]).mean(1)
    e_val, e_test = int(np.argmax(val_accuracy)), int(np.argmax(test_acc))

    def acc(y, p):
        return float((y == p).mean())

    pb = paired_bootstrap(acc, y_test, epoch_preds[e_test], epoch_preds[e_val], seed=seed)
    return {"epoch_by_val": e_val + 1, "epoch_by_test": e_test + 1,
            "acc_by_val": float(test_acc[e_val]), "acc_by_test": float(test_acc[e_test]),
            "gain": pb.estimate, "gain_low": pb.low, "gain_high": pb.high,
            "n_epochs": len(test_acc)}


def random_flip_accuracies(y_true: np.ndarray, pred_plain: np.ndarray, pred_flip: np.ndarray,
                           repeats: int = 10_000, p: float = 0.5,
                           seed: int = 0) -> np.ndarray:
    """Accuracy of `repeats` evaluations in which each image is mirrored with probability p
    (eval-mode networks are deterministic, so one prediction per image and orientation gives
    every such evaluation exactly)."""
    ok_plain = np.asarray(pred_plain) == np.asarray(y_true)
    ok_flip = np.asarray(pred_flip) == np.asarray(y_true)
    rng = np.random.default_rng(seed)
    flips = rng.random((repeats, len(ok_plain))) < p
    return np.where(flips, ok_flip[None, :], ok_plain[None, :]).mean(1)
