"""Generic consistency checks: a paper's numbers against its own numbers, formulas and data facts.

Each function returns a :class:`~fer_repro.claims.base.CheckResult` that states the paper's
number, the recomputed number and the rule. Reported numbers are passed as the strings the paper
prints, so the comparison honours the printed precision: a recomputed value is consistent when it
rounds to the printed one (half a unit in the last printed digit, plus ``slack``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as sps

from .base import CheckResult

__all__ = [
    "count_matches",
    "f1_from_pr",
    "interval_from_formula",
    "macro_average",
    "matches_printed",
    "mean_sd",
    "parse_number",
    "printed_decimals",
    "same_value",
    "sum_equals",
    "weighted_average",
    "within_bound",
]


def printed_decimals(s: str) -> int:
    """Digits after the decimal point in a printed number ("0.6170" -> 4, "79.79%" -> 2, "12" -> 0)."""
    s = s.strip().rstrip("%").strip()
    if "e" in s.lower():
        raise ValueError(f"scientific notation not supported: {s!r}")
    return len(s.split(".", 1)[1]) if "." in s else 0


def parse_number(s: str) -> float:
    """The numeric value of a printed number; a trailing % is kept in percent units."""
    return float(s.strip().rstrip("%").replace(",", "").replace("\u2212", "-"))


def matches_printed(value: float, printed: str, slack: float = 0.0) -> bool:
    """True when `value` rounds to `printed` at its printed precision (plus `slack`)."""
    half_unit = 0.5 * 10 ** (-printed_decimals(printed))
    return abs(value - parse_number(printed)) <= half_unit + slack + 1e-12


def _fmt(x: float, printed: str) -> str:
    d = printed_decimals(printed) + 2
    return f"{x:.{d}f}" + ("%" if printed.strip().endswith("%") else "")


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
    hp, hr = 0.5 * 10 ** (-printed_decimals(precision)), 0.5 * 10 ** (-printed_decimals(recall))
    corners = [
        2 * a * b / (a + b)
        for a in (p - hp, p + hp)
        for b in (r - hr, r + hr)
        if a + b > 0
    ]
    lo, hi = min(corners), max(corners)
    f = parse_number(reported_f1)
    half = 0.5 * 10 ** (-printed_decimals(reported_f1))
    ok = lo - half - 1e-12 <= f <= hi + half + 1e-12
    return CheckResult(
        name,
        f"P {precision}, R {recall}, F1 {reported_f1}",
        f"2PR/(P+R) = {_fmt(f1, reported_f1)} (range from rounding {lo:.4f}-{hi:.4f})",
        "F1 is the harmonic mean of precision and recall",
        ok,
    )


def macro_average(name: str, per_class: Sequence[str], reported_macro: str) -> CheckResult:
    """Is the reported macro average the unweighted mean of the reported per-class values?"""
    vals = [parse_number(x) for x in per_class]
    m = float(np.mean(vals))
    slack = 0.5 * 10 ** (-min(printed_decimals(x) for x in per_class))
    ok = matches_printed(m, reported_macro, slack=slack)
    return CheckResult(
        name,
        f"macro {reported_macro} from {len(vals)} per-class values",
        f"unweighted mean {_fmt(m, reported_macro)}",
        "macro average = unweighted mean over classes (per-class values rounded as printed)",
        ok,
    )


def weighted_average(
    name: str, per_class: Sequence[str], weights: Sequence[float], reported: str
) -> CheckResult:
    """Is the reported weighted average the support-weighted mean of the per-class values?"""
    vals = np.array([parse_number(x) for x in per_class])
    w = np.asarray(weights, dtype=float)
    m = float((vals * w).sum() / w.sum())
    slack = 0.5 * 10 ** (-min(printed_decimals(x) for x in per_class))
    ok = matches_printed(m, reported, slack=slack)
    return CheckResult(
        name,
        f"weighted average {reported}",
        f"support-weighted mean {_fmt(m, reported)}",
        "weighted average = sum(w_i x_i) / sum(w_i)",
        ok,
    )


def sum_equals(name: str, parts: Sequence[str], reported_total: str, what: str = "") -> CheckResult:
    """Do the parts (e.g. ablation increments, counts) add up to the reported total?"""
    total = sum(parse_number(p) for p in parts)
    slack = sum(0.5 * 10 ** (-printed_decimals(p)) for p in parts)
    ok = matches_printed(total, reported_total, slack=slack)
    return CheckResult(
        name,
        f"total {reported_total}",
        f"sum of {' + '.join(parts)} = {_fmt(total, reported_total)}",
        f"parts must add up to the total{(' (' + what + ')') if what else ''}",
        ok,
    )


def same_value(name: str, a_where: str, a: str, b_where: str, b: str) -> CheckResult:
    """Two places of the paper that must state the same number (abstract vs table, say)."""
    x, y = parse_number(a), parse_number(b)
    half = 0.5 * 10 ** (-min(printed_decimals(a), printed_decimals(b)))
    ok = abs(x - y) <= half + 1e-12
    return CheckResult(
        name,
        f"{a_where}: {a}; {b_where}: {b}",
        f"difference {abs(x - y):.4g}",
        "the same quantity must have the same value wherever it is stated (to printed precision)",
        ok,
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

    `p` may be printed as a fraction or a percentage; the interval must use the same units.
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
    slack = 0.5 * 10 ** (-printed_decimals(p)) / scale  # p itself is rounded
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


def within_bound(
    name: str, claimed: str, bound: float, bound_desc: str, upper: bool = True
) -> CheckResult:
    """Is a claimed figure on the right side of a well-established bound (ceiling, human level)?"""
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
