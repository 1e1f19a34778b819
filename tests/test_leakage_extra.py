"""Leakage chapter additions: memorisation net of difficulty, the released ResEmoteNet
oversampling scheme, and intervals clustered over originals."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import need

from fer_repro.experiments import leakage as L


class _Rec:
    """The parts of a run-store Record that the leakage helpers read."""

    def __init__(self, arrays, config=None, name="fake", key="k"):
        self._a, self.config, self.name, self.key = arrays, config or {}, name, key

    def arrays(self):
        return dict(self._a)


def test_memorisation_effect_by_hand():
    # 40 duplicated and 160 other images; the control is 10 points better on duplicates,
    # the model 30 points better: 20 points of memorisation, two thirds of the raw gap
    n_d, n_r = 40, 160
    y = np.zeros(n_d + n_r, dtype=int)
    dup = np.arange(n_d + n_r) < n_d
    model = np.ones_like(y)
    model[:32] = 0  # 80% of duplicates right
    model[n_d:n_d + 80] = 0  # 50% of the rest
    control = np.ones_like(y)
    control[:20] = 0  # 50%
    control[n_d:n_d + 64] = 0  # 40%
    e = L.memorisation_effect(y, model, control, dup, n_boot=1000, seed=0)
    assert e["gap_model"] == pytest.approx(0.3) and e["gap_control"] == pytest.approx(0.1)
    assert e["net"] == pytest.approx(0.2) and e["share_remaining"] == pytest.approx(2 / 3)
    assert e["net_low"] < 0.2 < e["net_high"] and e["share_low"] < 2 / 3 < e["share_high"]
    # a model that is the control has no memorisation, with a degenerate interval at 0
    z = L.memorisation_effect(y, control, control, dup, n_boot=200)
    assert z["net"] == 0 and z["net_low"] == 0 and z["net_high"] == 0


def test_memorisation_interval_resamples_within_groups():
    """The groups' sizes are fixed: the bootstrap sd of the net effect is that of a difference
    of independent group means (both models' answers on an image resampled together)."""
    rng = np.random.default_rng(1)
    n = 3000
    dup = rng.random(n) < 0.2
    y = np.zeros(n, dtype=int)
    okm = rng.random(n) < np.where(dup, 0.8, 0.6)
    okc = rng.random(n) < np.where(dup, 0.5, 0.4)
    e = L.memorisation_effect(y, np.where(okm, 0, 1), np.where(okc, 0, 1), dup, n_boot=3000)
    d = okm.astype(float) - okc.astype(float)
    sd = np.sqrt(d[dup].var() / dup.sum() + d[~dup].var() / (~dup).sum())
    assert (e["net_high"] - e["net_low"]) / (2 * 1.96) == pytest.approx(sd, rel=0.1)


def _pool(n_per_class=(30, 4, 12), size=20, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(n_per_class)), n_per_class)
    images = rng.integers(0, 256, (len(labels), size, size)).astype(np.uint8)
    return images, labels


def test_released_oversample_fills_only_the_classes_below_the_target():
    images, labels = _pool()
    x, y, src, cp = L.released_oversample(images, labels, target=20, seed=3)
    assert np.bincount(y).tolist() == [30, 20, 20]  # class 0 (30 >= 20) untouched
    assert (cp[: len(labels)] == 0).all() and (src[: len(labels)] == np.arange(len(labels))).all()
    np.testing.assert_array_equal(y, labels[src])
    # copy i of a class is made from its (i % n)-th file: class 1 (4 files, 16 copies): 4 each
    new = cp > 0
    assert np.bincount(src[new & (y == 1)]).max() == 4 and cp[y == 1].max() == 4
    # class 2 (12 files, 8 copies): 8 files get one copy, 4 none
    assert sorted(np.bincount(src[new & (y == 2)], minlength=len(labels))[labels == 2]) == [0] * 4 + [1] * 8
    x2, *_ = L.released_oversample(images, labels, target=20, seed=3)
    np.testing.assert_array_equal(x, x2)  # seeded


def test_released_augment_is_one_of_the_scripts_three_operations():
    from PIL import Image, ImageOps

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:48, :48]
    img = np.clip(128 + 60 * np.sin(xx / 5.0) + 40 * np.cos(yy / 7.0) + xx, 0, 255).astype(np.uint8)
    kinds = set()
    for _ in range(40):
        out = L.released_augment(img, rng).astype(float)
        assert out.shape == (48, 48)
        mirror = np.asarray(ImageOps.mirror(Image.fromarray(img)), float)
        if np.abs(out - mirror).mean() < 3:  # JPEG noise only
            kinds.add("mirror")
        elif (out[0, 0] < 10 or out[-1, -1] < 10) and np.abs(out - img).mean() > 3:
            kinds.add("rotate")  # black corners
        else:
            kinds.add("crop")
    assert kinds == {"mirror", "rotate", "crop"}


@pytest.mark.parametrize("arm", L.RELEASED_ARMS)
def test_released_arm_data_orders_the_scheme_and_the_split(arm):
    images, labels = _pool((300, 4, 80), size=24)
    d = L.released_arm_data(arm, images, labels, seed=0)
    for part in (d.train, d.val, d.test):
        np.testing.assert_array_equal(d.labels[part], labels[d.source[part]])
    train_src = set(d.source[d.train])
    shared = np.mean([s in train_src for s in d.source[d.test]])
    n_copies = int((d.copy > 0).sum())
    assert (d.labels[d.copy > 0] == 1).all()  # only the rare class is filled
    if arm == "released_honest":
        assert shared == 0 and (d.copy[d.test] == 0).all() and (d.copy[d.val] == 0).all()
        # the scheme on the training part only, its target scaled to that part
        orig_train = d.source[d.train][d.copy[d.train] == 0]
        assert n_copies == L.released_target(len(orig_train)) - (labels[orig_train] == 1).sum()
    else:
        assert n_copies == L.released_target(len(labels)) - 4 > 0
        assert shared > 0  # copies of the 4 rare originals on both sides
    with pytest.raises(ValueError):
        L.released_arm_data("leaky", images, labels, 0)


def test_released_target_scales_with_the_folder():
    assert L.released_target(L.RELEASED_SCHEME["folder_size"]) == 1000
    assert L.released_target(6000) == 209


def _arm_record(ok_by_source, copies_of, arm_pred=None):
    """A fake arm record: source s has copies_of[s] test images, all right or all wrong."""
    src = np.repeat(np.arange(len(copies_of)), copies_of)
    y = np.zeros(len(src), dtype=int)
    p = np.where(np.repeat(ok_by_source, copies_of), 0, 1)
    return _Rec({"y_true": y, "y_pred": p, "nn_pred": p, "test_source": src})


def test_cluster_intervals_count_copies_of_one_original_once():
    rng = np.random.default_rng(0)
    ok = rng.random(100) < 0.6
    one = _arm_record(ok, np.ones(100, int))
    five = _arm_record(ok, np.full(100, 5))  # every outcome repeated 5 times
    a1, a5 = L.cluster_accuracy(one, 2000), L.cluster_accuracy(five, 2000)
    assert a1.estimate == a5.estimate == ok.mean()
    # the same 100 independent outcomes: the interval does not shrink with the copies
    assert (a5.high - a5.low) == pytest.approx(a1.high - a1.low, rel=0.15)
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(int(ok.sum()) * 5, 500, method="normal")
    assert a5.high - a5.low > 1.8 * (hi - lo)  # an image-level interval would be sqrt(5) narrower
    d = L.cluster_difference(five, one, 1000)
    assert d.estimate == 0 and d.low == pytest.approx(0) and d.high == pytest.approx(0)
    worse = _arm_record(np.zeros(100, bool), np.ones(100, int))
    d = L.cluster_difference(five, worse, 1000)
    assert d.estimate == pytest.approx(ok.mean()) and d.low < ok.mean() < d.high


def test_test_sources_recomputes_the_split_of_the_five_copy_arms():
    need("fer2013.npz")
    from fer_repro.data import load_fer2013
    from fer_repro.train import stratified_subsample

    ds = load_fer2013()
    tr = np.flatnonzero(ds.split_mask("Training"))
    b = L.BUDGETS["smoke"]
    orig = tr[stratified_subsample(ds.labels[tr], b["n_originals"], 0)]
    for arm in L.ARMS:
        d = L.arm_data(arm, ds.images[orig], ds.labels[orig], b["copies"], 0)
        rec = _Rec({"y_true": d.labels[d.test], "test_copy": d.copy[d.test]},
                   {"arm": arm, "n_originals": b["n_originals"], "copies": b["copies"], "seed": 0})
        np.testing.assert_array_equal(L.test_sources(rec), d.source[d.test])
    rec._a["test_copy"] = rec._a["test_copy"] + 1
    with pytest.raises(ValueError):
        L.test_sources(rec)


def test_released_scheme_smoke_run(tmp_path, monkeypatch, one_thread):
    need("fer2013.npz")
    from fer_repro import runs

    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path)
    recs = {a: L.released_scheme_run(a, "smoke", 0, "auto") for a in L.RELEASED_ARMS}
    for arm, r in recs.items():
        a = r.arrays()
        assert r.extra["arm"] == arm and len(a["test_source"]) == len(a["y_true"])
        assert r.extra["copies_per_class"][1] == r.extra["n_copies"] > 0  # only disgust is filled
    assert recs["released_honest"].metrics["test_share_with_train_sibling"] == 0
    again = L.released_records("smoke", 0, "never")
    assert {a: r.key for a, r in again.items()} == {a: r.key for a, r in recs.items()}
    assert L.released_records("cpu", 99, "never") == {a: None for a in L.RELEASED_ARMS}
