"""Classification metrics for the audits, computed from confusion matrices.

Every label metric here is a function of the confusion matrix, so the module is built in
two layers:

* ``*_from_confusion`` helpers take a confusion matrix of shape ``(..., C, C)`` (rows =
  true class, columns = predicted class) and work on any number of leading batch axes.
  With :func:`batched_confusion_matrix` they give a whole bootstrap distribution in a
  few array operations.
* The label-level functions (:func:`accuracy`, :func:`macro_f1`, ...) validate the labels,
  build the confusion matrix with one ``np.bincount`` and call the helpers.

Undefined ratios (a class that is never predicted has no precision; a class absent from
``y_true`` has no recall) are 0, like scikit-learn with ``zero_division=0``. All classes
``0 .. n_classes - 1`` count in macro averages, whether or not they occur in the data
(scikit-learn with ``labels=range(n_classes)``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "accuracy",
    "accuracy_from_confusion",
    "batched_confusion_matrix",
    "confusion_matrix",
    "expected_calibration_error",
    "macro_f1",
    "macro_f1_from_confusion",
    "macro_f1_harmonic",
    "macro_f1_harmonic_from_confusion",
    "macro_precision",
    "macro_recall",
    "per_class_prf",
    "prf_from_confusion",
    "summary",
    "weighted_f1",
    "weighted_f1_from_confusion",
]


def _safe_divide(num: NDArray[np.float64], den: NDArray[np.float64]) -> NDArray[np.float64]:
    """``num / den`` with 0 where ``den == 0`` (scikit-learn's ``zero_division=0``)."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(num.shape, den.shape), dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _labels(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int | None = None, batched: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Check and convert a pair of integer label arrays.

    Both must have the same shape: ``(n,)``, or ``(B, n)`` when ``batched``; ``n >= 1``.
    With ``n_classes`` the labels must lie in ``[0, n_classes)``.
    """
    yt = np.asarray(y_true)
    yp = np.asarray(y_pred)
    ndim = 2 if batched else 1
    if yt.ndim != ndim or yp.shape != yt.shape:
        raise ValueError(
            f"y_true and y_pred must be {ndim}-D arrays of the same shape, "
            f"got {yt.shape} and {yp.shape}"
        )
    if yt.shape[-1] == 0:
        raise ValueError("empty label arrays")
    for name, arr in (("y_true", yt), ("y_pred", yp)):
        integral = np.issubdtype(arr.dtype, np.integer) or (
            np.issubdtype(arr.dtype, np.floating) and bool(np.all(np.mod(arr, 1) == 0))
        )
        if not integral:
            raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    yt = yt.astype(np.int64, copy=False)
    yp = yp.astype(np.int64, copy=False)
    if n_classes is not None:
        if n_classes < 1:
            raise ValueError(f"n_classes must be >= 1, got {n_classes}")
        lo = min(int(yt.min()), int(yp.min()))
        hi = max(int(yt.max()), int(yp.max()))
        if lo < 0 or hi >= n_classes:
            raise ValueError(f"labels must lie in [0, {n_classes}), found range [{lo}, {hi}]")
    return yt, yp


# ---------------------------------------------------------------------------------------
# Confusion matrices
# ---------------------------------------------------------------------------------------


def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> NDArray[np.int64]:
    """Confusion matrix of shape ``(n_classes, n_classes)``, int64.

    Entry ``[i, j]`` counts the items of true class ``i`` predicted as class ``j``.
    """
    yt, yp = _labels(y_true, y_pred, n_classes)
    counts = np.bincount(yt * n_classes + yp, minlength=n_classes * n_classes)
    return counts.reshape(n_classes, n_classes).astype(np.int64, copy=False)


def batched_confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int
) -> NDArray[np.int64]:
    """Confusion matrices of ``B`` label vectors at once: ``(B, n)`` labels -> ``(B, C, C)``.

    Row ``b`` equals ``confusion_matrix(y_true[b], y_pred[b], n_classes)``; one
    ``np.bincount`` does all of them, which is what makes vectorised bootstraps of the
    label metrics fast (combine with the ``*_from_confusion`` helpers).
    """
    yt, yp = _labels(y_true, y_pred, n_classes, batched=True)
    n_batch = yt.shape[0]
    cc = n_classes * n_classes
    codes = yt * n_classes + yp + (np.arange(n_batch, dtype=np.int64) * cc)[:, None]
    counts = np.bincount(codes.ravel(), minlength=n_batch * cc)
    return counts.reshape(n_batch, n_classes, n_classes).astype(np.int64, copy=False)


# ---------------------------------------------------------------------------------------
# Metrics from a confusion matrix (any leading batch axes)
# ---------------------------------------------------------------------------------------


def _check_confusion(cm: ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(cm, dtype=np.float64)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise ValueError(f"confusion matrix must have shape (..., C, C), got {arr.shape}")
    return arr


def _scalar_or_array(x: NDArray[np.float64]) -> float | NDArray[np.float64]:
    return float(x) if np.ndim(x) == 0 else x


def accuracy_from_confusion(cm: ArrayLike) -> float | NDArray[np.float64]:
    """Accuracy ``trace / total`` of a confusion matrix ``(..., C, C)``."""
    arr = _check_confusion(cm)
    total = arr.sum(axis=(-2, -1))
    return _scalar_or_array(_safe_divide(np.trace(arr, axis1=-2, axis2=-1), total))


def prf_from_confusion(cm: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Per-class precision, recall, F1 and support of a confusion matrix ``(..., C, C)``.

    Returns arrays of shape ``(..., C)``. Undefined values are 0: precision of a class
    never predicted, recall of a class with no true items, and F1 when precision and
    recall are both 0 (or undefined). ``support`` is the number of true items per class.
    """
    arr = _check_confusion(cm)
    tp = np.diagonal(arr, axis1=-2, axis2=-1)
    predicted = arr.sum(axis=-2)  # column sums
    support = arr.sum(axis=-1)  # row sums
    precision = _safe_divide(tp, predicted)
    recall = _safe_divide(tp, support)
    # F1 = 2 tp / (2 tp + fp + fn) = 2 tp / (predicted + support): equal to the harmonic
    # mean of precision and recall where both are defined, and 0 where tp = 0.
    f1 = _safe_divide(2.0 * tp, predicted + support)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support}


def macro_f1_from_confusion(cm: ArrayLike) -> float | NDArray[np.float64]:
    """Unweighted mean over classes of the per-class F1 (scikit-learn's macro F1)."""
    return _scalar_or_array(prf_from_confusion(cm)["f1"].mean(axis=-1))


def macro_f1_harmonic_from_confusion(cm: ArrayLike) -> float | NDArray[np.float64]:
    """Harmonic mean of macro precision and macro recall (0 when both are 0)."""
    prf = prf_from_confusion(cm)
    mp = prf["precision"].mean(axis=-1)
    mr = prf["recall"].mean(axis=-1)
    return _scalar_or_array(_safe_divide(2.0 * mp * mr, mp + mr))


def weighted_f1_from_confusion(cm: ArrayLike) -> float | NDArray[np.float64]:
    """Per-class F1 averaged with weights proportional to the class support."""
    prf = prf_from_confusion(cm)
    num = (prf["f1"] * prf["support"]).sum(axis=-1)
    return _scalar_or_array(_safe_divide(num, prf["support"].sum(axis=-1)))


# ---------------------------------------------------------------------------------------
# Label-level metrics
# ---------------------------------------------------------------------------------------


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Fraction of items whose predicted label equals the true label."""
    yt, yp = _labels(y_true, y_pred)
    return float(np.count_nonzero(yt == yp) / yt.size)


def per_class_prf(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int
) -> dict[str, NDArray[np.float64]]:
    """Per-class ``'precision'``, ``'recall'``, ``'f1'`` and ``'support'``, each ``(C,)``.

    Undefined values are 0 (scikit-learn's ``zero_division=0``); see
    :func:`prf_from_confusion`.
    """
    return prf_from_confusion(confusion_matrix(y_true, y_pred, n_classes))


def macro_precision(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> float:
    """Unweighted mean of the per-class precisions over all ``n_classes`` classes."""
    return float(per_class_prf(y_true, y_pred, n_classes)["precision"].mean())


def macro_recall(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> float:
    """Unweighted mean of the per-class recalls (balanced accuracy when all classes occur)."""
    return float(per_class_prf(y_true, y_pred, n_classes)["recall"].mean())


def macro_f1(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> float:
    """Macro F1 as scikit-learn defines it: the mean of the per-class F1 scores.

    This is the "averaged F1" of Opitz & Burst (2019), ``mean_c F1_c``. See
    :func:`macro_f1_harmonic` for the other definition found in papers.
    """
    return float(macro_f1_from_confusion(confusion_matrix(y_true, y_pred, n_classes)))


def macro_f1_harmonic(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> float:
    """Macro F1 as the harmonic mean of macro precision and macro recall.

    ``2 * P_macro * R_macro / (P_macro + R_macro)``, the "F1 of averages" of Opitz &
    Burst (2019, "Macro F1 and Macro F1", arXiv:1911.03347). Some papers report this
    instead of scikit-learn's mean of per-class F1 (:func:`macro_f1`). The two agree
    only when every class has the same precision-recall balance; otherwise the harmonic
    version is never smaller (by Jensen's inequality on the harmonic mean), and it can
    be markedly larger when precision and recall are unbalanced in opposite directions
    across classes, so a paper's "macro F1" cannot be compared without knowing which
    definition it used.
    """
    return float(macro_f1_harmonic_from_confusion(confusion_matrix(y_true, y_pred, n_classes)))


def weighted_f1(y_true: ArrayLike, y_pred: ArrayLike, n_classes: int) -> float:
    """Support-weighted mean of the per-class F1 (scikit-learn's ``average='weighted'``)."""
    return float(weighted_f1_from_confusion(confusion_matrix(y_true, y_pred, n_classes)))


# ---------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------


def expected_calibration_error(y_true: ArrayLike, proba: ArrayLike, n_bins: int = 15) -> float:
    """Expected calibration error of the top-1 prediction (Guo et al., 2017).

    The confidence of item ``i`` is ``max_c proba[i, c]`` and it is correct when
    ``argmax_c proba[i, c] == y_true[i]``. Confidences go into ``n_bins`` equal-width
    bins ``(k/n_bins, (k+1)/n_bins]`` (a confidence of exactly 0 goes into the first
    bin), and

        ECE = sum_k (n_k / n) * |accuracy_k - mean confidence_k|

    over the non-empty bins. Rows of ``proba`` are not renormalised.
    """
    yt = np.asarray(y_true)
    pr = np.asarray(proba, dtype=np.float64)
    if pr.ndim != 2 or yt.ndim != 1 or yt.shape[0] != pr.shape[0] or yt.size == 0:
        raise ValueError(
            f"need y_true (n,) and proba (n, C) with n >= 1, got {yt.shape}, {pr.shape}"
        )
    if n_bins < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins}")
    conf = pr.max(axis=1)
    correct = (pr.argmax(axis=1) == yt).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # searchsorted(side='left') on the inner edges puts conf in bin k iff
    # edges[k] < conf <= edges[k + 1]; values outside [0, 1] land in the end bins.
    bins = np.searchsorted(edges[1:-1], conf, side="left")
    count = np.bincount(bins, minlength=n_bins)
    gap = np.bincount(bins, weights=correct - conf, minlength=n_bins)
    # sum_k (n_k / n) |acc_k - conf_k| = sum_k |sum_{i in k} (correct_i - conf_i)| / n
    return float(np.abs(gap).sum() / count.sum())


# ---------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------


def summary(
    y_true: ArrayLike, y_pred: ArrayLike, n_classes: int, proba: ArrayLike | None = None
) -> dict[str, float]:
    """All headline metrics in one dict (one confusion matrix).

    Keys: ``accuracy``, ``macro_f1``, ``macro_f1_harmonic``, ``macro_precision``,
    ``macro_recall``, ``weighted_f1``, and ``ece`` when ``proba`` is given (ECE uses the
    arg-max of ``proba``, which need not equal ``y_pred``).
    """
    cm = confusion_matrix(y_true, y_pred, n_classes)
    prf = prf_from_confusion(cm)
    out = {
        "accuracy": float(accuracy_from_confusion(cm)),
        "macro_f1": float(macro_f1_from_confusion(cm)),
        "macro_f1_harmonic": float(macro_f1_harmonic_from_confusion(cm)),
        "macro_precision": float(prf["precision"].mean()),
        "macro_recall": float(prf["recall"].mean()),
        "weighted_f1": float(weighted_f1_from_confusion(cm)),
    }
    if proba is not None:
        out["ece"] = expected_calibration_error(y_true, proba)
    return out
