"""The training-seed spread the verdict rule counts, measured from the campaign's seed runs.

The representative model is FastCNN-SE, the "paper" arm of the Suwartono ablation at the ``cpu``
budget (the campaign trains it under several seeds, see :mod:`fer_repro.campaign`). Its seed
standard deviation of PrivateTest accuracy, macro precision, recall and F1 (the largest of the
four) becomes :class:`fer_repro.claims.SeedTerm`; with fewer than :data:`MIN_SEEDS` seeds
recorded the rule uses the stated default :data:`fer_repro.claims.base.DEFAULT_SEED_SD`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import runs
from ..claims import SeedTerm

MIN_SEEDS = 3
METRICS = ("accuracy", "macro_precision", "macro_recall", "macro_f1")
EXPERIMENT = "suwartono2025_ablation"


def seed_records(arm: str = "paper", budget: str = "cpu") -> list[runs.Record]:
    """The recorded runs of one ablation arm at one budget, one per seed (sorted by seed)."""
    recs = [r for r in runs.records(EXPERIMENT)
            if r.config.get("arm") == arm and r.config.get("budget") == budget]
    return sorted(recs, key=lambda r: int(r.config["seed"]))


#: a cell of a run recorded before records carried that field (CPU model, fingerprint)
NOT_RECORDED = "not recorded (the record predates the field)"


def seed_table(arm: str = "paper", budget: str = "cpu") -> Any:
    """One row per seed: the test metrics of that run, its device, its CPU model
    the commit that trained it and the fingerprint of its training code (:data:`NOT_RECORDED`
    where the record predates a field), so a reader can compare the code behind each seed."""
    import pandas as pd

    return pd.DataFrame([{"seed": int(r.config["seed"]), **{m: r.metrics[m] for m in METRICS},
                          "device": r.device,
                          "cpu": r.info["environment"].get("cpu_model") or NOT_RECORDED,
                          "commit": str(r.info.get("git_commit", ""))[:8] or NOT_RECORDED,
                          "training code": r.info.get("training_code") or NOT_RECORDED}
                         for r in seed_records(arm, budget)])


def seed_term(arm: str = "paper", budget: str = "cpu") -> SeedTerm:
    """The measured seed term (largest SD over :data:`METRICS`), or the stated default."""
    recs = seed_records(arm, budget)
    if len(recs) < MIN_SEEDS:
        d = SeedTerm.default()
        return SeedTerm(d.sd, 0, f"{d.source}; {len(recs)} of {MIN_SEEDS} seeds recorded")
    sds = {m: float(np.std([r.metrics[m] for r in recs], ddof=1)) for m in METRICS}
    worst = max(sds, key=sds.get)
    return SeedTerm(sds[worst], len(recs),
                    f"measured: FastCNN-SE ('{arm}' arm, {budget} budget) over {len(recs)} "
                    f"seeds, the largest SD of the four test metrics ({worst})")
