"""Experiments of the DLFER chapter (Hussan 2025), per budget, and the evidence they give.

The paper's DLFER is an ImageNet-pretrained EfficientNet-B3 fine-tuned on FER2013; its own
ImageNet weights ("EF-FER1") were never released, so the headline 82.09 % is judged by checks in
:mod:`fer_repro.claims.dlfer`. What can be re-run is the ablation arm "DLFER without EF-FER1"
(Table 3, printed caption "Table 5"): EfficientNet-B3 from random initialisation, trained on
FER2013 only (train 87.80 %, validation 57.74 %, test 66.21 %).

Protocol (the paper's, Sec. 2.1 and 3.1, on the official FER2013 split): the paper's test set is
the 7,178 images of PublicTest + PrivateTest (its Table 1 counts equal them exactly, ledger checks
``test_split_size`` and ``table1_testing_per_class``) and its training set the 28,709 images of
Training, of which 20 % form the validation set ("80% training, 20% validation"). We carve that
validation part as a seeded stratified 20 % of Training (5,742 images; 22,967 remain for training),
select the epoch on it, and score PublicTest + PrivateTest once.

"Train accuracy" (Table 3): Keras reports the running accuracy of the last epoch, with augmentation
and dropout active. We report the accuracy of the SELECTED model in evaluation mode on its
un-augmented training images (all of them at ``full``, a stratified subsample below it), i.e. how
well the network fits the training data; the two can differ by a few points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import runs
from ..claims import ExperimentEvidence
from ..data import load_fer2013
from ..data.splits import Split
from ..train import TrainConfig

KEY = "dlfer"

#: budget -> settings.
#:
#: * ``smoke``: seconds; 300 training images, 1 epoch, 32x32 input, 200 validation, 200 test and
#:   200 training-accuracy images (stratified subsamples).
#: * ``cpu``: about 30 CPU-minutes on ONE thread. Measured speed of one training step of the
#:   randomly initialised B3 (forward + backward + Adam, batch 32, 3 channels,
#:   ``torch.set_num_threads(1)``, channels_last, the second core busy with another job):
#:   0.62 s/step = 52 images/s at 48x48, 0.80 s/step = 40 images/s at 64x64, 1.74 s/step =
#:   18 images/s at 96x96 (224x224 would be ~12x the FLOPs of 64x64). We take FER2013's native
#:   48x48 (a 2x2 final map, against 7x7 at the paper's 224) and a 20,000-image stratified
#:   subsample of the 22,967 training images for 4 epochs: 80,000 / 52 = ~1,540 s of training +
#:   4 x 5,742 validation, 7,178 test and 5,000 training-accuracy images forward = ~3 min; ~29 min.
#:   Far short of the paper's 60 epochs at 224x224: such a run cannot refute the paper.
#:   Probes by hand (validation only, not recorded), 48x48, a stratified 6,000-image subsample:
#:   with torchvision's head initialisation the recipe above kept swinging to the rare classes
#:   (validation accuracy 0.03 to 0.16 over 4 epochs), and unweighted cross-entropy with a cosine
#:   schedule stayed at the majority class (0.24 to 0.25, training loss 1.82, the entropy of the
#:   class prior). With the Keras head initialisation (the model's default) the recipe starts at a
#:   training loss of 2.21 instead of 2.64 but still stays near the uniform guess (2.04 and 2.11
#:   after epochs 2 and 3; validation accuracy 0.10, 0.05, 0.17). At a tenth of the paper's
#:   learning rate (1e-4) it stays there too (training loss 2.05, 2.02, 2.04, 2.01 over 4 epochs;
#:   validation accuracy 0.06 to 0.17). It is not a train/evaluation BatchNorm mismatch: after 2
#:   epochs of 4,000 images the selected model's mean predicted probability of every class lies in
#:   0.12-0.16 with BatchNorm in either mode, and its negative log-likelihood on training images
#:   with batch statistics is 1.97, against ln 7 = 1.95 for the uniform guess; its features do
#:   not yet carry the classes. Without the paper's augmentation, class weights and stochastic
#:   depth, the same 6,000 images and 4 epochs do start to learn (training loss 1.99, 1.85, 1.78,
#:   1.68; validation accuracy 0.25, 0.28, 0.30, 0.33): the recipe's regularisers slow a
#:   from-scratch B3 further, and the paper's 60 epochs at 224x224 are far beyond a CPU budget.
#:   The recorded ``cpu`` run (20,000 images, 4 epochs) confirms it: training loss 2.13, 1.99,
#:   1.98, 2.00, validation accuracy 0.06 to 0.18.
#: * ``full``: the paper's protocol: 224x224, all 22,967 training images, 60 epochs.
BUDGETS: dict[str, dict[str, Any]] = {
    "smoke": {"input_size": 32, "max_train": 300, "epochs": 1, "max_eval": 200,
              "train_eval_max": 200},
    "cpu": {"input_size": 48, "max_train": 20_000, "epochs": 4, "max_eval": None,
            "train_eval_max": 5_000},
    "full": {"input_size": 224, "max_train": None, "epochs": 60, "max_eval": None,
             "train_eval_max": None},
    # the paper's ~60 epochs on all of its training part, trained on a CPU by the campaign
    # (`python -m fer_repro campaign`) at FER2013's native 48x48 instead of 224x224
    "protocol": {"input_size": 48, "max_train": None, "epochs": 60, "max_eval": None,
                 "train_eval_max": 5_000},
}

#: Sec. 2.2: rotation up to 10 deg left and right, random zoom 20 %, horizontal flip p=0.5 with
#: nearest fill, width and height shifts of 0.1. Keras' ``zoom_range=0.2`` draws the zoom in
#: [0.8, 1.2] independently per axis; the engine's zoom is isotropic in the same range; its
#: ``padding_mode="border"`` is Keras' ``fill_mode="nearest"``.
PAPER_AUGMENT = {"hflip": 0.5, "degrees": 10.0, "scale": (0.8, 1.2), "translate": 0.1}


def scratch_b3_config(budget: str, seed: int = 0, **overrides: Any) -> TrainConfig:
    """EfficientNet-B3 from random initialisation ("DLFER without EF-FER1") as Sec. 2-3 describe
    its training, with our choices where the paper is silent or not realisable in the engine.

    Paper: Adam, learning rate 0.001, "momentum coefficient of 0.99", batch 32, "binary
    cross-entropy", about 60 epochs, images resized to 224x224x1 and scaled to [0, 1], the
    augmentation :data:`PAPER_AUGMENT`, a class-"balanced" training set obtained by augmentation.

    Ours / deviations:

    * loss: categorical cross-entropy. "Binary cross-entropy" on a 7-way softmax output is either
      a misnomer or Keras' ``binary_crossentropy`` applied per output unit (a one-vs-rest loss on
      softmax probabilities); the engine has no such loss, and for one-hot targets both are
      minimised by the same prediction.
    * "momentum 0.99": Adam has no single momentum; the engine's Adam keeps torch's betas
      (0.9, 0.999). (Keras' BatchNormalization momentum is 0.99 by default, another possible
      source of the number; torch's BN momentum 0.1 is the same as Keras' 0.9.)
    * class balance: the engine cannot oversample with augmented replicas; inverse-frequency class
      weights ``N / (C n_c)`` give every class the same share of the expected loss, which is what
      a class-balanced training set does in expectation.
    * grey to RGB: ``in_chans=3`` (the engine repeats the grey channel; the RGB stem is kept) and
      ImageNet mean/std normalisation (what torchvision's and, internally, Keras' EfficientNet
      expect); see :mod:`fer_repro.models.dlfer`.
    * the new dense layer starts as Keras initialises one (Glorot uniform, the model's default),
      the paper's code being TensorFlow (see :mod:`fer_repro.models.dlfer`).
    * no schedule and no early stopping (none is mentioned); the epoch with the best validation
      accuracy is kept (the paper reports a validation accuracy; a Keras checkpoint on it is the
      usual way).

    `overrides` replace config fields, except ``model_kwargs``, which is merged into the model's
    ``{"pretrained": False, "drop": 0.0}``.
    """
    b = BUDGETS[budget]
    cfg = TrainConfig(
        model="dlfer_effnet_b3",
        model_kwargs={"pretrained": False, "drop": 0.0, **overrides.pop("model_kwargs", {})},
        input_size=b["input_size"], in_chans=3, normalize="imagenet",
        epochs=b["epochs"], batch_size=32, eval_batch_size=128, optimizer="adam", lr=1e-3,
        schedule="none", early_stop=None, monitor="val_accuracy", loss="ce",
        class_weights="inverse", augment=dict(PAPER_AUGMENT), output="softmax",
        precision="fp32", max_train=b["max_train"], seed=seed,
    )
    return cfg.replace(**overrides)


#: A sensitivity arm, NOT the paper's recipe: the same network, optimiser, data and budget
#: without the paper's augmentation and class weights and without stochastic depth. It asks
#: whether a from-scratch B3 that stays at the uniform guess under the paper's recipe learns at
#: all in the same number of steps, i.e. whether the short run or the network is to blame.
WITHOUT_REGULARISERS: dict[str, Any] = {
    "augment": {}, "class_weights": None, "model_kwargs": {"stochastic_depth": 0.0},
}

#: the chapter's arms: record key in :func:`records` -> (label, config overrides)
ARMS: dict[str, tuple[str, dict[str, Any]]] = {
    "scratch_b3": ("paper's recipe", {}),
    "scratch_b3_plain": ("without augmentation, class weights, stochastic depth",
                         WITHOUT_REGULARISERS),
}


# --------------------------------------------------------------------------------------------
# split and run


def _cap(idx: np.ndarray, labels: np.ndarray, n: int | None, seed: int) -> np.ndarray:
    from ..train import stratified_subsample

    return idx[stratified_subsample(labels[idx], n, seed)]


def paper_split(ds, seed: int, max_eval: int | None = None) -> Split:
    """Training split 80/20 (stratified, seeded) into train / validation; PublicTest +
    PrivateTest as the test set (7,178 images), validation and test capped at `max_eval`."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(ds))
    training = idx[ds.split_mask("Training")]
    test = idx[ds.split_mask("PublicTest") | ds.split_mask("PrivateTest")]
    tr, va = train_test_split(training, test_size=0.2, stratify=ds.labels[training],
                              random_state=seed)
    tr, va = np.sort(tr), np.sort(va)
    if max_eval is not None:
        va, test = _cap(va, ds.labels, max_eval, seed), _cap(test, ds.labels, max_eval, seed)
    return Split("training80-20+public+private", tr, va, test)


def scratch_b3_run(cfg: TrainConfig, budget: str, mode: str = "auto") -> runs.Record:
    """Train the randomly initialised B3 on 80 % of Training, select on the other 20 %, score
    PublicTest + PrivateTest once, and measure the selected model's training accuracy."""
    b = BUDGETS[budget]
    config = {"train": cfg.to_dict(), "protocol": "training80-20+public+private",
              "max_eval": b["max_eval"], "train_eval_max": b["train_eval_max"],
              "budget": budget, "seed": cfg.seed}

    def fn(config: dict[str, Any], workdir):
        import torch

        from ..train import predict_proba, stratified_subsample, train_and_test

        ds = load_fer2013()
        sp = paper_split(ds, cfg.seed, b["max_eval"])
        # the training images train_and_test uses (same seeded subsample), then a subsample
        tr = sp.train[stratified_subsample(ds.labels[sp.train], cfg.max_train, cfg.seed)]
        tr_eval = _cap(tr, ds.labels, b["train_eval_max"], cfg.seed + 1)
        y_tr = ds.labels[tr_eval]

        def after(model):  # the epoch-selected model on un-augmented training images
            x = torch.from_numpy(np.ascontiguousarray(ds.images[tr_eval]))
            return {"train_y_pred": predict_proba(model, x, cfg).argmax(1).astype(np.int16)}

        out = train_and_test(cfg, ds.images, ds.labels, sp.train, sp.val, sp.test,
                             ds.class_names, workdir, after=after)
        p_tr = out.arrays["train_y_pred"]
        out.arrays["test_usage"] = ds.split[sp.test].astype(np.int8)
        out.metrics["train_accuracy"] = float((p_tr == y_tr).mean())
        out.metrics["n_train_eval"] = float(len(tr_eval))
        best = max(out.history, key=lambda r: r["val_accuracy"]) if out.history else None
        out.metrics["best_val_accuracy"] = float(best["val_accuracy"]) if best else float("nan")
        out.arrays["train_y_true"] = y_tr.astype(np.int16)
        out.extra["train_eval"] = ("selected model, eval mode, un-augmented training images "
                                   f"({len(tr_eval)} of {len(tr)})")
        return out

    return runs.fetch(f"{KEY}_scratch_b3", config, fn, mode=mode)


# --------------------------------------------------------------------------------------------
# evidence for the ledger


def evidence(budget: str = "cpu", seed: int = 0,
             recs: dict[str, Any] | None = None) -> dict[str, ExperimentEvidence]:
    """Evidence from the recorded runs of `budget` (missing runs stay pending), keyed
    ``"dlfer/<target>"``: the ledger's ``scratch_b3_test_accuracy`` (PublicTest + PrivateTest,
    Wilson) and ``scratch_b3_train_accuracy`` (Wilson over the evaluated training images), plus
    ``scratch_b3_test_macro_{precision,recall,f1}`` (percentile bootstrap) and
    ``scratch_b3_param_count`` (millions). ``complete`` only at ``full``."""
    from ..stats import wilson_ci
    from .common import holdout_evidence

    recs = records(budget, seed) if recs is None else recs
    ev: dict[str, ExperimentEvidence] = {}
    r = recs.get("scratch_b3")
    if r is not None:
        budget = r.config["budget"]  # the campaign's protocol run, where recorded
        complete = budget == "full"
        a = r.arrays()
        name = f"{r.name}/{r.key}"
        y, p = a["y_true"].astype(int), a["y_pred"].astype(int)
        n_classes = len(r.extra["class_names"])
        caveat = input_caveat(r)
        ev.update(holdout_evidence(y, p, n_classes, "scratch_b3_test", "PublicTest+PrivateTest"
                                   + caveat, budget, name, seed, complete))
        yt, pt = a["train_y_true"].astype(int), a["train_y_pred"].astype(int)
        kt = int((yt == pt).sum())
        lo, hi = wilson_ci(kt, len(yt))
        ev["scratch_b3_train_accuracy"] = ExperimentEvidence(
            "scratch_b3_train_accuracy", kt / len(yt), lo, hi, budget, name,
            f"selected model on {len(yt)} un-augmented training images{caveat}, "
            "Wilson 95%", complete)
        n = r.metrics["n_parameters"] / 1e6
        ev["scratch_b3_param_count"] = ExperimentEvidence(
            "scratch_b3_param_count", n, n, n, budget, name,
            "parameters of EfficientNet-B3 with a 7-way head (millions)", kind="range",
            trained=False)
    return {f"{KEY}/{k}": v for k, v in ev.items()}


def input_caveat(rec: runs.Record) -> str:
    """For a run at the paper's epochs but not its 224x224 input (the campaign's ``protocol``
    budget): why a shortfall cannot refute the paper; empty otherwise."""
    if rec.config["budget"] != "protocol":
        return ""
    size, full = rec.config["train"]["input_size"], BUDGETS["full"]["input_size"]
    return (f", the paper's epochs at {size}x{size} instead of {full}x{full} (B3 downsamples "
            f"32-fold, so its last feature maps are {-(-size // 32)}x{-(-size // 32)} instead of "
            f"{full // 32}x{full // 32}: a shortfall may be the input's, not the paper's)")


def records(budget: str, seed: int = 0, mode: str = "never") -> dict[str, Any]:
    """The chapter's records for a budget, one per arm of :data:`ARMS`
    (``{"scratch_b3": Record | None, "scratch_b3_plain": Record | None}``); only the first
    is evidence for the ledger. At ``cpu``, an arm's run by the training campaign at the
    paper's epochs (budget ``protocol``; read only) replaces the reduced run once recorded:
    ``config["budget"]`` says which it is. It stays evidence that cannot refute the paper
    (:func:`input_caveat`), but it can reproduce it.

    With mode="never" (the book) a missing run is None and its claims stay pending; with
    mode="auto" missing runs are computed."""
    from .common import recorded

    def get(b: str, overrides: dict[str, Any], mode: str):
        return recorded(lambda: scratch_b3_run(scratch_b3_config(b, seed, **overrides), b, mode))

    out: dict[str, Any] = {}
    for arm, (_, overrides) in ARMS.items():
        campaign = get("protocol", overrides, "never") if budget == "cpu" else None
        out[arm] = campaign or get(budget, overrides, mode)
    return out


# --------------------------------------------------------------------------------------------
# chapter helpers

#: ``test_usage`` codes of the record (FER2013 ``usage``): the paper's test set is both
TEST_SETS: dict[str, tuple[int, ...]] = {
    "PublicTest+PrivateTest (the paper's test set)": (1, 2),
    "PrivateTest (the usual FER2013 test set)": (2,),
    "PublicTest": (1,),
}

#: the ablation table (Table 3, printed caption "Table 5"): (arm, column) -> the judge of the
#: ledger claim that holds the printed number ("untestable:" for the one claim judged so)
ABLATION_JUDGES: dict[tuple[str, str], str] = {
    ("without EF-FER1", "train"): f"experiment:{KEY}/scratch_b3_train_accuracy",
    ("without EF-FER1", "validation"): "check:ablation_val_test_gap",
    ("without EF-FER1", "test"): f"experiment:{KEY}/scratch_b3_test_accuracy",
    ("with EF-FER1", "train"): "untestable:",
    ("with EF-FER1", "validation"): "check:validation_vs_best_published",
    ("with EF-FER1", "test"): "check:headline_accuracy_agrees",
}


def ablation_claims() -> dict[tuple[str, str], Any]:
    """The six ledger claims of the ablation table, keyed like :data:`ABLATION_JUDGES` and
    matched by their judge among the claims located in Table 3."""
    from ..claims.dlfer import CLAIMS

    table3 = [c for c in CLAIMS if c.where.startswith("Table 3")]
    out = {}
    for key, judge in ABLATION_JUDGES.items():
        hits = [c for c in table3 if c.judge.startswith(judge)] if judge.endswith(":") else \
            [c for c in table3 if c.judge == judge]
        if len(hits) != 1:
            raise ValueError(f"{key}: {len(hits)} Table 3 claims judged by {judge!r}")
        out[key] = hits[0]
    return out


def headline_claim() -> Any:
    """The abstract's headline test accuracy (judged by ``accuracy_vs_best_published``)."""
    from ..claims.dlfer import CLAIMS

    (c,) = [c for c in CLAIMS if c.judge == "check:accuracy_vs_best_published"]
    return c


def split_table(rec, seed: int = 0) -> Any:
    """Test metrics of the recorded run on the paper's test set (PublicTest + PrivateTest), on
    PrivateTest alone and on PublicTest alone (the record's ``test_usage``): accuracy with a
    Wilson 95% interval, macro precision/recall/F1 with percentile bootstrap 95% intervals
    (columns of :func:`fer_repro.experiments.amacnn.metric_row`)."""
    import pandas as pd

    from .amacnn import metric_row

    a = rec.arrays()
    y, p, use = a["y_true"].astype(int), a["y_pred"].astype(int), a["test_usage"].astype(int)
    n_classes = len(rec.extra["class_names"])
    rows = []
    for name, codes in TEST_SETS.items():
        m = np.isin(use, codes)
        if m.any():
            rows.append({"test set": name, **metric_row(y[m], p[m], n_classes, seed),
                         "budget": rec.budget})
    return pd.DataFrame(rows).set_index("test set")


def accuracy_table(rec) -> Any:
    """Train, validation and test accuracy of the recorded run (Wilson 95% intervals) beside
    the paper's ablation row "DLFER without EF-FER1". Train: the selected model in eval mode on
    un-augmented training images; validation: the selected epoch's accuracy on the 20 % of
    Training held out; test: PublicTest + PrivateTest."""
    import pandas as pd

    from ..stats import wilson_ci
    from ..tables import fmt_range

    a = rec.arrays()
    claims = ablation_claims()
    yt, pt = a["train_y_true"].astype(int), a["train_y_pred"].astype(int)
    y, p = a["y_true"].astype(int), a["y_pred"].astype(int)
    n_val = int(rec.extra["n_val"])
    parts = {"train": (int((yt == pt).sum()), len(yt)),
             "validation": (round(rec.metrics["best_val_accuracy"] * n_val), n_val),
             "test": (int((y == p).sum()), len(y))}
    rows = []
    for col, (k, n) in parts.items():
        lo, hi = wilson_ci(k, n)
        rows.append({"part": col, "images": n, "ours": k / n, "95% CI": fmt_range(lo, hi),
                     "paper, without EF-FER1": claims[("without EF-FER1", col)].value,
                     "paper, with EF-FER1 (not re-run)": claims[("with EF-FER1", col)].value,
                     "budget": rec.budget})
    return pd.DataFrame(rows).set_index("part")


def train_test_gap(rec) -> dict[str, float]:
    """Train minus test accuracy (paper's test set) of the recorded run, with Newcombe's 95%
    interval (the training and test images are disjoint samples), and the paper's two gaps from
    the ablation table."""
    from ..stats import newcombe_diff_ci

    a = rec.arrays()
    yt, pt = a["train_y_true"].astype(int), a["train_y_pred"].astype(int)
    y, p = a["y_true"].astype(int), a["y_pred"].astype(int)
    kt, nt, k, n = int((yt == pt).sum()), len(yt), int((y == p).sum()), len(y)
    lo, hi = newcombe_diff_ci(kt, nt, k, n)
    c = ablation_claims()
    return {"train": kt / nt, "test": k / n, "gap": kt / nt - k / n, "low": lo, "high": hi,
            "paper_gap_without": c[("without EF-FER1", "train")].value
            - c[("without EF-FER1", "test")].value,
            "paper_gap_with": c[("with EF-FER1", "train")].value
            - c[("with EF-FER1", "test")].value}


def architecture_table(budget: str) -> Any:
    """EfficientNet-B3 with the 7-way head at the paper's 224x224x1 input, with the RGB stem at
    224, at the budget's input, and the 1000-class ImageNet model (EF-FER1): parameters and
    forward GFLOPs (meta device, see :func:`fer_repro.experiments.amacnn.model_cost`)."""
    import pandas as pd

    from .amacnn import model_cost

    s = BUDGETS[budget]["input_size"]
    rows = []
    for label, chans, size, kw in (
        ("paper's input (grey stem), 7 classes", 1, 224, {}),
        ("RGB stem at 224, 7 classes", 3, 224, {}),
        (f"budget '{budget}' input (the run below)", 3, s, {}),
        ("ImageNet model (EF-FER1), 1000 classes", 3, 224, {"num_classes": 1000}),
    ):
        n, gf = model_cost("dlfer_effnet_b3", chans, size, **kw)
        rows.append({"model": label, "input": f"{size}x{size}x{chans}", "parameters": n,
                     "forward GFLOPs": gf})
    return pd.DataFrame(rows).set_index("model")


def arms_table(recs: dict[str, Any]) -> Any:
    """One row per recorded arm of :data:`ARMS`: its final training loss (each arm's own loss,
    class-weighted for the paper's recipe), best validation accuracy, and test accuracy on the
    paper's test set with its Wilson 95% interval; the uniform guess's cross-entropy is ln 7."""
    import pandas as pd

    from ..stats import wilson_ci

    rows = []
    for arm, (label, _) in ARMS.items():
        r = recs.get(arm)
        if r is None:
            continue
        a, h = r.arrays(), r.history()
        k, n = int((a["y_true"] == a["y_pred"]).sum()), len(a["y_true"])
        lo, hi = wilson_ci(k, n)
        rows.append({"arm": label, "epochs": int(r.metrics["epochs_run"]),
                     "final training loss": float(h["train_loss"].iloc[-1]),
                     "best validation accuracy": r.metrics["best_val_accuracy"],
                     "test accuracy": k / n, "low": lo, "high": hi, "test images": n,
                     "budget": r.budget, "record": f"{r.name}/{r.key}"})
    return pd.DataFrame(rows).set_index("arm") if rows else pd.DataFrame()


def one_budget(recs: dict[str, Any], budget: str, seed: int = 0) -> dict[str, Any]:
    """`recs` when both arms share one budget, else the chapter budget's runs of both arms
    (read only): the arms' comparison must differ in the recipe alone. The two campaign arms
    are queued one after the other, so for a while only the first is recorded."""
    from .common import one_budget as same
    from .common import recorded

    return same(recs, lambda arm: recorded(lambda: scratch_b3_run(
        scratch_b3_config(budget, seed, **ARMS[arm][1]), budget, "never")))


def arms_difference(recs: dict[str, Any], seed: int = 0) -> dict[str, float] | None:
    """Test accuracy of the arm without regularisers minus that of the paper's recipe, on the
    same test images: paired percentile bootstrap 95% interval and McNemar's exact p-value;
    with the test set's majority-class share (what a constant prediction scores) and
    ``plain_learns``: the arm without regularisers beats the paper's recipe (the interval lies
    above 0) and the constant prediction (its Wilson interval lies above the share). None unless
    both arms are recorded at the same budget."""
    from ..metrics import accuracy
    from ..stats import mcnemar, paired_bootstrap, wilson_ci

    paper, plain = recs.get("scratch_b3"), recs.get("scratch_b3_plain")
    if paper is None or plain is None or paper.config["budget"] != plain.config["budget"]:
        return None  # (arms of two budgets differ in more than the recipe)
    a, b = paper.arrays(), plain.arrays()
    y = a["y_true"].astype(int)
    if not np.array_equal(y, b["y_true"].astype(int)):
        raise ValueError("the two arms were scored on different test images")
    p_plain, p_paper = b["y_pred"].astype(int), a["y_pred"].astype(int)
    pb = paired_bootstrap(accuracy, y, p_plain, p_paper, seed=seed)
    mc = mcnemar(y, p_plain, p_paper)
    majority = float(np.bincount(y).max() / len(y))
    plain_low, _ = wilson_ci(int((p_plain == y).sum()), len(y))
    return {"plain": pb.estimate_a, "paper": pb.estimate_b, "difference": pb.estimate,
            "low": pb.low, "high": pb.high, "p_mcnemar": mc.p_exact,
            "majority_share": majority, "plain_learns": bool(pb.low > 0 and plain_low > majority)}
