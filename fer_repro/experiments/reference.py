"""Reference points on FER2013's official split: chance rules and a linear pixel model.

Trained on Training (all of it, or a seeded stratified subsample at `smoke`), scored once on
PrivateTest. Used by the data chapter and the leaderboard.
"""

from __future__ import annotations

from typing import Any

from .. import runs

#: PCA + logistic regression training images per budget (None: all of Training)
MAX_TRAIN = {"smoke": 2000, "cpu": None, "full": None}

STRATEGIES = {"always majority": "majority", "class-prior guess": "prior"}


def _split():
    from ..data import load_fer2013, official_fer2013

    ds = load_fer2013()
    return ds, official_fer2013(ds)


def chance_run(strategy: str, seed: int = 0, mode: str = "auto") -> runs.Record:
    """A rule that ignores the image: "majority" class, or a guess from the class "prior"."""
    def fn(cfg: dict[str, Any], workdir):
        from .. import baselines

        ds, sp = _split()
        return baselines.chance_outcome(ds, sp, strategy, cfg["seed"])

    config = {"strategy": strategy, "seed": seed, "test": "PrivateTest"}
    return runs.fetch("fer2013_chance", config, fn, mode=mode)


def pca_logreg_run(budget: str, seed: int = 0, mode: str = "auto") -> runs.Record:
    """Standardised pixels -> PCA(128) -> logistic regression."""
    def fn(cfg: dict[str, Any], workdir):
        from .. import baselines

        ds, sp = _split()
        return baselines.pca_classifier_outcome(ds, sp, "logreg", cfg["n_components"],
                                                cfg["seed"], cfg["max_train"])

    config = {"classifier": "logreg", "n_components": 128, "seed": seed,
              "max_train": MAX_TRAIN[budget], "budget": budget, "test": "PrivateTest"}
    return runs.fetch("fer2013_pca_classifier", config, fn, mode=mode)


def reference_runs(budget: str, seed: int = 0, mode: str = "auto") -> dict[str, runs.Record]:
    """{label: Record} of the two chance rules and PCA128 + LogReg."""
    out = {label: chance_run(s, seed, mode) for label, s in STRATEGIES.items()}
    out["PCA128 + LogReg"] = pca_logreg_run(budget, seed, mode)
    return out
