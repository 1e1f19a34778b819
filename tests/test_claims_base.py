"""Generic consistency checks: each passes a consistent example and fails an inconsistent one."""

from __future__ import annotations

import pytest

from fer_repro.claims import (
    VERDICTS,
    Claim,
    ExperimentEvidence,
    Reading,
    Relation,
    SeedTerm,
    judge,
    relation_conflicts,
    validate_ledger,
)
from fer_repro.claims import checks as C
from fer_repro.claims.base import printed_precision
from fer_repro.claims.report import readings_text


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


def _claim(judge_str, value=None, tol=None, unit="fraction", n_test=None, readings=()):
    return Claim("X-01", "a claim", "0.70", "Table 1", "performance", judge_str, value=value,
                 unit=unit, tolerance=tol, n_test=n_test, readings=readings)


def _ev(est, lo, hi, complete=True, **kw):
    return ExperimentEvidence("e", est, lo, hi, "cpu", complete=complete, **kw)


def test_check_verdicts_say_what_they_rest_on():
    res = {"ok": C.same_value("ok", "a", "1.0", "b", "1.0"),
           "bad": C.same_value("bad", "a", "1.0", "b", "2.0"),
           "b": C.within_bound("b", "95.4", 77.0, "best published"),
           "b_ok": C.within_bound("b_ok", "70.4", 77.0, "best published")}
    ok, bad = judge(_claim("check:ok"), res), judge(_claim("check:bad"), res)
    assert (ok.verdict, ok.basis) == ("consistent", "paper")  # never "reproduced"
    assert (bad.verdict, bad.basis) == ("inconsistent", "paper")
    assert (judge(_claim("check:b"), res).verdict, judge(_claim("check:b"), res).basis) == (
        "implausible", "plausibility")
    assert judge(_claim("check:b_ok"), res).verdict == "plausible"
    assert judge(_claim("untestable:no data"), res).verdict == "not testable here"
    assert judge(_claim("experiment:e", 0.70), res).verdict == "pending"
    assert set(VERDICTS) >= {"reproduced", "pending", "ambiguous", "inconclusive"}


def test_a_failing_check_with_a_reading_under_which_the_paper_holds_is_ambiguous():
    bad = C.same_value("bad", "a", "1.0", "b", "2.0")
    one = {"bad": bad.with_readings(Reading("the two numbers are the same quantity", False))}
    assert judge(_claim("check:bad"), one).verdict == "inconsistent"
    two = {"bad": one["bad"].with_readings(Reading("b is measured on another split", True))}
    j = judge(_claim("check:bad"), two)
    assert j.verdict == "ambiguous" and j.basis == "paper" and len(j.readings) == 2
    assert "another split" in j.reason


def test_experiment_verdicts_follow_the_three_way_rule():
    seed0 = SeedTerm(0.0, 5, "test")
    # ours 0.70 +- 0.0075 vs the paper's 0.70 on 3589 images: equivalent within 3 points
    same = {"e": _ev(0.70, 0.685, 0.715)}
    j = judge(_claim("experiment:e", 0.70, n_test=3589), {}, same, seed0)
    assert (j.verdict, j.basis) == ("reproduced", "experiment")
    lower = judge(_claim("experiment:e", 0.80, n_test=3589), {}, same, seed0)
    assert lower.verdict == "not reproduced (ours lower)"
    higher = judge(_claim("experiment:e", 0.60, n_test=3589), {}, same, seed0)
    assert higher.verdict == "differs (ours higher)"
    # 0.72 vs 0.70: no difference shown, no equivalence either (the default seed SD widens it)
    j = judge(_claim("experiment:e", 0.72, n_test=3589), {}, same)
    assert j.verdict == "inconclusive" and "stated conservative default" in j.reason
    # a reduced budget cannot refute the paper: lower or inconclusive -> pending
    short = {"e": _ev(0.50, 0.49, 0.51, complete=False)}
    assert judge(_claim("experiment:e", 0.70), {}, short).verdict == "pending"
    assert judge(_claim("experiment:e", 0.40), {}, short).verdict == "differs (ours higher)"
    assert judge(_claim("experiment:e", 0.50), {}, short, seed0).verdict == "reproduced"


def test_range_evidence_is_judged_against_the_span_of_plausible_variants():
    rng = {"e": _ev(11.15, 10.96, 11.15, kind="range", trained=False)}
    params = Claim("X-01", "11.6 M", "11.6 million", "Abstract", "efficiency", "experiment:e",
                   11.6, "M parameters")
    # a count has no favourable side: both directions read "differs"
    assert judge(params, {}, rng).verdict == "differs (ours lower)"
    flops = Claim("X-02", "4.2 G", "4.2 GFLOPs", "Sec. 4", "efficiency", "experiment:e",
                  10.0, "GFLOPs")
    assert judge(flops, {}, rng).verdict == "differs (ours higher)"
    wide = {"e": _ev(11.15, 7.54, 11.7, kind="range", trained=False)}
    assert judge(params, {}, wide).verdict == "reproduced"
    # the printed rounding counts: 11.2 printed means 11.15-11.25
    near = Claim("X-01", "11.2 M", "11.2 million", "Abstract", "efficiency", "experiment:e",
                 11.2, "M parameters")
    assert judge(near, {}, rng).verdict == "reproduced"
    assert printed_precision("11.6 million") == pytest.approx(0.05)
    assert printed_precision("21 ms") == 0.5 and printed_precision("79.79%") == pytest.approx(0.005)


def test_another_reading_that_overturns_a_negative_experiment_verdict_gives_ambiguous():
    ev = {"private": _ev(0.60, 0.585, 0.615), "public": _ev(0.79, 0.775, 0.805)}
    seed0 = SeedTerm(0.0, 5, "test")
    c = _claim("experiment:private", 0.80, n_test=3589,
               readings=(("measured on PublicTest", "public"),))
    j = judge(c, {}, ev, seed0)
    assert j.verdict == "ambiguous" and len(j.readings) == 2
    assert [r.holds for r in j.readings] == [False, True]
    c2 = _claim("experiment:private", 0.95, n_test=3589,
                readings=(("measured on PublicTest", "public"),))
    j2 = judge(c2, {}, ev, seed0)
    assert j2.verdict == "not reproduced (ours lower)" and len(j2.readings) == 2
    assert "direction depends" not in j2.reason
    # negative under both readings but in opposite directions: the label keeps the book's
    # reading's direction and the reason says that the direction depends on the reading
    c3 = _claim("experiment:private", 0.70, n_test=3589,
                readings=(("measured on PublicTest", "public"),))
    j3 = judge(c3, {}, ev, seed0)
    assert j3.verdict == "not reproduced (ours lower)"
    assert [r.holds for r in j3.readings] == [False, False]
    assert ("the direction depends on the reading: differs (ours higher) if read as measured on "
            "PublicTest") in j3.reason
    # two labels of the same direction (sampled and range evidence) do not count as a change
    ev4 = {"private": ev["private"], "count": _ev(0.5, 0.45, 0.55, kind="range", trained=False)}
    j4 = judge(_claim("experiment:private", 0.80, n_test=3589,
                      readings=(("counted otherwise", "count"),)), {}, ev4, seed0)
    assert j4.verdict == "not reproduced (ours lower)"
    assert j4.readings[1].detail.startswith("differs (ours lower)")
    assert "direction depends" not in j4.reason


def test_a_reading_that_cannot_be_tested_here_keeps_a_negative_verdict_open():
    # the negative verdict must hold under every reading; one that can never be tested here
    # ("untestable:<why>") leaves it open: ambiguous, with the reading marked "open"
    ev = {"private": _ev(0.60, 0.585, 0.615)}
    seed0 = SeedTerm(0.0, 5, "test")
    other = (("trained from ImageNet weights", "untestable:no ImageNet weights here"),)
    j = judge(_claim("experiment:private", 0.80, n_test=3589, readings=other), {}, ev, seed0)
    assert j.verdict == "ambiguous" and [r.holds for r in j.readings] == [False, None]
    assert "cannot be tested here" in j.reason
    assert "open if read as: trained from ImageNet weights" in readings_text(j)
    # a verdict that is not negative is left alone
    ok = judge(_claim("experiment:private", 0.60, n_test=3589, readings=other), {}, ev, seed0)
    assert ok.verdict == "reproduced" and ok.readings == ()
    # checks: an open reading makes a failing check ambiguous too, a failing one does not
    bad = C.same_value("bad", "a", "1.0", "b", "2.0")
    shut = {"bad": bad.with_readings(Reading("one quantity", False))}
    assert judge(_claim("check:bad"), shut).verdict == "inconsistent"
    open_ = {"bad": shut["bad"].with_readings(Reading("another split", None, "not measured"))}
    j = judge(_claim("check:bad"), open_)
    assert j.verdict == "ambiguous" and "no fault can be shown (open)" in j.reason


def test_judge_lower_bound_claims():
    """'over 10%': reproduced when the whole CI lies above the threshold, not reproduced when it
    lies below, inconclusive when it straddles; a reduced budget that does not show it: pending."""
    over = Claim("X-01", "drop over 10%", "over 10%", "Sec. 4", "performance", "experiment:d",
                 0.10, bound="lower")
    above = {"d": ExperimentEvidence("d", 0.15, 0.12, 0.18, "cpu", complete=False)}
    straddle = {"d": ExperimentEvidence("d", 0.11, 0.08, 0.14, "cpu", complete=False)}
    below = {"d": ExperimentEvidence("d", 0.02, -0.01, 0.05, "cpu", complete=True)}
    assert judge(over, {}, above).verdict == "reproduced"
    assert judge(over, {}, straddle).verdict == "pending"  # a reduced budget cannot refute
    full = {"d": ExperimentEvidence("d", 0.11, 0.08, 0.14, "cpu", complete=True)}
    assert judge(over, {}, full).verdict == "inconclusive"
    assert judge(over, {}, below).verdict == "not reproduced (ours lower)"
    with pytest.raises(ValueError, match="only experiment claims"):
        validate_ledger([Claim("X-03", "t", "r", "w", "method", "check:ok", bound="lower")],
                        {"ok": lambda: None})


def test_relations_between_claims_catch_conflicting_verdicts():
    res = {"ok": C.same_value("ok", "a", "1.0", "b", "1.0"),
           "bad": C.same_value("bad", "a", "1.0", "b", "2.0")}
    a = Claim("X-01", "t", "r", "w", "performance", "check:ok")
    b = Claim("X-02", "t", "r", "w", "performance", "check:bad")
    c = Claim("X-03", "t", "r", "w", "performance", "untestable:no data")
    js = [judge(x, res) for x in (a, b, c)]
    assert relation_conflicts(js, [Relation("X-01", "X-02", "implies")])
    assert not relation_conflicts(js, [Relation("X-02", "X-01", "implies")])
    assert relation_conflicts(js, [Relation("X-01", "X-02", "same quantity")])
    assert not relation_conflicts(js, [Relation("X-01", "X-03", "same quantity")])
    assert not relation_conflicts(js, [Relation("X-01", "X-02", "contradicts")])
    assert relation_conflicts(js, [Relation("X-01", "X-01", "contradicts")])
    assert relation_conflicts(js, [Relation("X-01", "X-99", "implies")])  # unknown id


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


def test_a_reading_without_recorded_evidence_keeps_a_negative_verdict_open():
    # the negative verdict must hold under every reading: one whose run is not recorded yet
    # leaves it open (ambiguous), and a recorded one that agrees closes it again
    ev = {"private": _ev(0.60, 0.585, 0.615)}
    c = _claim("experiment:private", 0.80, n_test=3589,
               readings=(("measured on PublicTest", "public"),))
    j = judge(c, {}, ev, SeedTerm(0.0, 5, "test"))
    assert j.verdict == "ambiguous" and [r.holds for r in j.readings] == [False, None]
    assert "not run yet: no record gives public" in readings_text(j)
    assert "has not been run yet" in j.reason and "cannot be tested" not in j.reason
    # a recorded reading that settles nothing (inconclusive) is open, not a reading that holds
    ev["public"] = _ev(0.80, 0.70, 0.90)
    j1 = judge(c, {}, ev, SeedTerm(0.0, 5, "test"))
    assert j1.verdict == "ambiguous" and j1.readings[1].holds is None
    assert "settles nothing" in j1.reason
    ev["public"] = _ev(0.61, 0.595, 0.625)
    j2 = judge(c, {}, ev, SeedTerm(0.0, 5, "test"))
    assert j2.verdict == "not reproduced (ours lower)" and len(j2.readings) == 2


def test_the_paper_sampling_error_is_binomial_for_accuracy_only():
    ev = {"e_accuracy": ExperimentEvidence("e_accuracy", 0.70, 0.685, 0.715, "cpu"),
          "e_macro_f1": ExperimentEvidence("e_macro_f1", 0.70, 0.685, 0.715, "cpu")}
    seed0 = SeedTerm(0.0, 5, "test")
    acc = judge(_claim("experiment:e_accuracy", 0.70, n_test=100), {}, ev, seed0)
    f1 = judge(_claim("experiment:e_macro_f1", 0.70, n_test=100), {}, ev, seed0)
    assert "the paper's 100 test images" in acc.reason and "macro metric" in f1.reason


def test_a_key_finding_shows_the_ledger_verdict_not_only_the_failing_check():
    import pandas as pd

    from fer_repro.claims import report

    checks = pd.DataFrame([
        {"check": "a", "consistent": False, "finding": "A fails as first read", "rule": "r",
         "if failed": "implausible", "readings": "fails if read as: x; holds if read as: y"},
        {"check": "b", "consistent": False, "finding": "B fails", "rule": "r",
         "if failed": "inconsistent", "readings": "fails if read as: z"},
        {"check": "c", "consistent": True, "finding": "C holds", "rule": "r",
         "if failed": "inconsistent", "readings": ""},
    ])
    frame = pd.DataFrame({"id": ["X-01", "X-02", "X-03"],
                          "verdict": ["ambiguous", "ambiguous", "inconsistent"],
                          "evidence": ["check:a", "check:a", "check:b"]})
    a = report.key_finding("a", checks, frame)
    # another reading saves the claims: the bullet says so and shows the readings
    assert "fails as first read (implausible)" in a and "X-01, X-02 *ambiguous*" in a
    assert "holds if read as: y" in a and a.endswith(": A fails as first read")
    b = report.key_finding("b", checks, frame)
    assert "X-03 *inconsistent*" in b and "readings weighed" not in b
    assert report.key_finding("c", checks, frame) == "- `c` holds: C holds"


def test_the_failed_checks_count_says_what_the_ledger_made_of_each_failure():
    import pandas as pd

    from fer_repro.claims import report

    checks = pd.DataFrame({"paper": ["p", "p", "p", "p", "q"],
                           "check": ["a", "b", "c", "d", "a"],
                           "consistent": [False, False, True, False, False]})
    frame = pd.DataFrame({"paper": ["p", "p", "p", "q"], "id": ["X-01", "X-02", "X-03", "Y-01"],
                          "verdict": ["ambiguous", "inconsistent", "consistent", "implausible"],
                          "evidence": ["check:a", "check:b", "check:c", "check:a"]})
    out = report.failed_check_outcomes(checks, frame).set_index("check", append=True)
    # matched within a paper: p's check a decides only X-01 (ambiguous), q's a decides Y-01
    assert list(out["outcome"]) == ["open", "stands", "none", "stands"]
    assert report.failed_checks_sentence(checks, frame) == (
        "4 of 5 checks fail as first read: 2 decide a claim judged negative under every reading, "
        "1 decides only claims that another reading keeps open (verdict: ambiguous) and 1 decides "
        "no claim by itself")
    # without a paper column the same names are one check, and a check that decides no claim
    # is not counted as a failure that stands
    assert report.failed_checks_sentence(checks.iloc[:4].drop(columns="paper"),
                                         frame.iloc[:3].drop(columns="paper")).startswith(
        "3 of 4 checks fail as first read: 1 decides")
    assert report.failed_checks_sentence(checks.iloc[2:3], frame) == "0 of 1 checks fail as first read"
