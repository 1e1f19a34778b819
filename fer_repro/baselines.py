"""Reference classifiers that need no training loop: chance levels and PCA + scikit-learn models.

Each ``*_outcome`` function trains on a split's training part and scores its test part once,
returning a :class:`fer_repro.runs.Outcome` for the run store.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from .data import Dataset, Split
from .metrics import summary
from .runs import Outcome

CLASSIFIERS = ("logreg", "linearsvc", "randomforest")


def chance_outcome(ds: Dataset, split: Split, strategy: str, seed: int) -> Outcome:
    """`majority`: always the most frequent training class; `prior`: random draws from the
    training class frequencies (the expected accuracy is sum p_train(c) p_test(c))."""
    prior = np.bincount(ds.labels[split.train], minlength=ds.n_classes) / len(split.train)
    y = ds.labels[split.test]
    if strategy == "majority":
        pred = np.full(len(y), int(prior.argmax()))
        proba = np.tile(np.eye(ds.n_classes)[prior.argmax()], (len(y), 1))
    elif strategy == "prior":
        rng = np.random.default_rng(seed)
        pred = rng.choice(ds.n_classes, size=len(y), p=prior)
        proba = np.tile(prior, (len(y), 1))
    else:
        raise ValueError(f"unknown strategy {strategy!r}")
    return Outcome(summary(y, pred, ds.n_classes, proba), y, pred, proba,
                   extra={"class_names": list(ds.class_names)})


#: how pixels become features: "standardised-whitened" (pixels / 255 -> standardise each pixel ->
#: whitened PCA, i.e. PCA of the correlation matrix with unit-variance components; the book's own
#: reference) or "paper" (pixels / 255 -> PCA of the sample covariance, as Suwartono et al. Sec. 3.6
#: write it: no standardising, no whitening)
PCA_PIPELINES = ("standardised-whitened", "paper")


def make_classifier(kind: str, n_components: int, seed: int, rf_trees: int = 300,
                    pca: str = "standardised-whitened"):
    """Pixels / 255 -> PCA(n_components) -> classifier, the PCA as `pca` says
    (:data:`PCA_PIPELINES`)."""
    if kind == "logreg":
        clf = LogisticRegression(max_iter=1000, random_state=seed)
    elif kind == "linearsvc":
        clf = LinearSVC(random_state=seed, max_iter=5000)
    elif kind == "randomforest":
        clf = RandomForestClassifier(n_estimators=rf_trees, random_state=seed, n_jobs=-1)
    else:
        raise ValueError(f"unknown classifier {kind!r}; one of {CLASSIFIERS}")
    if pca == "paper":
        return make_pipeline(PCA(n_components, random_state=seed), clf)
    if pca != "standardised-whitened":
        raise ValueError(f"unknown PCA pipeline {pca!r}; one of {PCA_PIPELINES}")
    return make_pipeline(StandardScaler(), PCA(n_components, whiten=True, random_state=seed), clf)


def _features(ds: Dataset, idx: np.ndarray) -> np.ndarray:
    return ds.images[idx].reshape(len(idx), -1).astype(np.float32) / 255.0


def pca_classifier_outcome(
    ds: Dataset, split: Split, kind: str, n_components: int = 128, seed: int = 0,
    max_train: int | None = None, rf_trees: int = 300, pca: str = "standardised-whitened",
) -> Outcome:
    """Fit on split.train (optionally a seeded stratified subsample), score split.test once."""
    train = split.train
    if max_train is not None and max_train < len(train):
        from sklearn.model_selection import train_test_split

        train, _ = train_test_split(train, train_size=max_train, stratify=ds.labels[train],
                                    random_state=seed)
    model = make_classifier(kind, n_components, seed, rf_trees, pca)
    model.fit(_features(ds, train), ds.labels[train])
    xt, y = _features(ds, split.test), ds.labels[split.test]
    pred = model.predict(xt)
    proba = model.predict_proba(xt) if hasattr(model, "predict_proba") else None
    return Outcome(summary(y, pred, ds.n_classes, proba), y, pred, proba,
                   extra={"class_names": list(ds.class_names), "n_train": len(train)})


def cv_outcome(
    ds: Dataset, folds: list[Split], kind: str, n_components: int = 128, seed: int = 0,
    max_train: int | None = None, rf_trees: int = 300, pca: str = "standardised-whitened",
) -> Outcome:
    """k-fold cross-validation of a PCA pipeline: per-fold metrics and the pooled out-of-fold
    predictions (each training image predicted once, by the model that did not see it)."""
    fold_metrics, ys, ps = [], [], []
    for f in folds:
        sub = Split(f.name, f.train, np.array([], dtype=np.int64), f.val)
        out = pca_classifier_outcome(ds, sub, kind, n_components, seed, max_train, rf_trees, pca)
        fold_metrics.append(out.metrics)
        ys.append(out.y_true)
        ps.append(out.y_pred)
    keys = fold_metrics[0].keys()
    mean = {f"cv_mean_{k}": float(np.mean([m[k] for m in fold_metrics])) for k in keys}
    y, p = np.concatenate(ys), np.concatenate(ps)
    return Outcome(mean, y, p, extra={"class_names": list(ds.class_names), "folds": fold_metrics,
                                      "k": len(folds)})
