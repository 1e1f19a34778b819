"""Experiment helpers on synthetic data: shared evidence, the leakage experiments' analyses and
data construction, the ResEmoteNet configurations."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_score, recall_score
from statsmodels.stats.proportion import proportion_confint

from fer_repro.experiments import leakage as L
from fer_repro.experiments import resemotenet as RE
from fer_repro.experiments.common import holdout_evidence


def _preds(n=500, k=7, acc=0.6, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    p = np.where(rng.random(n) < acc, y, rng.integers(0, k, n))
    return y, p


def test_holdout_evidence_matches_reference_libraries():
    y, p = _preds()
    ev = holdout_evidence(y, p, 7, "m", "synthetic", "smoke", "rec/1", seed=0)
    acc = ev["m_accuracy"]
    assert acc.estimate == pytest.approx((y == p).mean())
    lo, hi = proportion_confint(int((y == p).sum()), len(y), method="wilson")
    assert (acc.ci_low, acc.ci_high) == pytest.approx((lo, hi))
    for name, ref in (("macro_precision", precision_score), ("macro_recall", recall_score),
                      ("macro_f1", f1_score)):
        e = ev[f"m_{name}"]
        assert e.estimate == pytest.approx(ref(y, p, average="macro", zero_division=0))
        assert e.ci_low < e.estimate < e.ci_high
        assert not e.complete and e.budget == "smoke" and e.record == "rec/1"


def test_random_flip_accuracies_are_exact_mixtures():
    y, plain = _preds(seed=1)
    _, flip = _preds(seed=2)
    acc_plain, acc_flip = (plain == y).mean(), (flip == y).mean()
    assert np.allclose(L.random_flip_accuracies(y, plain, flip, repeats=5, p=0.0), acc_plain)
    assert np.allclose(L.random_flip_accuracies(y, plain, flip, repeats=5, p=1.0), acc_flip)
    a = L.random_flip_accuracies(y, plain, flip, repeats=4000, p=0.5, seed=3)
    assert a.mean() == pytest.approx((acc_plain + acc_flip) / 2, abs=2e-3)
    # each evaluation mirrors images independently: the spread is binomial in the disagreements
    d = (plain == y) != (flip == y)
    assert a.std() == pytest.approx(np.sqrt(d.sum() * 0.25) / len(y), rel=0.1)
    same = L.random_flip_accuracies(y, plain, plain, repeats=10)
    assert np.ptp(same) == 0


def test_selection_effect_picks_epochs_by_each_split():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 7, 300)
    epochs = np.stack([np.where(rng.random(300) < a, y, (y + 1) % 7) for a in (0.4, 0.7, 0.6)])
    val = np.array([0.5, 0.55, 0.6])  # validation prefers the last epoch
    s = L.selection_effect(y, epochs, val)
    test_acc = (epochs == y).mean(1)
    assert s["epoch_by_val"] == 3 and s["epoch_by_test"] == int(np.argmax(test_acc)) + 1
    assert s["acc_by_val"] == pytest.approx(test_acc[2])
    assert s["gain"] == pytest.approx(test_acc.max() - test_acc[2])
    assert s["gain"] >= 0 and s["gain_low"] <= s["gain"] <= s["gain_high"]


def test_duplicates_effect_on_a_known_split():
    y = np.zeros(100, dtype=int)
    p = np.zeros(100, dtype=int)
    dup = np.zeros(100, dtype=bool)
    dup[:20] = True
    p[20:60] = 1  # the 80 non-duplicates: 40 right, 40 wrong; duplicates all right
    e = L.duplicates_effect(y, p, dup)
    assert e["n_dup"] == 20 and e["acc_dup"] == 1.0 and e["acc_rest"] == 0.5
    assert e["gap"] == pytest.approx(0.5) and e["gap_low"] > 0.3
    assert e["acc_all"] == pytest.approx(0.6)
    assert e["removal_effect"] == pytest.approx(0.5 - 0.6)


@pytest.mark.parametrize("arm", L.ARMS)
def test_arm_data_orders_augmentation_and_split(arm):
    rng = np.random.default_rng(0)
    n, copies = 200, 3
    images = rng.integers(0, 256, (n, 12, 12)).astype(np.uint8)
    labels = np.repeat(np.arange(4), n // 4)
    d = L.arm_data(arm, images, labels, copies, seed=0)
    assert len(d.train) == pytest.approx(0.7 * n * copies, abs=copies * 2)
    for part in (d.train, d.val, d.test):
        np.testing.assert_array_equal(d.labels[part], labels[d.source[part]])
    originals = d.copy == 0
    np.testing.assert_array_equal(d.images[originals], images[d.source[originals]])
    train_src = set(d.source[d.train])
    shared = np.mean([s in train_src for s in d.source[d.test]])
    if arm == "honest":  # split first: no test image shares a source with training
        assert shared == 0 and (d.copy[d.test] == 0).all() and (d.copy[d.val] == 0).all()
        assert len(train_src) * copies == len(d.train)
    else:  # augment first: almost every test image has a sibling in training
        assert shared > 0.8 and (d.copy[d.test] > 0).any()  # expected 1 - 0.3 ** 2
    with pytest.raises(ValueError):
        L.arm_data("other", images, labels, copies, 0)


def test_augmented_copies_keep_the_original_first_and_are_seeded():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (8, 16, 16)).astype(np.uint8)
    a = L.augmented_copies(x, 3, seed=5)
    assert a.shape == (3, 8, 16, 16) and a.dtype == np.uint8
    np.testing.assert_array_equal(a[0], x)
    assert not np.array_equal(a[1], x) and not np.array_equal(a[1], a[2])
    np.testing.assert_array_equal(a, L.augmented_copies(x, 3, seed=5))


def test_nearest_neighbour_finds_exact_copies():
    rng = np.random.default_rng(2)
    xtr = rng.integers(0, 256, (50, 6, 6)).astype(np.uint8)
    ytr = rng.integers(0, 3, 50)
    pick = np.array([3, 17, 42])
    acc, idx = L.nearest_neighbour_accuracy(xtr, ytr, xtr[pick], ytr[pick], chunk=2)
    assert acc == 1.0 and list(idx) == list(pick)


def test_resemotenet_budgets_paper_and_code_protocols():
    cpu, full = RE.config("cpu"), RE.config("full")
    assert (cpu.model, cpu.input_size, cpu.in_chans) == ("resemotenet_paper", 48, 1)
    assert (full.model, full.input_size, full.in_chans) == ("resemotenet_code", 64, 3)
    for c in (cpu, full):  # the stated training protocol: SGD 1e-3, batch 16, select on val acc
        assert (c.optimizer, c.lr, c.batch_size, c.monitor) == ("sgd", 1e-3, 16, "val_accuracy")
    assert full.epochs == 80 and full.schedule == "none" and full.normalize == "imagenet"
    assert cpu.schedule == "plateau" and cpu.class_weights == "inverse"


def test_overview_judges_every_claim_as_its_chapter_does():
    import importlib

    from fer_repro.claims import report
    from fer_repro.experiments import PAPER_EXPERIMENTS, all_evidence

    ev = all_evidence("cpu")
    assert all(k.split("/", 1)[0] in PAPER_EXPERIMENTS for k in ev)
    frame, _ = report.all_claims(ev)
    for key in PAPER_EXPERIMENTS:
        own = importlib.import_module(f"fer_repro.experiments.{key}").evidence("cpu")
        js, _ = report.judge_paper(key, own)
        chapter = report.ledger_frame(key, js)
        overview = frame[frame["paper"] == key].reset_index(drop=True)
        assert list(overview["verdict"]) == list(chapter["verdict"]), key


class _FakeRecord:
    """Just enough of a run-store Record for the chapter helpers."""

    def __init__(self, key, y, pred, proba):
        self.name, self.key, self.budget = "suwartono2025_ablation", key, "cpu"
        self.extra = {"class_names": [str(i) for i in range(proba.shape[1])]}
        self._a = {"y_true": y, "y_pred": pred, "proba": proba}

    def arrays(self):
        return self._a


def test_suwartono_ablation_table_and_evidence_pair_arms_on_the_same_images():
    from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

    from fer_repro.experiments import suwartono2025 as S
    from fer_repro.stats import holm

    rng = np.random.default_rng(0)
    n, k = 600, 7
    y = rng.integers(0, k, n)

    def arm(acc, key):
        pred = np.where(rng.random(n) < acc, y, rng.integers(0, k, n))
        proba = rng.dirichlet(np.ones(k), n)
        return _FakeRecord(key, y, pred, proba)

    arms = {"paper": arm(0.6, "p"), "no_class_balanced_weights": arm(0.4, "n"),
            "softmax_instead_of_sparsemax": arm(0.55, "s")}
    t = S.ablation_table(arms, seed=0)
    assert list(t.index) == ["no_class_balanced_weights", "softmax_instead_of_sparsemax"]
    a, b = arms["no_class_balanced_weights"].arrays(), arms["paper"].arrays()
    row = t.loc["no_class_balanced_weights"]
    assert row["accuracy diff"] == pytest.approx((a["y_pred"] == y).mean() - (b["y_pred"] == y).mean())
    rec = recall_score(y, a["y_pred"], average="macro") - recall_score(y, b["y_pred"], average="macro")
    assert row["macro_recall diff"] == pytest.approx(rec)
    assert row["macro_recall diff low"] < rec < row["macro_recall diff high"]
    ok_a, ok_b = a["y_pred"] == y, b["y_pred"] == y
    table = [[np.sum(ok_a & ok_b), np.sum(ok_a & ~ok_b)], [np.sum(~ok_a & ok_b), np.sum(~ok_a & ~ok_b)]]
    assert row["McNemar p (exact)"] == pytest.approx(sm_mcnemar(table, exact=True).pvalue)
    np.testing.assert_allclose(t["McNemar p (Holm)"], holm(t["McNemar p (exact)"]))
    # the ledger sees a drop (reference minus arm), with the interval flipped accordingly
    ev = S.evidence("cpu", 0, {"ablations": arms})["suwartono2025/ablation_no_class_balanced_weights"]
    assert ev.estimate == pytest.approx(-rec)
    assert ev.ci_low == pytest.approx(-row["macro_recall diff high"])
    assert not ev.complete
    # arms scored on different images are refused
    arms["paper"] = _FakeRecord("p2", np.roll(y, 1), b["y_pred"], b["proba"])
    with pytest.raises(ValueError, match="different test images"):
        S.ablation_table(arms)


def test_seeded_ablation_drop_counts_images_and_seeds(tmp_path, monkeypatch):
    """The seed-averaged drop equals the mean of per-seed drops; its interval is wider than the
    bootstrap alone when seeds disagree; fewer than two seeds give None."""
    from fer_repro import metrics as M
    from fer_repro import runs
    from fer_repro.experiments import suwartono2025 as S

    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 7, 700)

    def record(arm, seed, acc):
        pred = np.where(rng.random(len(y)) < acc, y, rng.integers(0, 7, len(y)))
        conf = rng.uniform(0.3, 0.95, len(y))  # top-1 probability, on the predicted class
        proba = np.repeat(((1 - conf) / 6)[:, None], 7, 1)
        proba[np.arange(len(y)), pred] = conf
        probas[(arm, seed)] = proba

        def fn(cfg, workdir):
            return runs.Outcome({"accuracy": float((pred == y).mean())}, y, pred, proba,
                                extra={"class_names": list("abcdefg")})
        runs.run("suwartono2025_ablation", {"arm": arm, "budget": "cpu", "seed": seed}, fn)
        return pred

    preds, probas = {}, {}
    for s, (acc_ref, acc_arm) in enumerate([(0.7, 0.6), (0.7, 0.5)]):
        preds[("paper", s)] = record("paper", s, acc_ref)
        preds[("no_class_balanced_weights", s)] = record("no_class_balanced_weights", s, acc_arm)
    by_seed = S.ablation_seed_records("cpu")
    assert sorted(by_seed) == ["no_class_balanced_weights", "paper"]
    assert S.seeded_ablation_drop("softmax_instead_of_sparsemax", by_seed) is None  # no seeds
    out = S.seeded_ablation_drop("no_class_balanced_weights", by_seed, n_boot=300)
    per = [M.macro_recall(y, preds[("paper", s)], 7)
           - M.macro_recall(y, preds[("no_class_balanced_weights", s)], 7) for s in (0, 1)]
    assert out["estimate"] == pytest.approx(np.mean(per))
    assert out["seeds"] == [0, 1] and len(out["records"]) == 4
    half = (out["high"] - out["low"]) / 2
    assert half > 1.96 * np.std(per, ddof=1) / np.sqrt(2)  # more than the seed spread alone
    assert out["low"] < out["estimate"] < out["high"]
    # the calibration error reads the probabilities, not the predictions
    ece = S.seeded_ablation_drop("no_class_balanced_weights", by_seed,
                                 metric="expected_calibration_error", n_boot=300)
    per = [M.expected_calibration_error(y, probas[("paper", s)])
           - M.expected_calibration_error(y, probas[("no_class_balanced_weights", s)])
           for s in (0, 1)]
    # (the records keep probabilities as float32)
    assert ece["estimate"] == pytest.approx(np.mean(per), abs=1e-5) and ece["estimate"] != 0
    assert ece["low"] < ece["estimate"] < ece["high"]
    # label smoothing's calibration (SUW-80): the ECE the arm without smoothing adds over the
    # paper's recipe, as the chapter's evidence gives it
    for s, acc in enumerate([0.65, 0.6]):
        record("no_label_smoothing", s, acc)
    by_seed = S.ablation_seed_records("cpu")
    ev = S.evidence("cpu", 0, {"ablation_seeds": by_seed})
    e = ev["suwartono2025/ablation_no_label_smoothing_ece_increase"]
    want = S.seeded_ablation_drop("no_label_smoothing", by_seed,
                                  metric="expected_calibration_error")
    assert e.estimate == pytest.approx(-want["estimate"]) and e.n_seeds == 2
    assert (e.ci_low, e.ci_high) == pytest.approx((-want["high"], -want["low"]))
    assert "without label smoothing" in e.detail


def test_smoke_budget_trains_bf16_only_where_it_is_fast(monkeypatch):
    """On a CPU without native bf16 the smoke budget (a test, never a result) uses fp32; every
    other budget keeps the precision its records were made with."""
    import fer_repro.train as T
    from fer_repro.experiments import common
    from fer_repro.experiments import resemotenet as R

    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    monkeypatch.setattr(T, "cpu_features", lambda: {"avx512_bf16": False, "amx_bf16": False})
    assert common.budget_precision("smoke") == "fp32"
    assert R.config("smoke").precision == "fp32" and R.config("cpu").precision == "bf16"
    assert common.budget_precision("smoke", "fp32") == "fp32"
    monkeypatch.setattr(T, "cpu_features", lambda: {"avx512_bf16": False, "amx_bf16": True})
    assert common.budget_precision("smoke") == "bf16"


def test_the_forest_is_rescored_without_the_images_it_can_memorise(monkeypatch, tmp_path):
    """baseline_no_copy_run drops exactly the out-of-fold images with a same-label byte-identical
    copy in their fold's training part, and scores the rest as the baseline's folds do."""
    from types import SimpleNamespace

    from fer_repro import runs
    from fer_repro.data import stratified_kfold
    from fer_repro.experiments import suwartono2025 as S
    from fer_repro.metrics import summary

    rng = np.random.default_rng(0)
    n, k = 300, 7
    labels = rng.integers(0, k, n)
    images = rng.integers(0, 256, (n, 4, 4), dtype=np.uint8)
    images[150:180] = images[0:30]  # copies with the same label ...
    labels[150:180] = labels[0:30]
    images[180:190] = images[30:40]  # ... and copies with another label
    labels[180:190] = (labels[30:40] + 1) % k
    ds = SimpleNamespace(images=images, labels=labels, n_classes=k,
                         class_names=tuple("abcdefg"),
                         split_mask=lambda name: np.ones(n, dtype=bool))
    folds = stratified_kfold(labels, 3, 0, np.arange(n))
    y = np.concatenate([labels[f.val] for f in folds])
    p = np.where(rng.random(n) < 0.5, y, (y + 1) % k)
    base = SimpleNamespace(key="fake", config={"folds": 3},
                           arrays=lambda: {"y_true": y, "y_pred": p})
    monkeypatch.setattr(S, "load_fer2013", lambda: ds)
    monkeypatch.setattr(S, "baseline_cv_run", lambda *a, **kw: base)
    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(runs, "COMPUTE_OVERRIDE", "")
    rec = S.baseline_no_copy_run("randomforest", "cpu", 0, "auto")
    # by hand: an image is dropped when an image with the same pixels and label is in training
    keys = [images[i].tobytes() + bytes([labels[i]]) for i in range(n)]
    drop, start, per_fold = [], 0, []
    for f in folds:
        seen = {keys[i] for i in f.train}
        d = np.array([keys[i] in seen for i in f.val])
        sl = slice(start, start + len(f.val))
        per_fold.append(summary(y[sl][~d], p[sl][~d], k))
        drop.append(d)
        start += len(f.val)
    drop = np.concatenate(drop)
    assert 0 < drop.sum() < 60 and rec.extra["n_kept"] == n - drop.sum()
    assert rec.extra["copied_accuracy"] == pytest.approx(np.mean(y[drop] == p[drop]))
    for got, want in zip(rec.extra["folds"], per_fold, strict=True):
        assert got["accuracy"] == pytest.approx(want["accuracy"])
        assert got["macro_f1"] == pytest.approx(want["macro_f1"])
