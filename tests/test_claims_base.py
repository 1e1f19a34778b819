"""Generic consistency checks: each passes a consistent example and fails an inconsistent one."""

from __future__ import annotations

import pytest

from fer_repro.claims import VERDICTS, Claim, ExperimentEvidence, judge, validate_ledger
from fer_repro.claims import checks as C


def test_printed_precision_helpers():
    assert C.printed_decimals("0.6170") == 4 and C.printed_decimals("79.79%") == 2
    assert C.parse_number("79.79%") == 79.79
    assert C.matches_printed(0.61704, "0.6170") and not C.matches_printed(0.6176, "0.6170")


def test_mean_sd():
    folds = [0.60, 0.62, 0.61, 0.63, 0.59]  # mean 0.61, SD(ddof=1) 0.0158, SD(ddof=0) 0.0141
    assert C.mean_sd("m", folds, "0.610", "0.016").consistent
    assert C.mean_sd("m", folds, "0.610", "0.014").consistent  # population SD accepted
    assert not C.mean_sd("m", folds, "0.617", "0.016").consistent
    assert not C.mean_sd("m", folds, "0.610", "0.030").consistent
    assert not C.mean_sd("m", folds, "0.610", "0.014", ddof=1).consistent


def test_f1_from_pr():
    assert C.f1_from_pr("f", "0.60", "0.50", "0.55").consistent  # 2*.6*.5/1.1 = 0.5455
    assert not C.f1_from_pr("f", "0.60", "0.50", "0.58").consistent


def test_macro_and_weighted_average():
    assert C.macro_average("m", ["0.50", "0.70", "0.90"], "0.70").consistent
    assert not C.macro_average("m", ["0.50", "0.70", "0.90"], "0.75").consistent
    assert C.weighted_average("w", ["0.50", "0.90"], [3, 1], "0.60").consistent
    assert not C.weighted_average("w", ["0.50", "0.90"], [3, 1], "0.70").consistent


def test_sum_and_same_value():
    assert C.sum_equals("s", ["1.2", "0.8", "2.0"], "4.0").consistent
    assert not C.sum_equals("s", ["1.2", "0.8", "2.0"], "4.5").consistent
    assert C.same_value("v", "abstract", "79.79", "table", "79.79").consistent
    assert not C.same_value("v", "abstract", "72.39", "table", "72.93").consistent


def test_interval_from_formula_matches_statsmodels():
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(596, 1000, method="normal")
    assert C.interval_from_formula("i", "0.596", 1000, f"{lo:.3f}", f"{hi:.3f}").consistent
    assert not C.interval_from_formula("i", "0.596", 1000, "0.546", "0.550").consistent
    wl, wh = proportion_confint(596, 1000, method="wilson")
    assert C.interval_from_formula("i", "59.6%", 1000, f"{100*wl:.2f}", f"{100*wh:.2f}",
                                   method="wilson").consistent


def test_counts_and_bounds():
    assert C.count_matches("c", "test images", 3589, 3589, "official").consistent
    r = C.count_matches("c", "test images", 3500, 3589, "official")
    assert not r.consistent and r.failure == "implausible"
    assert C.within_bound("b", "0.70", 0.77, "best published").consistent
    assert not C.within_bound("b", "95.4%", 77.0, "best published").consistent


def _claim(judge_str, value=None, tol=None):
    return Claim("X-01", "a claim", "0.70", "Table 1", "performance", judge_str, value=value,
                 tolerance=tol)


def test_judge_verdicts():
    res = {"ok": C.same_value("ok", "a", "1.0", "b", "1.0"),
           "bad": C.same_value("bad", "a", "1.0", "b", "2.0")}
    assert judge(_claim("check:ok"), res).verdict == "reproduced"
    assert judge(_claim("check:bad"), res).verdict == "inconsistent"
    assert judge(_claim("untestable:no data"), res).verdict == "not testable here"
    assert judge(_claim("experiment:e", 0.70), res).verdict == "pending"
    ev = {"e": ExperimentEvidence("e", 0.68, 0.665, 0.695, "cpu")}
    assert judge(_claim("experiment:e", 0.70), res, ev).verdict == "not reproduced"
    assert judge(_claim("experiment:e", 0.70, tol=0.01), res, ev).verdict == "reproduced"
    assert judge(_claim("experiment:e", 0.68), res, ev).verdict == "reproduced"
    short = {"e": ExperimentEvidence("e", 0.50, 0.49, 0.51, "cpu", complete=False)}
    assert judge(_claim("experiment:e", 0.70), res, short).verdict == "pending"  # cannot refute
    assert judge(_claim("experiment:e", 0.40), res, short).verdict == "not reproduced"
    assert judge(_claim("experiment:e", 0.50), res, short).verdict == "reproduced"
    bound = {"b": C.within_bound("b", "95.4", 77.0, "best published")}
    assert judge(_claim("check:b"), bound).verdict == "implausible"
    assert set(VERDICTS) >= {"reproduced", "pending"}


def test_judge_lower_bound_claims():
    """'over 10%' / 'lowers it': reproduced only when the whole CI lies above the threshold."""
    over = Claim("X-01", "drop over 10%", "over 10%", "Sec. 4", "performance", "experiment:d",
                 0.10, bound="lower")
    above = {"d": ExperimentEvidence("d", 0.15, 0.12, 0.18, "cpu", complete=False)}
    straddle = {"d": ExperimentEvidence("d", 0.11, 0.08, 0.14, "cpu", complete=False)}
    below = {"d": ExperimentEvidence("d", 0.02, -0.01, 0.05, "cpu", complete=True)}
    assert judge(over, {}, above).verdict == "reproduced"
    assert judge(over, {}, straddle).verdict == "pending"  # a reduced budget cannot refute
    assert judge(over, {}, {"d": straddle["d"].__class__(**{**straddle["d"].__dict__,
                                                         "complete": True})}).verdict \
        == "not reproduced"
    assert judge(over, {}, below).verdict == "not reproduced"
    # a point claim with the same evidence would be judged by containment instead
    point = Claim("X-02", "drop is 10%", "10%", "Sec. 4", "performance", "experiment:d", 0.10)
    assert judge(point, {}, straddle).verdict == "reproduced"
    with pytest.raises(ValueError, match="only experiment claims"):
        validate_ledger([Claim("X-03", "t", "r", "w", "method", "check:ok", bound="lower")],
                        {"ok": lambda: None})


def test_validate_ledger_catches_errors():
    good = [_claim("check:ok")]
    validate_ledger(good, {"ok": lambda: None})
    with pytest.raises(ValueError, match="duplicate id"):
        validate_ledger(good * 2, {"ok": lambda: None})
    with pytest.raises(ValueError, match="not defined in CHECKS"):
        validate_ledger(good, {})
    with pytest.raises(ValueError, match="need a numeric value"):
        validate_ledger([_claim("experiment:e")], {})
    with pytest.raises(ValueError, match="must be"):
        validate_ledger([_claim("guess:e")], {})


def test_reading_order_numbers_claims():
    from fer_repro.claims.base import ReadingOrder, claim_id

    assert claim_id("DCR", 7) == "DCR-07" and claim_id("DCR", 123) == "DCR-123"
    assert claim_id("X", 3, width=3) == "X-003"
    with pytest.raises(ValueError):
        claim_id("X", 0)
    with pytest.raises(ValueError):
        ReadingOrder("A-B")
    order = ReadingOrder("X")
    assert order.next_id() == "X-01" and len(order) == 0
    first = order.add("a claim", "0.70", "Table 1", "performance", "check:ok")
    order.add("another", "70%", "Abstract", "performance", "experiment:e", 0.7, "fraction",
              tolerance=0.01, note="n")
    assert first == Claim("X-01", "a claim", "0.70", "Table 1", "performance", "check:ok")
    claims = order.claims
    assert [c.id for c in claims] == ["X-01", "X-02"] and len(order) == 2
    assert (claims[1].value, claims[1].unit, claims[1].tolerance, claims[1].note) == (
        0.7, "fraction", 0.01, "n")
    claims.clear()  # a copy: the order keeps its claims
    assert len(order.claims) == 2
