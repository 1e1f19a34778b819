"""Generic consistency checks: a paper's numbers against its own numbers, formulas and data facts.

Each check returns a :class:`~fer_repro.claims.base.CheckResult` that states the paper's number,
the recomputed number and the rule. Nothing here knows about a particular paper: the ledgers
(one module per paper) call these functions with the numbers they transcribe.

Rounding and tolerance rules (used by every function below)
-----------------------------------------------------------

* Reported numbers are passed as the strings the paper prints, so a comparison honours the
  printed precision. A printed number ``x`` with ``d`` decimals stands for every value in
  ``[x - h, x + h]`` with ``h = half_unit(x) = 0.5 * 10**-d`` (ties are accepted either way).
* A recomputed value is consistent with a printed one when it lies in that interval, widened by
  an explicit ``slack`` where the inputs were themselves rounded (:func:`matches_printed`).
* Two printed numbers agree when they differ by at most the half unit of the *coarser* one
  (:func:`same_value`, :func:`same_value_all`, :func:`micro_equals_accuracy`).
* Every comparison allows an extra ``EPS`` (in the units as printed) for floating point.
* A printed proportion is a percentage when it ends in ``%`` or, unless a ``scale`` is given
  explicitly, when its value exceeds 1 (:func:`proportion_scale`); otherwise it is a fraction.
* A proportion measured on ``n`` items is ``k/n`` for an integer ``k``; by default ``k/n`` must
  *round* to the printed value, and with ``allow_truncation`` it may also *truncate* to it
  (accepted interval ``[x - h, x + 2h)``), since papers do both (:func:`attainable_counts`).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
from scipy import stats as sps

from ..stats import format_p
from .base import CheckResult, Reading, reading_word

__all__ = [
    "EPS",
    "accuracy_from_report",
    "all_of",
    "approx_count_matches",
    "as_fraction",
    "attainable_counts",
    "attainable_proportion",
    "augment_then_split_bound",
    "augment_then_split_reading",
    "ce_loss_lower_bound",
    "contributors_match_authors",
    "count_in_range",
    "count_matches",
    "exceeds_all",
    "f1_from_pr",
    "fraction_half_unit",
    "gain_over_best",
    "group_disjoint_possible",
    "half_unit",
    "interval_from_formula",
    "leakage_bound",
    "leakage_ceiling",
    "leakage_run",
    "macro_average",
    "macro_f1_upper_bound",
    "macro_recall_feasible",
    "matches_fraction",
    "matches_printed",
    "mcnemar_attainable",
    "mcnemar_min_net_gain",
    "mean_sd",
    "micro_equals_accuracy",
    "ovr_accuracy",
    "ovr_formula_is_top1",
    "parse_approx_count",
    "parse_number",
    "power_context",
    "predictions_from_report",
    "printed_decimals",
    "proportion_scale",
    "proportions_compatible",
    "rounds_to_sig",
    "runs_average_reading",
    "same_items",
    "same_text_all",
    "same_value",
    "same_value_all",
    "sole_reading",
    "sum_equals",
    "sum_exceeds",
    "sumset",
    "table_matches",
    "unpaired_gain_significant",
    "weighted_average",
    "with_detail",
    "within_bound",
]

#: floating-point allowance added to every comparison, in the units of the printed number
EPS = 1e-12

Places = Mapping[str, str] | Sequence[tuple[str, str]]


# ---------------------------------------------------------------------------------------------
# Printed numbers
# ---------------------------------------------------------------------------------------------


def printed_decimals(s: str) -> int:
    """Digits after the decimal point in a printed number ("0.6170" -> 4, "79.79%" -> 2, "12" -> 0)."""
    s = s.strip().rstrip("%").strip()
    if "e" in s.lower():
        raise ValueError(f"scientific notation not supported: {s!r}")
    return len(s.split(".", 1)[1]) if "." in s else 0


def parse_number(s: str) -> float:
    """The numeric value of a printed number; a trailing % is kept in percent units."""
    return float(s.strip().rstrip("%").replace(",", "").replace("\u2212", "-"))


def half_unit(printed: str) -> float:
    """Half a unit in the last printed digit ("0.6170" -> 0.00005, "79.79%" -> 0.005, "12" -> 0.5),
    in the units as printed: the largest rounding error the printed number can hide."""
    return 0.5 * 10 ** (-printed_decimals(printed))


def matches_printed(value: float, printed: str, slack: float = 0.0) -> bool:
    """True when `value` rounds to `printed` at its printed precision (plus `slack`)."""
    return abs(value - parse_number(printed)) <= half_unit(printed) + slack + EPS


def proportion_scale(printed: str, scale: float | None = None) -> float:
    """The unit of a printed proportion: `scale` when given; else 100 when it is printed as a
    percentage (ends in ``%`` or its value exceeds 1) and 1 when it is a fraction."""
    if scale is not None:
        return float(scale)
    return 100.0 if printed.strip().endswith("%") or parse_number(printed) > 1.0 else 1.0


def as_fraction(printed: str, scale: float | None = None) -> float:
    """A printed proportion as a fraction in [0, 1] ("82.09%" or "82.09" -> 0.8209, "0.82" -> 0.82)."""
    return parse_number(printed) / proportion_scale(printed, scale)


def fraction_half_unit(printed: str, scale: float | None = None) -> float:
    """:func:`half_unit` of a printed proportion, as a fraction ("82.09" -> 0.00005)."""
    return half_unit(printed) / proportion_scale(printed, scale)


def matches_fraction(fraction: float, printed: str, scale: float | None = None) -> bool:
    """Does a fraction round to a proportion printed as a fraction or a percentage?"""
    return matches_printed(fraction * proportion_scale(printed, scale), printed)


def parse_approx_count(s: str) -> float:
    """The number in an approximate count: '30,000' -> 30000, '30K' -> 30000, '36k images' -> 36000."""
    m = re.search(r"([\d.,]+)\s*([kK])?", s)
    if m is None:
        raise ValueError(f"no number in {s!r}")
    x = float(m.group(1).replace(",", ""))
    return x * 1000 if m.group(2) else x


def _fmt(x: float, printed: str) -> str:
    d = printed_decimals(printed) + 2
    return f"{x:.{d}f}" + ("%" if printed.strip().endswith("%") else "")


# ---------------------------------------------------------------------------------------------
# Combining and annotating results
# ---------------------------------------------------------------------------------------------


def with_detail(res: CheckResult, detail: str | None = None, **changes: object) -> CheckResult:
    """A copy of `res` with a new `detail` (when given) and any other fields replaced
    (``name``, ``rule``, ``failure``, ``paper_value`` ...); ``consistent`` is normally left alone."""
    if detail is not None:
        changes["detail"] = detail
    return dataclasses.replace(res, **changes)  # type: ignore[arg-type]


def sole_reading(res: CheckResult, why: str, reading: str = "") -> CheckResult:
    """`res` annotated with the only reading its rule admits (``holds`` False when it fails):
    `reading` (default: the rule itself) and `why` no other reading of the paper's words is
    reasonable."""
    return res.with_readings(Reading(reading or f"as the rule reads it: {res.rule}",
                                     res.consistent, why))


def _merge_readings(failing: Sequence[CheckResult]) -> tuple[Reading, ...]:
    """Readings of a combination of checks that fails when any part fails.

    The first is every part read by its own rule (it fails). Another reading (matched by its
    words across the failing parts) lets the whole hold only if it lets every failing part hold;
    a reading that only one part considers leaves the other parts failing under it. Empty when
    some failing part lists no readings (the caller must annotate the combination itself).
    Alternative readings are assumed to be more lenient than the rules, so parts that pass
    under their rule are not re-examined."""
    if not failing or any(not p.readings for p in failing):
        return ()
    own = Reading(
        "each part read as its own rule reads it",
        False,
        "; ".join(f"[{p.name}] {p.readings[0].detail or p.readings[0].reading}" for p in failing),
    )
    labels: list[str] = []
    for p in failing:
        for r in p.readings[1:]:
            if r.reading not in labels:
                labels.append(r.reading)
    out = [own]
    for label in labels:
        per = [(p, next((r for r in p.readings[1:] if r.reading == label), None)) for p in failing]
        # a part that fails under the label fails it; an open part leaves it open
        vals = [False if r is None else r.holds for _, r in per]
        holds = False if False in vals else None if None in vals else True
        out.append(Reading(label, holds, "; ".join(
            f"[{p.name}] " + ("not considered (fails as under its rule)" if r is None else
                              reading_word(r) + (f": {r.detail}" if r.detail else ""))
            for p, r in per)))
    return tuple(out)


def all_of(
    name: str, parts: Sequence[CheckResult], rule: str = "", detail: str = ""
) -> CheckResult:
    """Several sub-checks combined into one that is consistent only when all of them are.

    When it fails, it is "implausible" only if every failing part is implausible; a single
    self-contradiction makes the whole "inconsistent" (whatever the order of the parts). The
    rule defaults to the sub-checks' rules and the detail to the failing parts' details. The
    failing parts' readings are merged by their words (see :func:`_merge_readings`).
    """
    parts = list(parts)
    failing = [p for p in parts if not p.consistent]
    implausible = bool(failing) and all(p.failure == "implausible" for p in failing)
    if not detail:
        detail = (
            f"All {len(parts)} sub-checks agree."
            if not failing
            else "Failing: " + " ".join(f"[{p.name}] {p.detail or p.recomputed}" for p in failing)
        )
    return CheckResult(
        name,
        " | ".join(f"{p.name}: {p.paper_value}" for p in parts),
        " | ".join(f"{p.name}: {p.recomputed}" for p in parts),
        rule or "every sub-check must hold: " + "; ".join(sorted({p.rule for p in parts})),
        not failing,
        "implausible" if implausible else "inconsistent",
        detail,
        _merge_readings(failing),
    )


# ---------------------------------------------------------------------------------------------
# The same statement in several places
# ---------------------------------------------------------------------------------------------


def same_value(name: str, a_where: str, a: str, b_where: str, b: str) -> CheckResult:
    """Two places of the paper that must state the same number (abstract vs table, say)."""
    x, y = parse_number(a), parse_number(b)
    ok = abs(x - y) <= max(half_unit(a), half_unit(b)) + EPS
    return CheckResult(
        name,
        f"{a_where}: {a}; {b_where}: {b}",
        f"difference {abs(x - y):.4g}",
        "the same quantity must have the same value wherever it is stated (to printed precision)",
        ok,
    )


def _places(stated: Places) -> list[tuple[str, str]]:
    items = list(stated.items()) if isinstance(stated, Mapping) else [tuple(p) for p in stated]
    if len(items) < 2:
        raise ValueError("need at least two places to compare")
    return items  # type: ignore[return-value]


def same_value_all(
    name: str, stated: Places, what: str = "the quantity", detail: str = ""
) -> CheckResult:
    """One number stated in several places (``{where: printed}`` or ``[(where, printed), ...]``).

    Every pair of places must agree to printed precision: two values agree when they differ by
    at most half a unit of the coarser one ("0.548" agrees with "0.5482", "0.6170" does not with
    "0.6132"). The detail defaults to a sentence listing the values.
    """
    items = _places(stated)
    bad = [
        f"{wa} {a} vs {wb} {b}"
        for (wa, a), (wb, b) in combinations(items, 2)
        if abs(parse_number(a) - parse_number(b)) > max(half_unit(a), half_unit(b)) + EPS
    ]
    ok = not bad
    if not detail:
        listing = ", ".join(f"{v} ({w})" for w, v in items)
        detail = (
            f"{what[:1].upper() + what[1:]} is printed as {listing}; "
            + ("all agree at printed precision." if ok else "they disagree: " + "; ".join(bad) + ".")
        )
    return CheckResult(
        name,
        "; ".join(f"{w}: {v}" for w, v in items),
        "all agree" if ok else "disagree: " + ", ".join(bad),
        f"{what} must be the same wherever it is stated (to printed precision)",
        ok,
        detail=detail,
    )


def same_text_all(
    name: str, stated: Places, what: str = "the statement", detail: str = ""
) -> CheckResult:
    """Several places of the paper that must make the same non-numeric statement (a model's
    name, an activation, a protocol); compared after case-folding and whitespace normalisation."""
    items = _places(stated)
    distinct = sorted({" ".join(s.casefold().split()) for _, s in items})
    return CheckResult(
        name,
        "; ".join(f"{w}: {s}" for w, s in items),
        f"{len(distinct)} distinct statement(s): " + " | ".join(distinct),
        f"{what} must be the same wherever it is stated",
        len(distinct) == 1,
        detail=detail,
    )


def same_items(
    name: str, a_where: str, a: Sequence[str], b_where: str, b: Sequence[str]
) -> CheckResult:
    """Two places of the paper that must list the same items (kernel sizes, input size ...),
    compared as multisets after lower-casing, removing white space and reading "x" as "×"."""

    def norm(x: str) -> str:
        return re.sub(r"\s+", "", x).lower().replace("x", "×")

    na, nb = [norm(x) for x in a], [norm(x) for x in b]
    ok = sorted(na) == sorted(nb)
    return CheckResult(
        name,
        f"{a_where}: {', '.join(a)}; {b_where}: {', '.join(b)}",
        "same items" if ok else f"differ: {sorted(set(na) ^ set(nb))}",
        "the same design choice must be stated identically wherever it is stated",
        ok,
    )


# ---------------------------------------------------------------------------------------------
# Arithmetic of reported statistics and metrics
# ---------------------------------------------------------------------------------------------


def mean_sd(
    name: str,
    values: Sequence[float],
    reported_mean: str,
    reported_sd: str | None = None,
    ddof: int | None = None,
) -> CheckResult:
    """Do per-fold values give the reported mean (and SD)?

    With ``ddof=None`` the SD is accepted under either the population (ddof 0) or the sample
    (ddof 1) definition, since papers rarely say which.
    """
    v = np.asarray(values, dtype=float)
    m = float(v.mean())
    ok = matches_printed(m, reported_mean)
    paper = f"mean {reported_mean}"
    ours = f"mean {_fmt(m, reported_mean)}"
    rule = f"arithmetic mean of the {len(v)} values the paper lists"
    if reported_sd is not None:
        ddofs = (0, 1) if ddof is None else (ddof,)
        sds = {d: float(v.std(ddof=d)) for d in ddofs}
        sd_ok = any(matches_printed(s, reported_sd) for s in sds.values())
        ok = ok and sd_ok
        paper += f", SD {reported_sd}"
        ours += ", " + ", ".join(f"SD(ddof={d}) {_fmt(s, reported_sd)}" for d, s in sds.items())
        rule += "; SD with " + (" or ".join(f"ddof={d}" for d in ddofs))
    return CheckResult(name, paper, ours, rule + "; equal at printed precision", ok)


def f1_from_pr(name: str, precision: str, recall: str, reported_f1: str) -> CheckResult:
    """F1 = 2PR/(P+R) from the reported precision and recall (valid for one class or micro
    averages; for macro averages this is the harmonic mean of macro-P and macro-R, which need not
    equal the mean of per-class F1)."""
    p, r = parse_number(precision), parse_number(recall)
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    # P and R are themselves rounded: accept any F1 reachable from values that round to them.
    hp, hr = half_unit(precision), half_unit(recall)
    corners = [
        2 * a * b / (a + b)
        for a in (p - hp, p + hp)
        for b in (r - hr, r + hr)
        if a + b > 0
    ]
    lo, hi = min(corners), max(corners)
    f = parse_number(reported_f1)
    half = half_unit(reported_f1)
    ok = lo - half - EPS <= f <= hi + half + EPS
    return CheckResult(
        name,
        f"P {precision}, R {recall}, F1 {reported_f1}",
        f"2PR/(P+R) = {_fmt(f1, reported_f1)} (range from rounding {lo:.4f}-{hi:.4f})",
        "F1 is the harmonic mean of precision and recall",
        ok,
    )


def macro_f1_upper_bound(name: str, precision: str, recall: str, reported_f1: str) -> CheckResult:
    """Macro-F1 defined as the mean of per-class F1 can never exceed the harmonic mean of
    macro-precision and macro-recall (the harmonic mean is concave, so by Jensen's inequality
    mean_k H(P_k, R_k) <= H(mean P_k, mean R_k)). P and R are taken at the top of their rounding
    intervals and F1 at the bottom of its own."""
    p, r, f = parse_number(precision), parse_number(recall), parse_number(reported_f1)
    pu, ru = p + half_unit(precision), r + half_unit(recall)
    bound = 2 * pu * ru / (pu + ru)
    h = 2 * p * r / (p + r) if p + r > 0 else 0.0
    ok = f - half_unit(reported_f1) <= bound + EPS
    return CheckResult(
        name,
        f"P {precision}, R {recall}, macro-F1 {reported_f1}",
        f"H(P, R) = {h:.4f} (at most {bound:.4f} with rounding)",
        "mean of per-class F1 <= harmonic mean of macro-P and macro-R (Jensen)",
        ok,
        detail=(
            f"The reported macro-F1 {reported_f1} is "
            + ("within" if ok else "above")
            + f" the largest value the per-class definition allows, H(P, R) = {h:.4f}."
        ),
    )


def _average_check(
    name: str,
    per_class: Sequence[str],
    weights: Sequence[float],
    reported: str,
    texts: tuple[str, str, str],
) -> CheckResult:
    vals = np.array([parse_number(x) for x in per_class])
    w = np.asarray(weights, dtype=float)
    m = float((vals * w).sum() / w.sum())
    # the per-class values are rounded: allow the half unit of the coarsest of them
    slack = max(half_unit(x) for x in per_class)
    paper, ours, rule = texts
    return CheckResult(
        name,
        paper,
        f"{ours} {_fmt(m, reported)}",
        rule,
        matches_printed(m, reported, slack=slack),
    )


def macro_average(name: str, per_class: Sequence[str], reported_macro: str) -> CheckResult:
    """Is the reported macro average the unweighted mean of the reported per-class values?"""
    return _average_check(
        name,
        per_class,
        [1.0] * len(per_class),
        reported_macro,
        (
            f"macro {reported_macro} from {len(per_class)} per-class values",
            "unweighted mean",
            "macro average = unweighted mean over classes (per-class values rounded as printed)",
        ),
    )


def weighted_average(
    name: str, per_class: Sequence[str], weights: Sequence[float], reported: str
) -> CheckResult:
    """Is the reported weighted average the support-weighted mean of the per-class values?"""
    return _average_check(
        name,
        per_class,
        weights,
        reported,
        (
            f"weighted average {reported}",
            "support-weighted mean",
            "weighted average = sum(w_i x_i) / sum(w_i)",
        ),
    )


def micro_equals_accuracy(name: str, accuracy: str, metrics: Mapping[str, str]) -> CheckResult:
    """Under micro averaging (sum TP / sum(TP+FP), sum TP / sum(TP+FN)) every single-label
    prediction is one TP, or one FP and one FN, so micro P = micro R = micro F1 = accuracy.
    Each metric must equal the accuracy at the coarser of the two printed precisions."""
    a = parse_number(accuracy)
    off = {
        k: v
        for k, v in metrics.items()
        if abs(parse_number(v) - a) > max(half_unit(v), half_unit(accuracy)) + EPS
    }
    return CheckResult(
        name,
        f"accuracy {accuracy}; " + ", ".join(f"{k} {v}" for k, v in metrics.items()),
        f"micro-averaged {', '.join(metrics)} must all equal the accuracy {accuracy}",
        "single-label classification: sum_i FP_i = sum_i FN_i = errors, "
        "so micro P = R = F1 = accuracy",
        not off,
    )


def macro_recall_feasible(
    name: str, accuracy: str, macro_recall: str, supports: Sequence[float]
) -> CheckResult:
    """Can per-class recalls in [0, 1] give both the reported accuracy (= support-weighted recall)
    and the reported macro (unweighted) recall, each at its printed precision?

    A linear feasibility problem. Under micro or weighted averaging recall equals accuracy, so a
    recall that differs from the accuracy at printed precision is only possible as a macro
    average; this check says whether that macro reading is arithmetically possible. Both figures
    are proportions (see :func:`proportion_scale`).
    """
    from scipy.optimize import linprog

    w = np.asarray(supports, dtype=float)
    w = w / w.sum()
    k = len(w)
    scale = proportion_scale(accuracy)
    a, r = as_fraction(accuracy), as_fraction(macro_recall)
    ha, hr = fraction_half_unit(accuracy), fraction_half_unit(macro_recall)
    u = np.full(k, 1.0 / k)
    # variables: r_1..r_k, lo, hi; minimise hi - lo (the smallest spread of per-class recalls that
    # reproduces both printed figures) subject to lo <= r_i <= hi.
    z = np.zeros((4, 2))
    a_ub = np.vstack([
        np.hstack([np.vstack([w, -w, u, -u]), z]),
        np.hstack([-np.eye(k), np.ones((k, 1)), np.zeros((k, 1))]),  # lo - r_i <= 0
        np.hstack([np.eye(k), np.zeros((k, 1)), -np.ones((k, 1))]),  # r_i - hi <= 0
    ])
    b_ub = np.concatenate([[a + ha, -(a - ha), r + hr, -(r - hr)], np.zeros(2 * k)])
    c = np.concatenate([np.zeros(k), [-1.0, 1.0]])
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=[(0.0, 1.0)] * (k + 2), method="highs")
    ok = bool(res.status == 0)
    # can the two printed figures be the same number (as micro/weighted averaging would require)?
    gap = abs(a - r) - (ha + hr)
    if ok:
        x = res.x[:k]
        ours = (
            f"feasible; the most even per-class recalls are {np.round(x * scale, 2).tolist()} "
            f"(spread {(res.x[k + 1] - res.x[k]) * scale:.2f})"
        )
    else:
        ours = "no per-class recalls in [0,1] give both figures"
    if gap < -EPS:
        ours += "; recall and accuracy can be equal at printed precision"
    elif gap <= EPS:
        ours += (
            "; recall and accuracy can be equal (micro/weighted averaging) only if both sit exactly "
            "on the rounding boundary"
        )
    else:
        ours += "; recall and accuracy cannot be equal, so micro/weighted averaging is excluded"
    return CheckResult(
        name,
        f"accuracy {accuracy}, recall {macro_recall}",
        ours,
        "accuracy = support-weighted mean of per-class recalls; macro recall = their unweighted "
        "mean; both must be reachable with recalls in [0,1]",
        ok,
    )


def ovr_accuracy(top1: float, n_classes: int) -> float:
    """sum_i (TP_i + TN_i) / sum_i (TP_i + TN_i + FP_i + FN_i) of a single-label classifier with
    top-1 accuracy `top1`: per class TP_i + TN_i = N - FP_i - FN_i and sum_i (FP_i + FN_i) is
    twice the number of errors, so the class-summed one-vs-rest accuracy is
    1 - 2 (1 - top1) / n_classes."""
    return 1.0 - 2.0 * (1.0 - top1) / n_classes


def ovr_formula_is_top1(
    name: str, reported: str, n_classes: int, scale: float | None = None
) -> CheckResult:
    """Does a (TP+TN)/(TP+TN+FP+FN) accuracy definition with one-vs-rest counts give the same
    number as top-1 accuracy? Only for two classes (or perfect accuracy): the check fails when
    :func:`ovr_accuracy` of the reported value differs from it by more than its rounding."""
    a = as_fraction(reported, scale)
    as_ovr = ovr_accuracy(a, n_classes)  # the formula's value if `reported` is top-1
    top1_if_ovr = 1.0 - (1.0 - a) * n_classes / 2.0  # top-1 if `reported` is the formula's value
    ok = abs(as_ovr - a) <= fraction_half_unit(reported, scale) + EPS
    readings: tuple[Reading, ...] = ()
    if not ok:
        readings = (
            Reading(
                "TP, TN, FP, FN as the one-vs-rest counts of each class, summed over classes",
                False,
                f"then the formula gives {as_ovr:.2%} for a top-1 accuracy of {reported}, "
                f"or {reported} means a top-1 accuracy of {top1_if_ovr:.2%}",
            ),
            Reading(
                "the binary formula written as the usual shorthand for correct predictions over "
                "all predictions (TP + TN standing for the correct ones, FP + FN for the errors)",
                True,
                f"then it is top-1 accuracy by construction, and {reported} is a top-1 accuracy "
                "like the compared figures; the definition is loosely written, not wrong",
            ),
        )
    return CheckResult(
        name,
        f"accuracy {reported} defined by sum_i(TP_i+TN_i)/(TP+TN+FP+FN), {n_classes} classes",
        f"if {reported} is top-1 accuracy the formula gives {as_ovr:.2%}; if {reported} is the "
        f"formula's value, top-1 accuracy is {top1_if_ovr:.2%}",
        "with classes summed, (TP+TN)-accuracy = 1 - 2(1 - top1)/K; equals top-1 only for K = 2",
        ok,
        readings=readings,
    )


def ce_loss_lower_bound(
    name: str,
    accuracy: str,
    loss: str,
    acc_scale: float | None = None,
    loss_scale: float = 1.0,
    slack: float = 0.0,
    log_base: float = math.e,
) -> CheckResult:
    """Mean cross-entropy of a classifier is at least (1 - accuracy) * log 2.

    A misclassified sample has p(true class) <= 1/2 (another class is at least as probable),
    so it contributes at least log 2; a correct one contributes at least 0. The accuracy is a
    proportion (:func:`proportion_scale`); the loss is in units of log base `log_base` (natural
    log by default: nats) divided by `loss_scale` (pass 100 for a loss printed "in %"). The
    bound is evaluated at the most favourable ends of the printed rounding intervals; `slack`
    is in loss units as printed."""
    acc_s = proportion_scale(accuracy, acc_scale)
    acc_hi = (parse_number(accuracy) + half_unit(accuracy)) / acc_s
    loss_hi = (parse_number(loss) + half_unit(loss)) / loss_scale
    log2 = math.log(2.0) / math.log(log_base)
    bound = (1.0 - min(acc_hi, 1.0)) * log2
    ok = loss_hi + slack / loss_scale >= bound - EPS
    base = "ln" if log_base == math.e else f"log{log_base:g}"
    return CheckResult(
        name,
        f"accuracy {accuracy}, loss {loss}",
        f"minimum mean cross-entropy (1 - {accuracy}/{acc_s:g}) x {base} 2 = "
        f"{bound * loss_scale:.3f}",
        f"mean cross-entropy >= error rate x {base} 2 (each error costs at least {base} 2)",
        ok,
    )


def sum_equals(name: str, parts: Sequence[str], reported_total: str, what: str = "") -> CheckResult:
    """Do the parts (e.g. ablation increments, counts) add up to the reported total? Each part
    may be off by its half unit, so the slack is the sum of their half units."""
    total = sum(parse_number(p) for p in parts)
    slack = sum(half_unit(p) for p in parts)
    ok = matches_printed(total, reported_total, slack=slack)
    return CheckResult(
        name,
        f"total {reported_total}",
        f"sum of {' + '.join(parts)} = {_fmt(total, reported_total)}",
        f"parts must add up to the total{(' (' + what + ')') if what else ''}",
        ok,
    )


def sum_exceeds(name: str, parts: Sequence[str], bound: float, what: str = "") -> CheckResult:
    """Do approximate parts ("36,000", "30K"; see :func:`parse_approx_count`) add up to more than
    a stated lower bound ("more than 100,000 images")?"""
    total = sum(parse_approx_count(p) for p in parts)
    return CheckResult(
        name,
        f"more than {bound:,.0f}{(' ' + what) if what else ''}",
        f"sum of {' + '.join(parts)} = {total:,.0f}",
        "the parts must add up to more than the stated total",
        total > bound,
    )


def interval_from_formula(
    name: str,
    p: str,
    n: int,
    reported_low: str,
    reported_high: str,
    method: str = "wald",
    confidence: float = 0.95,
) -> CheckResult:
    """Does a reported interval for a proportion follow from its stated formula and n?

    `p` may be printed as a fraction or a percentage (``%``); the interval must use the same units.
    """
    pct = p.strip().endswith("%")
    scale = 100.0 if pct else 1.0
    ph = parse_number(p) / scale
    z = float(sps.norm.ppf(0.5 + confidence / 2))
    if method == "wald":
        half = z * math.sqrt(ph * (1 - ph) / n)
        lo, hi = ph - half, ph + half
    elif method == "wilson":
        denom = 1 + z * z / n
        centre = (ph + z * z / (2 * n)) / denom
        half = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / denom
        lo, hi = centre - half, centre + half
    else:
        raise ValueError(f"unknown method {method!r}")
    slack = half_unit(p) / scale  # p itself is rounded
    ok = matches_printed(lo * scale, reported_low, slack=slack * scale) and matches_printed(
        hi * scale, reported_high, slack=slack * scale
    )
    return CheckResult(
        name,
        f"{p} with {confidence:.0%} CI [{reported_low}, {reported_high}], n={n}",
        f"{method} interval [{_fmt(lo * scale, reported_low)}, {_fmt(hi * scale, reported_high)}]",
        f"{method} interval for a proportion, z={z:.3f}",
        ok,
    )


# ---------------------------------------------------------------------------------------------
# Granularity: proportions of n items, classification reports
# ---------------------------------------------------------------------------------------------


def _prints_as(fraction: float, printed: str, scale: float, allow_truncation: bool) -> bool:
    v, p, h = fraction * scale, parse_number(printed), half_unit(printed)
    if allow_truncation:
        return p - h - EPS <= v < p + 2 * h - EPS
    return abs(v - p) <= h + EPS


def truncates_to(fraction: float, printed: str, scale: float | None = None) -> bool:
    """Whether a proportion, cut (not rounded) to the printed digits, prints as `printed`: the
    truncation half of :func:`attainable_counts`' ``allow_truncation``."""
    s = proportion_scale(printed, scale)
    v, p, h = fraction * s, parse_number(printed), half_unit(printed)
    return p - EPS <= v < p + 2 * h - EPS


def attainable_counts(
    printed: str, n: int, scale: float | None = None, allow_truncation: bool = False
) -> list[int]:
    """All integers k in [0, n] for which k/n prints as the printed proportion: rounds to it or,
    with `allow_truncation`, also truncates to it (see the module's rounding rules)."""
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    s = proportion_scale(printed, scale)
    f, u = parse_number(printed) / s, 2 * half_unit(printed) / s
    k_lo, k_hi = max(0, math.floor((f - u) * n) - 1), min(n, math.ceil((f + u) * n) + 1)
    return [k for k in range(k_lo, k_hi + 1) if _prints_as(k / n, printed, s, allow_truncation)]


def sumset(sets: Sequence[Sequence[int]], cap: int | None = None) -> set[int]:
    """All sums with one element from each set (partial sums above `cap` are dropped)."""
    out = {0}
    for s in sets:
        out = {a + b for a in out for b in s if cap is None or a + b <= cap}
    return out


def attainable_proportion(
    name: str,
    printed: str,
    n: int,
    scale: float | None = None,
    allow_truncation: bool = False,
    what: str = "accuracy",
) -> CheckResult:
    """Granularity (GRIM) test: is a printed proportion k/n for some integer k?

    With n test items an accuracy can only take the values k/n; a printed value that no k/n
    prints as cannot have been measured on n items. Rounding is required unless
    `allow_truncation` (see :func:`attainable_counts`); k/n values that only truncate to the
    printed value are marked "(truncated)".
    """
    s = proportion_scale(printed, scale)
    ks = attainable_counts(printed, n, s, allow_truncation)
    p = parse_number(printed) / s
    d = printed_decimals(printed) + 3
    pct = "%" if printed.strip().endswith("%") else ""

    def show(k: int) -> str:
        return f"{k}/{n} = {k / n * s:.{d}f}{pct}"

    if ks:
        found = ", ".join(
            show(k) + ("" if _prints_as(k / n, printed, s, False) else " (truncated)")
            for k in ks[:3]
        )
        detail = f"{what} {printed} is attainable on {n} items ({', '.join(f'{k}/{n}' for k in ks)})."
    else:
        below = min(max(math.floor(p * n), 0), n - 1)
        found = f"none: {show(below)}, {show(below + 1)}"
        detail = (
            f"No count k out of {n} gives {what} {printed}: the nearest attainable values are "
            f"{show(below)} and {show(below + 1)}."
        )
    conv = "rounds or truncates" if allow_truncation else "rounds"
    return CheckResult(
        name,
        f"{what} {printed} on n = {n}",
        found,
        f"a proportion of n = {n} items is k/n for an integer k; some k/n must print as the "
        f"reported value (it {conv} to it)",
        bool(ks),
        "inconsistent",
        detail,
    )


def runs_average_reading(printed: str, n: int, why: str, runs: Sequence[int] = (2, 3, 4, 5),
                         allow_truncation: bool = False) -> Reading:
    """The reading that a printed accuracy is the mean over several training runs (or equal-size
    folds) on the same `n` test items, so that it is k/(r n) for r runs: holds when some r in
    `runs` makes it attainable (:func:`attainable_counts`). `why` says what in the paper makes
    averaging a reading of its words."""
    found = [(r, ks) for r in runs if (ks := attainable_counts(printed, r * n, None,
                                                                allow_truncation))]
    if found:
        r, ks = found[0]
        which = [str(x) for x, _ in found]
        res = (f"attainable as the mean of {r} runs ({ks[0]}/{r * n})"
               + (f"; {', '.join(which[:-1])} or {which[-1]} runs allow it" if len(which) > 1
                  else ""))
    else:
        res = f"not attainable as the mean of {', '.join(map(str, runs))} runs either"
    return Reading(f"the mean of several runs on the {n:,} test items (the number of runs not "
                   "stated)", bool(found), f"{why}; {res}")


def accuracy_from_report(
    name: str,
    recalls: Sequence[str],
    supports: Sequence[int],
    reported_acc: str,
    n_total: int | None = None,
) -> CheckResult:
    """Accuracy rebuilt from a classification report: correct = sum of per-class true positives.

    Each class's true-positive count is any integer k with k/support rounding to the printed
    recall; the accuracy is consistent when some combination of these counts, divided by the
    number of test items, rounds to the reported accuracy.
    """
    tp_sets = [attainable_counts(r, n) for r, n in zip(recalls, supports, strict=True)]
    n = int(n_total if n_total is not None else sum(supports))
    bad = [i for i, s in enumerate(tp_sets) if not s]
    if bad:
        return CheckResult(
            name,
            f"accuracy {reported_acc}",
            f"no integer count reproduces the printed recall of class(es) {bad}",
            "per-class recall = TP/support for an integer TP",
            False,
            "inconsistent",
            "Some printed recalls are not attainable with the printed supports.",
        )
    sums = sorted(sumset(tp_sets))
    ok_sums = [s for s in sums if matches_fraction(s / n, reported_acc)]
    scale = proportion_scale(reported_acc)
    d = printed_decimals(reported_acc) + 1
    accs = ", ".join(f"{s}/{n} = {s / n * scale:.{d}f}" for s in sums)
    ok = bool(ok_sums)
    return CheckResult(
        name,
        f"accuracy {reported_acc} on n={n}",
        f"correct = sum of per-class TP: {accs}",
        "accuracy = sum over classes of TP / n, TP from the printed recall and support",
        ok,
        "inconsistent",
        (
            f"The printed recalls and supports fix the number of correct predictions at "
            f"{', '.join(map(str, sums))} of {n}, which gives {accs}; "
            + ("this matches the reported accuracy." if ok else f"not the reported {reported_acc}.")
        ),
    )


def predictions_from_report(
    name: str, precisions: Sequence[str], recalls: Sequence[str], supports: Sequence[int]
) -> CheckResult:
    """Do the printed precisions admit predicted-class counts that add up to the test set?

    Per class, TP comes from recall x support and the number of predictions m from TP/m =
    precision; every prediction is of some class, so the m must add up to n.
    """
    n = sum(supports)
    m_sets: list[list[int]] = []
    for p, r, s in zip(precisions, recalls, supports, strict=True):
        ms: set[int] = set()
        for tp in attainable_counts(r, s):
            if tp == 0:
                ms.update(range(n + 1) if matches_fraction(0.0, p) else [])
                continue
            ms.update(m for m in range(tp, n + 1) if matches_fraction(tp / m, p))
        m_sets.append(sorted(ms))
    ok = n in sumset(m_sets, cap=n)
    per_class = "; ".join(f"{ms}" for ms in m_sets)
    return CheckResult(
        name,
        f"precisions {', '.join(precisions)}; supports sum to {n}",
        f"predicted counts per class (from TP/precision): {per_class}",
        "predicted-class counts implied by precision must add up to the number of test items",
        ok,
        "inconsistent",
        (
            f"Counts of predictions per class implied by the printed precisions can add up to "
            f"the {n} test items, so the report is a valid confusion-matrix summary."
            if ok
            else f"No choice of predicted counts matching the printed precisions adds up to {n}."
        ),
    )


def group_disjoint_possible(
    name: str, test_counts: Sequence[int], group_size: int, what: str = "sequence"
) -> CheckResult:
    """Can a split be group-disjoint when every group gives `group_size` items of one class?

    Then a split that keeps each group wholly on one side has per-class test counts divisible
    by the group size; every class whose count is not divisible has at least one group split
    between training and test.
    """
    bad = [(i, c) for i, c in enumerate(test_counts) if c % group_size]
    ok = not bad
    return CheckResult(
        name,
        f"per-class test counts {list(test_counts)}",
        f"counts mod {group_size}: {[c % group_size for c in test_counts]}",
        f"a {what}-disjoint split has per-class test counts divisible by {group_size} "
        f"(each {what} gives {group_size} items of one class)",
        ok,
        "implausible",
        (
            f"All per-class test counts are multiples of {group_size}, so a {what}-disjoint "
            "split is possible."
            if ok
            else f"{len(bad)} of {len(test_counts)} per-class test counts are not multiples of "
            f"{group_size}, so at least {len(bad)} {what}s have frames in both the training and "
            "the test set: near-duplicate frames leak from training into test."
        ),
    )


# ---------------------------------------------------------------------------------------------
# Counts and sizes against the documented data
# ---------------------------------------------------------------------------------------------


def count_matches(name: str, what: str, paper_count: int, true_count: int, source: str) -> CheckResult:
    """Does a count the paper gives match the data set's known count?"""
    return CheckResult(
        name,
        f"{what}: {paper_count}",
        f"{what}: {true_count} ({source})",
        "counts must equal the data set's documented counts",
        paper_count == true_count,
        failure="implausible",
    )


def table_matches(
    name: str,
    what: str,
    paper: Mapping[str, int | str],
    truth: Mapping[str, int],
    source: str,
    failure: str = "implausible",
) -> CheckResult:
    """Entry-by-entry comparison of printed counts (a table column, per-class counts) with the
    known values; every key of `truth` must be in `paper` and equal to it exactly."""
    bad = [k for k in truth if int(parse_number(str(paper[k]))) != truth[k]]
    return CheckResult(
        name,
        f"{what}: " + ", ".join(f"{k} {paper[k]}" for k in truth),
        f"{source}: " + ", ".join(f"{k} {truth[k]}" for k in truth),
        "every printed entry must equal the known value",
        not bad,
        failure,  # type: ignore[arg-type]
        "all entries match"
        if not bad
        else f"{len(bad)} of {len(truth)} entries differ: "
        + "; ".join(f"{k} {paper[k]}≠{truth[k]}" for k in bad),
    )


def approx_count_matches(
    name: str, what: str, printed: str, true_count: int, source: str, rel_tol: float = 0.10
) -> CheckResult:
    """Does an approximate size ("approximately 30,000", "30K") match a data set's real size?

    Generous on purpose: consistent when the real count lies within ``rel_tol`` (default 10%) of
    the printed round number. A miss means the paper's data does not match the cited data set.
    """
    approx = parse_approx_count(printed)
    rel = abs(true_count - approx) / approx
    return CheckResult(
        name,
        f"{what}: {printed}",
        f"{what}: {true_count:,} ({source}); off by {rel:.1%}",
        f"an approximate count must lie within {rel_tol:.0%} of the data set's documented count",
        rel <= rel_tol,
        failure="implausible",
    )


def count_in_range(
    name: str, phrase: str, lo: float, hi: float, count: int, count_source: str
) -> CheckResult:
    """Does a verbal quantity ("hundreds": lo <= n < hi) fit a count the paper itself gives?"""
    return CheckResult(
        name,
        f"'{phrase}' (i.e. {lo:,.0f} to {hi - 1:,.0f})",
        f"{count:,} ({count_source})",
        "a verbal quantity must fit the count stated elsewhere",
        lo <= count < hi,
    )


def rounds_to_sig(
    name: str, phrase: str, claimed: float, true: float, sig: int, source: str
) -> CheckResult:
    """Does a rounded statement ("around one million") equal the true value at `sig` significant
    figures?"""
    mag = 10 ** (math.floor(math.log10(abs(true))) - sig + 1)
    rounded = round(true / mag) * mag
    return CheckResult(
        name,
        f"'{phrase}' = {claimed:,.0f}",
        f"{true:,.0f} ({source}), {rounded:,.0f} at {sig} significant figure(s)",
        f"the approximate figure must equal the true one rounded to {sig} significant figure(s)",
        abs(rounded - claimed) < 1e-9 * max(1.0, abs(claimed)),
    )


# ---------------------------------------------------------------------------------------------
# Claims against other results, bounds and tests
# ---------------------------------------------------------------------------------------------


def leakage_bound(leak_fraction: float, clean_ceiling: float) -> float:
    """Highest accuracy (a fraction) reachable when a fraction `leak_fraction` of the test set
    can be memorised copies of training images (all counted correct) and the rest is
    classified at `clean_ceiling` (e.g. the best published accuracy): f + (1 - f) c."""
    return leak_fraction + (1.0 - leak_fraction) * clean_ceiling


def leakage_ceiling(
    name: str, claimed: str, leak_fraction: float, clean_ceiling: float, desc: str
) -> CheckResult:
    """Is a claimed accuracy below :func:`leakage_bound` for EXACT duplicates? (Fractions in
    [0, 1]; `claimed` is a printed proportion, see :func:`proportion_scale`.)

    The bound covers byte-identical duplicates only: `leak_fraction` is the share of evaluated
    images that can have an identical copy in training. Near-duplicates and augmented copies of
    training images (augment-then-split protocols, see :func:`augment_then_split_reading`)
    inflate accuracy far more and are not covered."""
    bound = leakage_bound(leak_fraction, clean_ceiling)
    res = within_bound(name, claimed, bound * proportion_scale(claimed), desc)
    return with_detail(
        res,
        rule=(
            f"accuracy <= f + (1-f) x c with f = {leak_fraction:.4f} (evaluated images that can "
            f"have an exact, byte-identical copy in training, all counted correct) and c = "
            f"{clean_ceiling:.2f} (best published accuracy on the rest); exact duplicates only"
        ),
    )


def leakage_run() -> dict[str, float] | None:
    """The leakage chapter's recorded augment-then-split run (budget ``cpu``, seed 0, the
    Suwartono attention CNN on FER2013 originals with augmented copies, pooled and split at
    random): test accuracy when the split follows the augmentation ("leaky") and when it precedes
    it ("honest"), read from the run store; None when either is not recorded."""
    from .. import runs

    acc = {r.config.get("arm"): r.metrics["accuracy"]
           for r in runs.records("leakage_augment_then_split")
           if r.config.get("budget") == "cpu" and r.config.get("seed") == 0
           and r.config.get("arm") in ("leaky", "honest")}
    return acc if {"leaky", "honest"} <= set(acc) else None


def augment_then_split_bound(clean: float, copies: int, train_share: float) -> tuple[float, float]:
    """(share of test images with a sibling in training, accuracy bound) when every image is
    written as `copies` versions (itself and augmented copies) before a random split that puts
    `train_share` of the pooled images in training: a test image's source has another version
    in training with probability 1 - (1 - train_share)^(copies - 1); those test images are
    counted correct and the rest classified at `clean` (:func:`leakage_bound`)."""
    if copies < 2:
        raise ValueError("augment-then-split needs at least one augmented copy per image")
    f = 1.0 - (1.0 - train_share) ** (copies - 1)
    return f, leakage_bound(f, clean)


def augment_then_split_reading(
    claimed: str, clean: float, why_open: str, copies: int = 2, train_share: float = 0.8
) -> Reading:
    """The reading that the paper's split was drawn after augmented copies had been added, so
    that test images have augmented siblings in training. It holds when `claimed` is at most the
    bound of :func:`augment_then_split_bound` with `copies` versions per image (default the
    fewest: one augmented copy) and `train_share` of the pool in training; `why_open` says why
    the paper's words leave this order of operations open."""
    f, bound = augment_then_split_bound(clean, copies, train_share)
    x = as_fraction(claimed)
    holds = x <= bound + EPS
    run = leakage_run()
    measured = ("The book's leakage chapter measured this order of operations at "
                f"{run['leaky']:.1%} test accuracy against {run['honest']:.1%} when the split "
                "comes first (same model, reduced budget), so such a protocol can inflate "
                "accuracy by tens of points" if run is not None else
                "The book's leakage chapter measures this order of operations")
    return Reading(
        "augment-then-split: the random split was drawn after augmented copies were added, so "
        "test images have augmented siblings in training",
        holds,
        f"{why_open}. With {copies - 1} augmented cop{'y' if copies == 2 else 'ies'} per image "
        f"and {train_share:.0%} of the pool in training, {f:.1%} of test images have a sibling in "
        f"training; counting those correct and the rest at {clean:.0%} allows {bound:.1%}, "
        f"{'above' if holds else 'below'} the paper's {claimed}. {measured}; the "
        "exact-duplicate bound does not cover it",
    )


def within_bound(
    name: str, claimed: str, bound: float, bound_desc: str, upper: bool = True
) -> CheckResult:
    """Is a claimed figure on the right side of a well-established bound (e.g. a leakage bound)?
    The bound is in the units of the printed figure."""
    x = parse_number(claimed)
    ok = x <= bound if upper else x >= bound
    rel = "<=" if upper else ">="
    return CheckResult(
        name,
        claimed,
        f"bound {bound:.4g} ({bound_desc})",
        f"claimed value must be {rel} the bound",
        ok,
        failure="implausible",
    )


def exceeds_all(name: str, claimed: str, others: Mapping[str, str]) -> CheckResult:
    """Is the claimed figure strictly above every compared figure (a 'surpasses all' claim)?"""
    best_key = max(others, key=lambda k: parse_number(others[k]))
    x, best = parse_number(claimed), parse_number(others[best_key])
    # the margin in the unit of the printed figures: percentage points beside percentages
    points = " points" if proportion_scale(others[best_key]) == 100.0 else ""
    return CheckResult(
        name,
        f"{claimed} claimed best among {len(others)} compared figures",
        f"best compared figure {others[best_key]} ({best_key}); margin {x - best:.4g}{points}",
        "a 'surpasses all' claim needs the figure to exceed every compared figure",
        x > best,
    )


def gain_over_best(
    name: str,
    ours: str,
    comparator: str,
    reported_gain: str,
    others: Mapping[str, str],
) -> CheckResult:
    """A stated improvement "X over <comparator>": the printed gain must be the difference (with
    the half units of both figures as slack) and the comparator must be the strongest of the
    other listed results (so the improvement is over the best)."""
    if comparator not in others:
        raise KeyError(f"{comparator!r} not among the listed results")
    comp = others[comparator]
    diff = parse_number(ours) - parse_number(comp)
    arith = matches_printed(diff, reported_gain, slack=half_unit(ours) + half_unit(comp))
    best_name, best = max(others.items(), key=lambda kv: parse_number(kv[1]))
    is_best = parse_number(comp) >= parse_number(best)
    return CheckResult(
        name,
        f"{ours} is {reported_gain} above {comparator} ({comp})",
        f"{ours} - {comp} = {diff:.2f}; best other listed: {best_name} {best}",
        "the printed gain equals the difference (at printed precision) and the comparator is the "
        "best of the other listed results",
        arith and is_best,
    )


def power_context(base: str, new: str, n_base: int, n_new: int | None = None,
                  alpha: float = 0.05, power: float = 0.8) -> str:
    """A sentence of context: the margin ``new - base`` against the smallest difference an
    unpaired two-proportion test detects with `power` (:func:`fer_repro.stats.two_proportion_mdd`
    at the base accuracy). Falling short of that power is weak evidence, never a contradiction:
    a real difference below it is simply detected less often."""
    from ..stats import two_proportion_mdd

    n_new = n_base if n_new is None else n_new
    p_new, p_base = as_fraction(new), as_fraction(base)
    margin = p_new - p_base
    mdd = float(two_proportion_mdd(p_base, n_base, n_new, alpha, power))
    # in the unit the paper prints: percentage points, or fractions (a sentence never mixes them)
    fractions = proportion_scale(base) == 1.0 and proportion_scale(new) == 1.0

    def unit(x: float) -> str:
        return f"{x:.4f}" if fractions else f"{x * 100:.2f} points"

    with_power = f"with power {power:.2f}" if fractions else f"with {power:.0%} power"
    if math.isnan(mdd):
        where = f"no improvement over {base} is detected {with_power} at these sizes"
    else:
        where = (f"an unpaired two-proportion test detects a difference of {unit(mdd)} "
                 f"{with_power} (alpha {alpha})")
    rel = "" if math.isnan(mdd) else (" (above it)" if margin >= mdd else " (below it: such a "
                                       "margin is detected less often than that, weak evidence "
                                       "rather than a contradiction)")
    return (f"Context: the margin {base} -> {new} is {unit(margin)}; with "
            f"{n_base:,} / {n_new:,} test images {where}{rel}.")


#: the McNemar variants considered for a claimed "p < alpha", with the multiplier that turns the
#: two-sided p-value of :func:`fer_repro.stats.mcnemar_from_counts` (at c = 0) into the variant's
_MCNEMAR_VARIANTS: tuple[tuple[str, str, float], ...] = (
    ("exact McNemar test, two-sided (binomial test on the discordant pairs)", "p_exact", 1.0),
    ("mid-p McNemar test, two-sided", "p_midp", 1.0),
    ("chi-square McNemar test without continuity correction, two-sided", "p_chi2", 1.0),
    ("chi-square McNemar test with continuity correction, two-sided", "p_chi2_cc", 1.0),
    ("exact McNemar test, one-sided (the direction of the gain fixed in advance)", "p_exact", 0.5),
    ("mid-p McNemar test, one-sided", "p_midp", 0.5),
    ("normal-approximation McNemar test, one-sided", "p_chi2", 0.5),
)


def mcnemar_min_net_gain(alpha: float = 0.05, n_max: int = 100_000) -> dict[str, int | None]:
    """The smallest net gain b - c (with c = 0, the most favourable case) at which each McNemar
    variant of :data:`_MCNEMAR_VARIANTS` gives p < alpha; None when none up to `n_max` does."""
    from ..stats import mcnemar_from_counts

    out: dict[str, int | None] = {}
    for label, attr, factor in _MCNEMAR_VARIANTS:
        out[label] = next((d for d in range(1, n_max + 1)
                           if getattr(mcnemar_from_counts(d, 0), attr) * factor < alpha), None)
    return out


def accuracy_step_max(base: str, new: str) -> float:
    """The largest accuracy step (a fraction) a printed `base` -> `new` can be, each printed
    figure taken at the favourable end of its rounding."""
    return as_fraction(new) + fraction_half_unit(new) - as_fraction(base) + fraction_half_unit(base)


def net_gain_max(base: str, new: str, n: int) -> int:
    """The largest whole number of items that a printed accuracy step `base` -> `new` on `n`
    items can be (:func:`accuracy_step_max` times n, rounded down)."""
    return math.floor(accuracy_step_max(base, new) * n + 1e-9)


def mcnemar_exact_min_net(n: int, alpha: float = 0.05) -> int | None:
    """The smallest net gain (at most `n` items) the exact two-sided McNemar test can call
    significant at all (:func:`mcnemar_min_net_gain`, its exact variant)."""
    return mcnemar_min_net_gain(alpha, max(n, 1))[_MCNEMAR_VARIANTS[0][0]]


def mcnemar_attainable(
    name: str, base: str, new: str, n: int, alpha: float = 0.05, what: str = ""
) -> CheckResult:
    """Could McNemar's test give p < alpha for an accuracy gain from `base` to `new` on n items?

    The net gain in correct items is b - c (b: items only the new model gets right, c: only the
    base); the most favourable case is c = 0. The rule uses the exact (binomial) two-sided test,
    the textbook form for few discordant pairs: a gain (the printed accuracies taken at the most
    favourable ends of their rounding) below its smallest significant net gain cannot be
    significant whatever the discordance. When it fails, every other variant (mid-p, chi-square
    with and without continuity correction, one-sided forms) is listed as a reading that holds
    when its own smallest significant net gain is reached.
    """
    gain = (as_fraction(new) - as_fraction(base)) * n
    net = net_gain_max(base, new, n)
    need = mcnemar_min_net_gain(alpha, max(n, 1))
    exact = _MCNEMAR_VARIANTS[0][0]
    d_min = need[exact]
    ok = d_min is not None and net >= d_min
    crit = float(sps.chi2.isf(alpha, 1))
    if ok:
        max_disc = gain**2 / crit / n
        detail = (
            f"A gain of {gain:.1f} items out of {n} reaches p < {alpha} with the exact test if no "
            f"more than a few items go the other way; by the chi-square approximation the models "
            f"may disagree on up to {max_disc:.1%} of the items."
        )
    else:
        detail = (
            f"The gain {base} -> {new} is {gain:.2f} items out of {n} (at most {net} whole items "
            f"allowing for rounding), but even with no item going the other way the exact McNemar "
            f"test needs a net gain of {d_min} items for p < {alpha}."
        )
    readings: tuple[Reading, ...] = ()
    if not ok:
        readings = tuple(
            Reading(label, d is not None and net >= d,
                    f"{what + ': ' if what else ''}needs a net gain of {d} items, the paper's "
                    f"gain is at most {net}")
            for label, d in need.items()
        )
    return CheckResult(
        name,
        f"{what + ': ' if what else ''}{base} -> {new}, McNemar p < {alpha}, n={n}",
        f"net gain {gain:.2f} items (at most {net}); smallest net gain with p < {alpha}: {d_min} "
        "(exact test, two-sided)",
        "McNemar p < alpha needs b - c >= the smallest net gain the exact two-sided test declares "
        "significant (c = 0, most favourable)",
        ok,
        "inconsistent",
        detail,
        readings,
    )


def unpaired_gain_significant(
    name: str,
    base: str,
    n_base: int,
    new: str,
    n_new: int,
    alpha: float = 0.05,
    what: str = "",
) -> CheckResult:
    """Can a gain ``new - base`` between two accuracies measured on different images (no pairing)
    be significant? A pooled two-proportion z-test at the printed values, moved toward each other
    by their rounding, must give a two-sided p below `alpha`; :func:`power_context` is added as
    context (power is not significance)."""
    pa, pb = as_fraction(base), as_fraction(new)
    gap = max(0.0, (pb - pa) - fraction_half_unit(base) - fraction_half_unit(new))
    pool = (pa * n_base + pb * n_new) / (n_base + n_new)
    se = math.sqrt(pool * (1 - pool) * (1 / n_base + 1 / n_new))
    z = gap / se if se > 0 else math.inf
    pval = float(2 * sps.norm.sf(z))
    ok = pb > pa and pval < alpha
    res = CheckResult(
        name,
        f"{what + ': ' if what else ''}{base} (n={n_base}) -> {new} (n={n_new}) claimed a real gain",
        f"difference {(pb - pa) * 100:.2f} points, z = {z:.1f}, two-sided p = {format_p(pval)}",
        f"a gain between accuracies on different test images can be significant only if a "
        f"two-proportion z-test gives p < {alpha} (printed values moved together by rounding)",
        ok,
        "inconsistent",
        power_context(base, new, n_base, n_new, alpha),
    )
    if ok:
        return res
    return res.with_readings(
        Reading("a two-sided z-test (the rule)", False, f"p = {format_p(pval)}"),
        Reading("a one-sided z-test (the direction of the gain fixed in advance)",
                pb > pa and pval / 2 < alpha, f"p = {format_p(pval / 2)}"),
    )


def proportions_compatible(
    name: str,
    a_where: str,
    a: str,
    n_a: int,
    b_where: str,
    b: str,
    n_b: int,
    alpha: float = 1e-3,
) -> CheckResult:
    """Could two accuracies be the same model on two random samples of one distribution?

    Two-proportion z-test (pooled), with the printed values moved toward each other by their
    rounding half units; flags (as implausible) a two-sided p below `alpha`."""
    pa, pb = as_fraction(a), as_fraction(b)
    gap = max(0.0, abs(pa - pb) - fraction_half_unit(a) - fraction_half_unit(b))
    pool = (pa * n_a + pb * n_b) / (n_a + n_b)
    se = math.sqrt(pool * (1 - pool) * (1 / n_a + 1 / n_b))
    z = gap / se if se > 0 else math.inf
    p = float(2 * sps.norm.sf(z))
    return CheckResult(
        name,
        f"{a_where}: {a} (n={n_a}); {b_where}: {b} (n={n_b})",
        f"difference {abs(pa - pb):.2%}, z = {z:.1f}, two-sided p = {p:.2g}",
        f"two random samples of one distribution, same model: difference within sampling error "
        f"(flagged when p < {alpha:g})",
        p >= alpha,
        failure="implausible",
    )


# ---------------------------------------------------------------------------------------------
# Front matter
# ---------------------------------------------------------------------------------------------


def _initials(full_name: str) -> str:
    return "".join(p[0].upper() for p in re.split(r"[\s.\-]+", full_name) if p)


def contributors_match_authors(
    name: str, authors: Sequence[str], contributor_initials: Sequence[str]
) -> CheckResult:
    """Do the initials in an author-contribution statement ("N.M.A.") match the by-line authors
    (initials of every part of each full name)?"""
    by_line = {_initials(a) for a in authors}
    contrib = {re.sub(r"[^A-Za-z]", "", c).upper() for c in contributor_initials}
    ok = by_line == contrib
    missing, extra = sorted(by_line - contrib), sorted(contrib - by_line)
    return CheckResult(
        name,
        f"contributions by {', '.join(contributor_initials)}",
        f"by-line initials {', '.join(sorted(by_line))}; not on by-line: {extra or 'none'}; "
        f"by-line authors with no contribution: {missing or 'none'}",
        "the contribution statement must list exactly the by-line authors",
        ok,
    )
