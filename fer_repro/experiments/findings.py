"""The three most important findings per paper, for the verdict overview.

A finding is a plain-words statement (no numbers typed in it) plus its evidence, computed when the
page is built: the verdicts and reasons of the ledger claims it rests on, and, where the central
result is an experiment of ours rather than a claim, a sentence computed from the recorded runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import runs


@dataclass(frozen=True)
class Finding:
    statement: str  # plain words, no numbers
    # (ledger claim id, the verdict the statement assumes); render() flags any disagreement
    claims: tuple[tuple[str, str], ...] = ()
    measured: Callable[[str, int], str] | None = field(default=None, compare=False)


def _get(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except runs.RecordMissing:
        return None


NOT_RECORDED = "not recorded at this budget"


def _leakage_gap(budget: str, seed: int) -> str:
    from ..stats import newcombe_diff_ci
    from . import leakage

    recs = leakage.records(budget, seed)
    leaky, honest = recs.get("leaky"), recs.get("honest")
    if leaky is None or honest is None:
        return NOT_RECORDED
    k = [int((r.arrays()["y_true"] == r.arrays()["y_pred"]).sum()) for r in (leaky, honest)]
    n = [len(r.arrays()["y_true"]) for r in (leaky, honest)]
    lo, hi = newcombe_diff_ci(k[0], n[0], k[1], n[1])
    return (f"the same small CNN scores {k[0] / n[0]:.3f} when FER2013 is augmented before it is "
            f"split and {k[1] / n[1]:.3f} when it is split first (difference "
            f"{k[0] / n[0] - k[1] / n[1]:+.3f}, 95% CI {lo:+.3f} to {hi:+.3f}; budget {budget})")


def _suwartono_loss(budget: str, seed: int) -> str:
    from . import suwartono2025 as S

    recs = S.records(budget, seed)
    w, fc = recs.get("loss_as_written"), recs.get("fastcnn_se")
    parts = []
    if w is not None:
        parts.append("training with the loss as written stops at its first step with an infinite "
                     "loss" if not w.metrics["finite"] and w.metrics["failed_step"] == 0
                     and w.metrics["failed_epoch"] <= 1 else
                     f"training with the loss as written {'runs' if w.metrics['finite'] else 'fails'}")
    if fc is not None:
        k, n = S.zero_true_class_share(fc)
        parts.append(f"after our minimal fix, {k / n:.1%} of PrivateTest images still give their "
                     f"true class probability exactly 0")
    return "; ".join(parts) + f" (budget {budget})" if parts else NOT_RECORDED


def _resemotenet_code(budget: str, seed: int) -> str:
    from ..models.resemotenet import padding_only_weights
    from . import resemotenet
    from .leakage import random_flip_accuracies

    w = padding_only_weights("resemotenet_code", 64, 3)
    text = (f"{w['padding_only'] / w['parameters']:.0%} of the released model's weights only "
            f"ever multiply zero padding at its 64x64 input")
    rec = resemotenet.records(budget, seed)["fer2013"]
    if rec is not None:
        a = rec.arrays()
        acc = random_flip_accuracies(a["y_true"], a["y_pred"], a["private_pred_flip"], seed=seed)
        text += (f"; its test script's random flips move our model's PrivateTest accuracy "
                 f"between {acc.min():.3f} and {acc.max():.3f} over {len(acc):,} evaluations")
    return text


def _dcrnet_protocol_gap(budget: str, seed: int) -> str:
    from . import dcrnet

    parts = []
    for label, run in (("re-implemented DCRNet", dcrnet.ckplus_run),
                       ("pixel 1-nearest-neighbour classifier", dcrnet.pixel_nn_run),
                       ("small attention CNN", dcrnet.probe_run)):
        r = _get(lambda run=run: run("random", budget, seed, "never"))
        s = _get(lambda run=run: run("subject", budget, seed, "never"))
        if r is None or s is None:
            continue
        r, s = (x if isinstance(x, list) else [x] for x in (r, s))
        gap = dcrnet.protocol_gap(r, s, seed=seed)
        acc = [float(np.mean(p["y_true"] == p["y_pred"])) for p in map(dcrnet.pooled, (r, s))]
        parts.append(f"a {label} scores {acc[0]:.3f} on image-level CK+ folds and {acc[1]:.3f} on "
                     f"subject-level folds (gap {gap.estimate:+.3f}, subject-bootstrap 95% CI "
                     f"{gap.low:+.3f} to {gap.high:+.3f})")
    return "; ".join(parts) + f" (budget {budget})" if parts else NOT_RECORDED


def _amacnn_runs(budget: str, seed: int) -> str:
    from . import amacnn

    recs = amacnn.records(budget, seed)
    d, rec = amacnn.protocol_difference(recs), recs["official"]
    if d is not None:
        return (f"our AMACNN scores {d['official']:.3f} on PrivateTest and {d['random8020']:.3f} "
                f"on a random 80:20 split of FER2013 (budget {budget})")
    if rec is not None:
        return f"our AMACNN scores {rec.metrics['accuracy']:.3f} on PrivateTest (budget {budget})"
    return NOT_RECORDED


def _dlfer_scratch(budget: str, seed: int) -> str:
    from . import dlfer

    recs = dlfer.records(budget, seed)
    rec = recs["scratch_b3"]
    if rec is None:
        return NOT_RECORDED
    s = rec.config["train"]["input_size"]
    text = (f"EfficientNet-B3 from random initialisation, trained with the paper's recipe, reached "
            f"{rec.metrics['accuracy']:.3f} after {int(rec.metrics['epochs_run'])} epochs at "
            f"{s}x{s} (budget {budget})")
    d = dlfer.arms_difference(recs, seed)
    if d is None:
        return text + ": a reduced budget, so it neither supports nor refutes the paper's arm"
    text += (f"; without the recipe's augmentation, class weights and stochastic depth the same "
             f"network reached {d['plain']:.3f} in the same budget (a constant prediction "
             f"scores {d['majority_share']:.3f})")
    if d["plain_learns"]:
        return text + (": the network learns, the recipe needs more steps, and the short run "
                       "neither supports nor refutes the paper's arm")
    return text + ": too short a run to learn, so it neither supports nor refutes the paper's arm"


FINDINGS: dict[str, list[Finding]] = {
    "suwartono2025": [
        Finding("The training objective, as written, cannot be trained: the Poly-Focal loss "
                "takes the logarithm of Sparsemax outputs, which are exactly zero for most "
                "classes.", (("SUW-19", "inconsistent"),), _suwartono_loss),
        Finding("The classical baselines reproduce for logistic regression and the linear SVM; "
                "our Random Forest is better than the paper's.", (("SUW-56", "reproduced"), ("SUW-60", "reproduced"), ("SUW-64", "not reproduced"))),
        Finding("The deep models fall short of the paper's numbers at our reduced budget, and "
                "the stated ablation effects are tested with paired comparisons on one test set.",
                (("SUW-06", "pending"), ("SUW-72", "*"), ("SUW-73", "*"))),
    ],
    "resemotenet": [
        Finding("The FER2013 headline lies above the best published results on held-out "
                "FER2013 images, and near what a leaky split gives a small CNN.", (("RES-43", "implausible"),),
                _leakage_gap),
        Finding("The paper's ablation table contradicts itself: some reported losses are below "
                "the minimum a classifier with that accuracy can have, and some accuracies are "
                "impossible on the stated test size.", (("RES-80", "inconsistent"), ("RES-82", "inconsistent"), ("RES-73", "inconsistent"))),
        Finding("The released code differs from the paper, and its evaluation is not "
                "deterministic.", (), _resemotenet_code),
    ],
    "dcrnet": [
        Finding("The CK+ split is image-level: frames of one sequence land in training and test, "
                "so memorising faces is enough; subject-level folds remove most of that.",
                (("DCR-70", "implausible"),), _dcrnet_protocol_gap),
        Finding("The stated significance cannot hold: at the paper's test sizes McNemar's test "
                "cannot detect gains as small as the ablation's.", (("DCR-10", "implausible"),)),
        Finding("The model's stated size and cost do not match a faithful re-implementation.",
                (("DCR-07", "not reproduced"), ("DCR-124", "not reproduced"))),
    ],
    "amacnn": [
        Finding("The FER2013 accuracy is out of reach on held-out FER2013 images, even if every "
                "test image with a copy in training were counted correct.", (("AMA-46", "implausible"),)),
        Finding("Our re-implementation under the stated protocol lands where FER2013 models "
                "usually do at this budget, far from the paper's number.", (("AMA-42", "pending"),),
                _amacnn_runs),
        Finding("The headline accuracy refers to a different Kaggle data set, which is not "
                "available here.", (("AMA-34", "not testable here"),)),
    ],
    "dlfer": [
        Finding("The headline accuracy exceeds what held-out FER2013 images allow.",
                (("DLF-03", "implausible"), ("DLF-50", "implausible"))),
        Finding("The metric definitions contradict the reported numbers: micro-averaged "
                "precision and recall must equal accuracy.", (("DLF-42", "inconsistent"), ("DLF-54", "inconsistent"))),
        Finding("The no-pretraining arm is the only one testable here.", (("DLF-48", "pending"),),
                _dlfer_scratch),
    ],
}


def render(paper: str, frame: Any, checks: Any, budget: str, seed: int = 0) -> str:
    """Markdown for one paper's findings: statement, then the computed evidence (`frame` and
    `checks` as from :func:`fer_repro.claims.report.all_claims`)."""
    rows = frame[frame["paper"] == paper].set_index("id")
    recomputed = checks[checks["paper"] == paper].set_index("check")["recomputed"]
    out = []
    for i, f in enumerate(FINDINGS[paper], start=1):
        lines = [f"{i}. **{f.statement}**"]
        for cid, expect in f.claims:
            r = rows.loc[cid]
            why = r["reason"]
            method, _, target = r["evidence"].partition(":")
            if method == "check" and target in recomputed.index:
                why = f"{why}; recomputed: {recomputed[target]}"
            flag = ("" if expect in ("*", r["verdict"]) else
                    f" (this statement assumed '{expect}': read it with that in mind)")
            lines.append(f"   - {cid} ({r['verdict']}{flag}): {r['claim']} *{why}*")
        if f.measured is not None:
            lines.append(f"   - Measured here: {f.measured(budget, seed)}.")
        out.append("\n".join(lines))
    return "\n".join(out)


def fer2013_facts(budget: str, seed: int = 0) -> dict[str, str]:
    """Computed reference points for reading any FER2013 accuracy (strings for the overview's
    prose): human accuracy, FER+ agreement on PrivateTest, what a leak buys, and the best model
    of the one-protocol leaderboard."""
    from ..data import reference as ref
    from ..data.audit import audit_config, audit_outcome
    from ..stats import wilson_ci
    from . import leaderboard

    h, hs = ref.FER2013_HUMAN_ACCURACY
    out = {"human": f"{h:.0%} ± {hs:.0%}", "best_published": f"{ref.FER2013_BEST_SINGLE_MODEL:.0%}"}
    audit = _get(lambda: runs.fetch("data_audit", audit_config(), audit_outcome, mode="never"))
    if audit is None:
        out["ferplus"] = NOT_RECORDED
    else:
        fp = audit.extra["fer2013"]["ferplus"]["argmax"]
        k, n = fp["private_k"], fp["private_n"]
        lo, hi = wilson_ci(k, n)
        out["ferplus"] = f"{k / n:.1%} (95% CI {lo:.1%}-{hi:.1%})"
    out["leak"] = _leakage_gap(budget, seed)
    es, _ = leaderboard.entries(budget, seed)
    if es:  # the most accurate entry; only its accuracy interval is needed
        best = max(es, key=lambda e: float(np.mean(e.y_true == e.y_pred)))
        k, n = int((best.y_true == best.y_pred).sum()), len(best.y_true)
        lo, hi = wilson_ci(k, n)
        out["best"] = (f"{best.label} at {k / n:.3f} (95% CI {lo:.3f}-{hi:.3f}, "
                       f"budget {budget})")
    else:
        out["best"] = NOT_RECORDED
    return out
