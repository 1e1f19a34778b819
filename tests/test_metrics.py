"""fer_repro.metrics against scikit-learn and direct implementations."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from fer_repro import metrics as M

C = 7
LABELS = list(range(C))


def _labels(seed: int, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Random labels where class 6 never occurs in y_true and class 3 is never predicted.

    About 60 % of predictions are right; the rest are uniform over the other classes.
    """
    rng = np.random.default_rng(seed)
    y_true = rng.choice(6, size=n, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.1])
    noise = rng.choice([0, 1, 2, 4, 5, 6], size=n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, noise)
    y_pred[y_pred == 3] = 5  # class 3 is never predicted
    assert 6 not in y_true and 6 in y_pred and 3 in y_true and 3 not in y_pred
    return y_true, y_pred


SEEDS = [0, 1, 2]


@pytest.mark.parametrize("seed", SEEDS)
def test_accuracy_and_confusion_match_sklearn(seed: int) -> None:
    y, p = _labels(seed)
    assert M.accuracy(y, p) == pytest.approx(skm.accuracy_score(y, p), abs=1e-15)
    cm = M.confusion_matrix(y, p, C)
    assert cm.dtype == np.int64 and cm.shape == (C, C)
    np.testing.assert_array_equal(cm, skm.confusion_matrix(y, p, labels=LABELS))
    assert M.accuracy_from_confusion(cm) == pytest.approx(skm.accuracy_score(y, p), abs=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_per_class_prf_matches_sklearn(seed: int) -> None:
    y, p = _labels(seed)
    prf = M.per_class_prf(y, p, C)
    ref = skm.precision_recall_fscore_support(y, p, labels=LABELS, zero_division=0)
    for key, expected in zip(("precision", "recall", "f1", "support"), ref, strict=True):
        np.testing.assert_allclose(prf[key], expected, rtol=0, atol=1e-12, err_msg=key)
    # The undefined cases are 0, not NaN.
    assert prf["precision"][3] == 0.0 and prf["recall"][6] == 0.0 and prf["f1"][6] == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_averaged_scores_match_sklearn(seed: int) -> None:
    y, p = _labels(seed)
    kw = {"labels": LABELS, "zero_division": 0}
    assert M.macro_f1(y, p, C) == pytest.approx(skm.f1_score(y, p, average="macro", **kw))
    assert M.weighted_f1(y, p, C) == pytest.approx(skm.f1_score(y, p, average="weighted", **kw))
    assert M.macro_precision(y, p, C) == pytest.approx(
        skm.precision_score(y, p, average="macro", **kw)
    )
    assert M.macro_recall(y, p, C) == pytest.approx(skm.recall_score(y, p, average="macro", **kw))


@pytest.mark.parametrize("seed", SEEDS)
def test_macro_f1_harmonic_is_f1_of_macro_precision_and_recall(seed: int) -> None:
    y, p = _labels(seed)
    mp, mr, _, _ = skm.precision_recall_fscore_support(
        y, p, labels=LABELS, average="macro", zero_division=0
    )
    harmonic = M.macro_f1_harmonic(y, p, C)
    assert harmonic == pytest.approx(2 * mp * mr / (mp + mr))
    # A different number from sklearn's macro F1 here, and never smaller (Jensen).
    assert harmonic > M.macro_f1(y, p, C) + 1e-3


def test_macro_f1_definitions_by_hand() -> None:
    # Class 0: P = 2/3, R = 1, F1 = 4/5; class 1: P = 1, R = 1/2, F1 = 2/3.
    y = [0, 0, 1, 1]
    p = [0, 0, 0, 1]
    assert M.macro_f1(y, p, 2) == pytest.approx((4 / 5 + 2 / 3) / 2)
    # Macro P = 5/6, macro R = 3/4: harmonic mean 15/19.
    assert M.macro_f1_harmonic(y, p, 2) == pytest.approx(15 / 19)
    assert M.macro_precision(y, p, 2) == pytest.approx(5 / 6)
    assert M.macro_recall(y, p, 2) == pytest.approx(3 / 4)
    assert M.weighted_f1(y, p, 2) == pytest.approx((4 / 5 + 2 / 3) / 2)  # equal supports


def test_degenerate_cases() -> None:
    # Nothing right: every ratio is 0, no NaN.
    assert M.macro_f1([0, 0], [1, 1], 2) == 0.0
    assert M.macro_f1_harmonic([0, 0], [1, 1], 2) == 0.0
    assert M.summary([0, 1], [0, 1], 3) == pytest.approx(
        {
            "accuracy": 1.0,
            "macro_f1": 2 / 3,  # class 2 is absent from both and scores 0
            "macro_f1_harmonic": 2 / 3,
            "macro_precision": 2 / 3,
            "macro_recall": 2 / 3,
            "weighted_f1": 1.0,
        }
    )


def test_batched_confusion_and_helpers_match_single() -> None:
    rng = np.random.default_rng(5)
    y = rng.integers(0, C, size=(6, 50))
    p = rng.integers(0, C, size=(6, 50))
    batch = M.batched_confusion_matrix(y, p, C)
    assert batch.shape == (6, C, C)
    for b in range(6):
        np.testing.assert_array_equal(batch[b], M.confusion_matrix(y[b], p[b], C))
    helpers = {
        M.accuracy_from_confusion: lambda yt, yp: M.accuracy(yt, yp),
        M.macro_f1_from_confusion: lambda yt, yp: M.macro_f1(yt, yp, C),
        M.macro_f1_harmonic_from_confusion: lambda yt, yp: M.macro_f1_harmonic(yt, yp, C),
        M.weighted_f1_from_confusion: lambda yt, yp: M.weighted_f1(yt, yp, C),
    }
    for helper, single in helpers.items():
        expected = [single(y[b], p[b]) for b in range(6)]
        np.testing.assert_allclose(helper(batch), expected, rtol=1e-14)


@pytest.mark.parametrize("seed", SEEDS)
def test_summary_collects_the_metrics(seed: int) -> None:
    y, p = _labels(seed)
    proba = np.random.default_rng(seed).dirichlet(np.ones(C), size=y.size)
    s = M.summary(y, p, C, proba=proba)
    assert s == pytest.approx(
        {
            "accuracy": M.accuracy(y, p),
            "macro_f1": M.macro_f1(y, p, C),
            "macro_f1_harmonic": M.macro_f1_harmonic(y, p, C),
            "macro_precision": M.macro_precision(y, p, C),
            "macro_recall": M.macro_recall(y, p, C),
            "weighted_f1": M.weighted_f1(y, p, C),
            "ece": M.expected_calibration_error(y, proba),
        },
        abs=1e-15,
    )
    assert "ece" not in M.summary(y, p, C)


def test_label_validation() -> None:
    with pytest.raises(ValueError, match="labels must lie"):
        M.confusion_matrix([0, 1, 7], [0, 1, 2], C)
    with pytest.raises(ValueError, match="labels must lie"):
        M.macro_f1([0, -1], [0, 1], C)
    with pytest.raises(ValueError, match="same shape"):
        M.accuracy([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="integer"):
        M.accuracy([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        M.accuracy([], [])


# ---------------------------------------------------------------------------------------
# Expected calibration error
# ---------------------------------------------------------------------------------------


def _ece_loop(y_true: np.ndarray, proba: np.ndarray, n_bins: int) -> float:
    """Textbook ECE: bins (lo, hi], the first one closed at 0."""
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_true
    total = 0.0
    for k in range(n_bins):
        lo, hi = k / n_bins, (k + 1) / n_bins
        in_bin = (conf > lo) & (conf <= hi) if k > 0 else (conf >= lo) & (conf <= hi)
        if in_bin.any():
            total += in_bin.mean() * abs(correct[in_bin].mean() - conf[in_bin].mean())
    return total


@pytest.mark.parametrize(("seed", "n_bins"), [(0, 15), (1, 10), (2, 1), (3, 40)])
def test_ece_matches_direct_loop(seed: int, n_bins: int) -> None:
    rng = np.random.default_rng(seed)
    n = 2000
    proba = rng.dirichlet(np.full(C, 0.5), size=n)
    # Labels agree with the arg-max more often when the confidence is high.
    top = proba.argmax(axis=1)
    y = np.where(rng.random(n) < proba.max(axis=1) ** 0.5, top, rng.integers(0, C, n))
    ece = M.expected_calibration_error(y, proba, n_bins=n_bins)
    assert ece == pytest.approx(_ece_loop(y, proba, n_bins), abs=1e-12)


def test_ece_by_hand() -> None:
    # All confidences 0.9 (one bin), half correct: |0.5 - 0.9| = 0.4.
    proba = np.tile([0.9, 0.1], (4, 1))
    assert M.expected_calibration_error([0, 0, 1, 1], proba) == pytest.approx(0.4)
    # Confidence exactly 1 and always right.
    assert M.expected_calibration_error([0, 1], np.eye(2)) == 0.0


def _binary_scores(n: int, shift: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Class 0 predicted with confidence q ~ U(0.5, 1); correct with probability q - shift."""
    rng = np.random.default_rng(seed)
    q = rng.uniform(0.5, 1.0, size=n)
    proba = np.column_stack([q, 1 - q])
    y = (rng.random(n) >= q - shift).astype(np.int64)  # 0 (correct) w.p. q - shift
    return y, proba


def test_ece_calibrated_and_overconfident() -> None:
    # n = 20000 over the 8 bins covering (0.5, 1]: ~2500 items a bin, so each bin's
    # accuracy has SE <= sqrt(0.25 / 2500) = 0.01 and the calibrated ECE is about
    # E|N(0, 0.009)| ~ 0.007.
    y, proba = _binary_scores(20_000, 0.0, seed=11)
    assert M.expected_calibration_error(y, proba) < 0.02
    # 0.2 over-confident everywhere: ECE close to 0.2 (same noise, +-0.01).
    y, proba = _binary_scores(20_000, 0.2, seed=12)
    assert M.expected_calibration_error(y, proba) == pytest.approx(0.2, abs=0.02)

