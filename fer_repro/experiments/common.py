"""What every chapter's evidence needs: test-set metrics with their intervals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..claims import ExperimentEvidence

MACRO_METRICS = ("macro_precision", "macro_recall", "macro_f1")


def budget_precision(budget: str, precision: str = "bf16") -> str:
    """The precision a configuration trains in at `budget`: `precision`, except that the
    ``smoke`` budget (a test that the chapter runs, whose numbers are never shown as results)
    trains bf16 only where it is fast: on CUDA or on a CPU with native bf16 (AVX512-BF16 or
    AMX). Elsewhere bf16 autocast is emulated and measured 4-7x slower than fp32 (ResEmoteNet
    and AMACNN inference, oneDNN limited to AVX2), which is what made the smoke chapters slow on
    such CPUs; there the smoke budget uses fp32."""
    if budget != "smoke" or precision != "bf16":
        return precision
    import torch

    from ..train import cpu_features

    return precision if torch.cuda.is_available() or any(cpu_features().values()) else "fp32"


def holdout_evidence(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int, prefix: str,
                  where: str, budget: str, record: str, seed: int = 0,
                  complete: bool = False, macro: tuple[str, ...] = MACRO_METRICS,
                  n_boot: int = 2000) -> dict[str, ExperimentEvidence]:
    """``<prefix>_accuracy`` (Wilson 95 %) and ``<prefix>_<m>`` for each ``m`` of `macro`
    (default ``macro_{precision,recall,f1}``; percentile bootstrap 95 %, `n_boot` resamples) of
    one set of test predictions."""
    from .. import metrics as M
    from ..stats import bootstrap_ci, wilson_ci

    y, p = np.asarray(y_true).astype(int), np.asarray(y_pred).astype(int)
    k = int((y == p).sum())
    lo, hi = wilson_ci(k, len(y))
    out = {f"{prefix}_accuracy": ExperimentEvidence(
        f"{prefix}_accuracy", k / len(y), lo, hi, budget, record,
        f"{where} ({len(y):,} images), Wilson 95%", complete)}
    for m in macro:
        fn = getattr(M, m)
        bs = bootstrap_ci(lambda yy, pp, fn=fn: fn(yy, pp, n_classes), y, p, n_boot=n_boot,
                          seed=seed)
        out[f"{prefix}_{m}"] = ExperimentEvidence(
            f"{prefix}_{m}", bs.estimate, bs.low, bs.high, budget, record,
            f"{where} ({len(y):,} images), percentile bootstrap 95%", complete)
    return out


def one_budget(recs: dict[str, Any], reduced: Callable[[str], Any]) -> dict[str, Any]:
    """`recs` (key -> run record or None) when its runs share one budget, else ``reduced(key)``
    for every key (the chapter budget's runs, read only): a comparison between runs must not
    mix a campaign run of the paper's epochs with a reduced one."""
    if len({r.config["budget"] for r in recs.values() if r is not None}) <= 1:
        return recs
    return {k: reduced(k) for k in recs}


def recorded(call: Callable[[], Any]) -> Any:
    """``call()``, or None where its run is not recorded (:class:`fer_repro.runs.RecordMissing`)."""
    from .. import runs

    try:
        return call()
    except runs.RecordMissing:
        return None
