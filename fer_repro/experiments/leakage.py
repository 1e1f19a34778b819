"""Leakage experiments: how FER2013 numbers inflate when the protocol leaks.

1. Exact duplicates: accuracy on PrivateTest images with a byte-identical copy in Training vs
   the rest, from any recorded model's PrivateTest predictions (no training).
2. Augment-then-split: oversample the pooled images with augmented copies first, then split
   at random into training, validation and test parts (:data:`VAL_FRACTION`,
   :data:`TEST_FRACTION`; what several papers and the ResEmoteNet data scripts do), against the
   honest order (split first, augment the training part only); same model, same training-set
   size. Two oversampling schemes: the budget's number of copies of every image
   (``BUDGETS[budget]["copies"]``, :func:`augment_then_split_run`), and the
   scheme of the released ResEmoteNet script, which only fills the classes below a target count
   (:func:`released_scheme_run`). Test images made from one original are one cluster in every
   interval (:func:`cluster_accuracy`, :func:`cluster_difference`).
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
from .common import budget_precision, recorded

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

#: every arm's stratified random split: the shares of all images (or copies) that go to the
#: test and the validation part; the rest is the training part
TEST_FRACTION, VAL_FRACTION = 0.2, 0.1


def split_shares() -> dict[str, float]:
    """The training, validation and test shares of every arm's split (they sum to 1)."""
    return {"train": 1 - TEST_FRACTION - VAL_FRACTION, "val": VAL_FRACTION,
            "test": TEST_FRACTION}


def model_config(budget: str, seed: int = 0) -> TrainConfig:
    """The fast model of the leakage experiments (the Suwartono attention CNN), fixed epochs."""
    return TrainConfig(
        model="suwartono_attention_cnn", model_kwargs={"drop": 0.3},
        epochs=BUDGETS[budget]["epochs"], batch_size=64, optimizer="adam", lr=1e-3,
        schedule="cosine", early_stop=None, monitor="val_accuracy", loss="ce",
        augment={"hflip": 0.5}, precision=budget_precision(budget), seed=seed)


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
        sp = random_split(y, TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
        return ArmData(x, y, src, cp, sp.train, sp.val, sp.test)
    if arm != "honest":
        raise ValueError(f"arm must be one of {ARMS}, not {arm!r}")
    sp = random_split(labels, TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
    tr = augmented_copies(images[sp.train], copies, seed)
    x = np.concatenate([tr.reshape(-1, *images.shape[1:]), images[sp.val], images[sp.test]])
    y = np.concatenate([np.tile(labels[sp.train], copies), labels[sp.val], labels[sp.test]])
    src = np.concatenate([np.tile(sp.train, copies), sp.val, sp.test])
    cp = np.concatenate([np.repeat(np.arange(copies), len(sp.train)),
                         np.zeros(len(sp.val) + len(sp.test), dtype=int)])
    n_tr = copies * len(sp.train)
    return ArmData(x, y, src, cp, np.arange(n_tr), np.arange(n_tr, n_tr + len(sp.val)),
                   np.arange(n_tr + len(sp.val), len(y)))


def _originals(n: int, seed: int):
    """FER2013 and the seeded stratified subsample of `n` Training images that both
    augment-then-split experiments start from."""
    from ..train import stratified_subsample

    ds = load_fer2013()
    tr = np.flatnonzero(ds.split_mask("Training"))
    return ds, tr[stratified_subsample(ds.labels[tr], n, seed)]


def augment_then_split_run(arm: str, budget: str, seed: int = 0,
                           mode: str = "auto") -> runs.Record:
    """One arm of experiment 2 on a stratified subsample of FER2013 Training."""
    b = BUDGETS[budget]
    cfg = model_config(budget, seed)

    def fn(c: dict[str, Any], workdir):
        from ..train import train_and_test

        ds, orig = _originals(b["n_originals"], seed)
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


# --------------------------------------------------------------------------------------------
# the released ResEmoteNet oversampling scheme as a second pair of arms

#: ``data_preprocessing/data_augmentation.py`` of ArnabKumarRoy02/ResEmoteNet (commit fabbe68,
#: the last that changed it): every class of the folder it is pointed at with fewer than
#: ``target`` (1,000) images gets ``target - n`` new images; new image ``i`` is made from the
#: class's ``i % n``-th file (``os.listdir`` order) by ONE augmentation drawn uniformly from
#: rotation by ``random.randint(-30, 30)`` degrees (PIL ``rotate``: nearest neighbour, black
#: corners, same size), a mirror image, and ``ImageOps.crop`` of ``random.randint(0, 10)``
#: border pixels (border 0 leaves the image unchanged); new images are saved as JPEG (PIL's
#: default quality, 75) beside the originals. Classes at or above the target are untouched, so
#: on FER2013 Training (28,709 images) only disgust (436) is filled. The training transform
#: then resizes every image to a fixed size, which undoes the crop's change of size; here the
#: crop is resized back to 48x48 (bilinear). The script has no notion of splits.
#:
#: Applied to a subsample, the target is scaled to the folder size, ``round(target * n /
#: folder_size)``, so that the same classes are filled in the same proportion as on the full
#: Training folder.
RELEASED_SCHEME = {"target": 1000, "folder_size": 28709, "rotate_degrees": 30,
                   "crop_border": 10, "jpeg_quality": 75, "resize": "bilinear"}
RELEASED_ARMS = ("released_leaky", "released_honest")


def released_target(n_images: int) -> int:
    """The scheme's per-class target for a folder of `n_images` images."""
    return round(RELEASED_SCHEME["target"] * n_images / RELEASED_SCHEME["folder_size"])


def released_augment(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One new image as the released script makes it (uint8 48x48 in and out)."""
    import io

    from PIL import Image, ImageOps

    im = Image.fromarray(np.ascontiguousarray(image))
    kind = int(rng.integers(3))
    if kind == 0:
        sch = RELEASED_SCHEME["rotate_degrees"]
        im = im.rotate(int(rng.integers(-sch, sch + 1)))
    elif kind == 1:
        im = ImageOps.mirror(im)
    else:
        border = int(rng.integers(0, RELEASED_SCHEME["crop_border"] + 1))
        im = ImageOps.crop(im, border=border).resize(image.shape[::-1], Image.BILINEAR)
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=RELEASED_SCHEME["jpeg_quality"])
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


def released_oversample(images: np.ndarray, labels: np.ndarray, target: int,
                        seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The scheme applied to one folder: (images, labels, source, copy) with the originals
    first (copy 0) and the new images after them; ``source`` indexes the original."""
    rng = np.random.default_rng(seed)
    xs, ys, src, cp = [images], [labels], [np.arange(len(labels))], [np.zeros(len(labels), int)]
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        members = members[rng.permutation(len(members))]  # listdir order is arbitrary
        k = target - len(members)
        if k <= 0:
            continue
        orig = members[np.arange(k) % len(members)]
        xs.append(np.stack([released_augment(images[o], rng) for o in orig]))
        ys.append(np.full(k, c, dtype=labels.dtype))
        src.append(orig)
        cp.append(1 + np.arange(k) // len(members))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(src), np.concatenate(cp)


def released_arm_data(arm: str, images: np.ndarray, labels: np.ndarray, seed: int) -> ArmData:
    """Leaky: the scheme on the pooled originals, then a stratified random 70/10/20 split of
    all images. Honest: the originals split 70/10/20 first, the scheme on the training part
    only (its target scaled to that part); validation and test are untouched originals."""
    if arm == "released_leaky":
        x, y, src, cp = released_oversample(images, labels, released_target(len(labels)), seed)
        sp = random_split(y, TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
        return ArmData(x, y, src, cp, sp.train, sp.val, sp.test)
    if arm != "released_honest":
        raise ValueError(f"arm must be one of {RELEASED_ARMS}, not {arm!r}")
    sp = random_split(labels, TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
    xt, yt, st, ct = released_oversample(images[sp.train], labels[sp.train],
                                         released_target(len(sp.train)), seed)
    x = np.concatenate([xt, images[sp.val], images[sp.test]])
    y = np.concatenate([yt, labels[sp.val], labels[sp.test]])
    src = np.concatenate([sp.train[st], sp.val, sp.test])
    cp = np.concatenate([ct, np.zeros(len(sp.val) + len(sp.test), dtype=int)])
    n_tr = len(yt)
    return ArmData(x, y, src, cp, np.arange(n_tr), np.arange(n_tr, n_tr + len(sp.val)),
                   np.arange(n_tr + len(sp.val), len(y)))


def released_scheme_run(arm: str, budget: str, seed: int = 0,
                        mode: str = "auto") -> runs.Record:
    """One arm of the released scheme (:data:`RELEASED_ARMS`) on the same stratified subsample
    of FER2013 Training, model and epochs as :func:`augment_then_split_run`. At ``smoke`` it
    trains in seconds; at ``cpu`` (6,000 originals, ~4,300 training rows, 8 epochs) in about
    ten minutes on one thread."""
    b = BUDGETS[budget]
    cfg = model_config(budget, seed)

    def fn(c: dict[str, Any], workdir):
        from ..train import train_and_test

        ds, orig = _originals(b["n_originals"], seed)
        d = released_arm_data(arm, ds.images[orig], ds.labels[orig], seed)
        out = train_and_test(cfg, d.images, d.labels, d.train, d.val, d.test, ds.class_names,
                             workdir)
        nn_acc, nn_idx = nearest_neighbour_accuracy(d.images[d.train], d.labels[d.train],
                                                    d.images[d.test], d.labels[d.test])
        sibling = np.isin(d.source[d.test], d.source[d.train])
        out.metrics.update({"nn_accuracy": nn_acc,
                            "test_share_with_train_sibling": float(sibling.mean()),
                            "nn_finds_own_source": float(
                                (d.source[d.train][nn_idx] == d.source[d.test]).mean()),
                            "copies_share": float((d.copy > 0).mean())})
        out.arrays.update({"test_copy": d.copy[d.test].astype(np.int16),
                           "test_source": d.source[d.test].astype(np.int32),
                           "test_sibling_in_train": sibling,
                           "nn_pred": d.labels[d.train][nn_idx].astype(np.int16)})
        out.extra.update({"arm": arm, "n_originals": len(orig),
                          "n_copies": int((d.copy > 0).sum()),
                          "copies_per_class": np.bincount(d.labels[d.copy > 0],
                                                          minlength=ds.n_classes).tolist()})
        return out

    n = b["n_originals"] or RELEASED_SCHEME["folder_size"]
    conf = {"train": cfg.to_dict(), "arm": arm, "scheme": RELEASED_SCHEME,
            "target_pooled": released_target(n), "n_originals": b["n_originals"],
            "budget": budget, "seed": seed}
    return runs.fetch(f"{KEY}_augment_then_split", conf, fn, mode=mode)


def released_records(budget: str, seed: int = 0, mode: str = "never") -> dict[str, Any]:
    """{arm: Record or None} for :data:`RELEASED_ARMS` (None: not recorded, the chapter says
    pending)."""
    return _arm_records(released_scheme_run, RELEASED_ARMS, budget, seed, mode)


def _arm_records(run, arms, budget: str, seed: int, mode: str) -> dict[str, Any]:
    """{arm: run(arm, budget, seed, mode), or None where it is not recorded}."""
    return {arm: recorded(lambda arm=arm: run(arm, budget, seed, mode)) for arm in arms}


def test_sources(rec: runs.Record) -> np.ndarray:
    """The original (index into the subsample of originals) of every test image of an
    augment-then-split record: stored by :func:`released_scheme_run`; for the records of
    :func:`augment_then_split_run`, which did not store it, recomputed from the labels alone
    (the split depends on nothing else) and checked against the stored labels and copy
    numbers."""
    a = rec.arrays()
    if "test_source" in a:
        return a["test_source"].astype(np.int64)
    from ..train import stratified_subsample

    ds = load_fer2013()
    tr = np.flatnonzero(ds.split_mask("Training"))
    n_orig, seed = rec.config["n_originals"], int(rec.config["seed"])
    y = ds.labels[tr[stratified_subsample(ds.labels[tr], n_orig, seed)]]
    copies = int(rec.config["copies"])
    if rec.config["arm"] == "leaky":
        sp = random_split(np.tile(y, copies), TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
        src = np.tile(np.arange(len(y)), copies)[sp.test]
        cp = np.repeat(np.arange(copies), len(y))[sp.test]
        yt = np.tile(y, copies)[sp.test]
    else:
        sp = random_split(y, TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
        src, cp, yt = sp.test, np.zeros(len(sp.test), int), y[sp.test]
    if not (np.array_equal(yt, a["y_true"]) and np.array_equal(cp, a["test_copy"])):
        raise ValueError(f"recomputed test sources of {rec.name}/{rec.key} do not match it")
    return src


def cluster_accuracy(rec: runs.Record, n_boot: int = 2000, seed: int = 0,
                     pred: str = "y_pred"):
    """Test accuracy of an augment-then-split record with a 95% percentile bootstrap over
    originals: every test image made from one original is resampled together
    (:func:`fer_repro.stats.cluster_bootstrap_ci`). `pred`: ``"y_pred"`` (the network) or
    ``"nn_pred"`` (1-NN)."""
    from ..stats import cluster_bootstrap_ci

    a = rec.arrays()
    return cluster_bootstrap_ci(lambda y, p: float((y == p).mean()), a["y_true"], a[pred],
                                test_sources(rec), n_boot=n_boot, seed=seed,
                                keep_distribution=False)


def cluster_difference(rec_a: runs.Record, rec_b: runs.Record, n_boot: int = 2000,
                       seed: int = 0, pred: str = "y_pred"):
    """Accuracy of `rec_a` minus `rec_b` (two arms drawn from the same originals), with a 95%
    percentile bootstrap over originals: one draw of originals resamples the test images of
    both arms made from them, so copies of one photograph count once and the overlap of the
    two test sets is respected. `pred`: ``"y_pred"`` (the network) or ``"nn_pred"`` (1-NN)."""
    from ..stats import cluster_bootstrap_ci

    a, b = rec_a.arrays(), rec_b.arrays()
    y = np.concatenate([a["y_true"], b["y_true"]]).astype(int)
    p = np.concatenate([a[pred], b[pred]]).astype(int)
    arm = np.concatenate([np.zeros(len(a["y_true"]), int), np.ones(len(b["y_true"]), int)])
    src = np.concatenate([test_sources(rec_a), test_sources(rec_b)])

    def diff(yy, q):
        ok, which = yy == q[:, 0], q[:, 1]
        if not (which == 0).any() or not (which == 1).any():
            return 0.0
        return float(ok[which == 0].mean() - ok[which == 1].mean())

    return cluster_bootstrap_ci(diff, y, np.column_stack([p, arm]), src, n_boot=n_boot,
                                seed=seed, keep_distribution=False)


def records(budget: str, seed: int = 0, mode: str = "never") -> dict[str, Any]:
    return _arm_records(augment_then_split_run, ARMS, budget, seed, mode)


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


def memorisation_effect(y_true: np.ndarray, pred_model: np.ndarray, pred_control: np.ndarray,
                        dup: np.ndarray, n_boot: int = 2000, seed: int = 0) -> dict[str, float]:
    """How much better a model does on test images with a copy in Training than on the rest,
    net of how much easier those images are.

    Duplicated images are not a random sample: a model that cannot recall a single training
    image (here the linear PCA + logistic regression model, `pred_control`) also scores
    higher on them. The memorisation effect is the difference in differences
    ``(acc_model(dup) - acc_model(rest)) - (acc_control(dup) - acc_control(rest))``, with a
    95% percentile bootstrap that resamples test images within the two groups (their sizes are
    fixed by the data), both models' answers on an image together. ``share_remaining`` is the
    net effect over the model's raw gap (NaN when the model is not better on duplicated
    images: there is no gap to share out). The control's gap may itself hold a little
    memorisation (it was fitted on the Training copies), so the net effect is, if anything,
    an underestimate."""
    y = np.asarray(y_true)
    ok_m = (np.asarray(pred_model) == y).astype(float)
    ok_c = (np.asarray(pred_control) == y).astype(float)
    dup = np.asarray(dup, dtype=bool)
    gd, gr = np.flatnonzero(dup), np.flatnonzero(~dup)

    def gaps(i_d, i_r):
        gm = ok_m[i_d].mean(-1) - ok_m[i_r].mean(-1)
        gc = ok_c[i_d].mean(-1) - ok_c[i_r].mean(-1)
        return gm, gc

    gm, gc = gaps(gd, gr)
    rng = np.random.default_rng(seed)
    dist, ratio = np.empty(n_boot), np.empty(n_boot)
    for i in range(0, n_boot, 250):
        m = min(250, n_boot - i)
        bd = gd[rng.integers(0, len(gd), (m, len(gd)))]
        br = gr[rng.integers(0, len(gr), (m, len(gr)))]
        bm, bc = gaps(bd, br)
        dist[i:i + m] = bm - bc
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio[i:i + m] = (bm - bc) / bm
    lo, hi = np.quantile(dist, [0.025, 0.975])
    rlo, rhi = np.nanquantile(ratio, [0.025, 0.975])
    return {"gap_model": float(gm), "gap_control": float(gc), "net": float(gm - gc),
            "net_low": float(lo), "net_high": float(hi),
            "share_remaining": float((gm - gc) / gm) if gm > 0 else float("nan"),
            "share_low": float(rlo), "share_high": float(rhi),
            "n_dup": int(dup.sum()), "n_rest": int((~dup).sum())}


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
