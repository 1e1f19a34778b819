"""Generic checks of fer_repro.claims.checks shared by the ledgers (moved there from the ledgers).

Each check passes a consistent example and fails an inconsistent one; the rounding rules of the
module (half units, coarser precision, percentage detection, truncation) are pinned as well.
The checks that predate the consolidation are tested in test_claims_base.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from fer_repro.claims import CheckResult, Reading
from fer_repro.claims import checks as C
from fer_repro.data.reference import FER2013_COUNTS, FER2013_SPLITS

# ---- rounding and tolerance rules ----------------------------------------------------------------


def test_half_unit_and_proportion_units():
    assert C.half_unit("0.6170") == pytest.approx(5e-5) and C.half_unit("12") == 0.5
    assert C.half_unit("79.79%") == pytest.approx(0.005)
    assert C.proportion_scale("82.09%") == 100.0 and C.proportion_scale("82.09") == 100.0
    assert C.proportion_scale("0.82") == 1.0 and C.proportion_scale("1.00") == 1.0
    assert C.proportion_scale("0.50", scale=100) == 100.0  # an explicit scale wins
    assert C.as_fraction("82.09%") == pytest.approx(0.8209) and C.as_fraction("0.99") == 0.99
    assert C.fraction_half_unit("82.09") == pytest.approx(5e-5)
    assert C.matches_fraction(194 / 196, "98.98%") and not C.matches_fraction(193 / 196, "98.98%")
    assert C.parse_approx_count("30K images") == 30_000
    assert C.parse_approx_count("approximately 36,000") == 36_000


def test_attainable_counts_rounding_and_truncation():
    assert C.attainable_counts("50.00", 4) == [2]
    assert C.attainable_counts("40.00", 4) == []  # k/4 is 0, 25, 50, ...
    # 2/3 = 66.666...: rounds to 66.67, truncates to 66.66
    assert C.attainable_counts("66.67", 3) == [2]
    assert C.attainable_counts("66.66", 3) == []
    assert C.attainable_counts("66.66", 3, allow_truncation=True) == [2]
    # truncation accepts [x - h, x + 2h): 1/4 = 25.00 does not truncate to 24.99
    assert C.attainable_counts("24.99", 4, allow_truncation=True) == []
    assert C.attainable_counts("0.75", 4) == [3]  # printed as a fraction
    assert C.sumset([[1, 2], [10]]) == {11, 12} and C.sumset([[1, 2], [10]], cap=11) == {11}


# ---- combining and annotating results -----------------------------------------------------------


def test_with_detail():
    res = CheckResult("x", "p", "r", "rule", True)
    new = C.with_detail(res, "d", name="w", rule="r2")
    assert (new.name, new.detail, new.rule, new.consistent) == ("w", "d", "r2", True)
    assert C.with_detail(res, failure="implausible").detail == "" and res.name == "x"


def test_all_of_merges_readings():
    def part(name, alt_holds):
        return CheckResult(name, "p", "r", "rule", False, readings=(
            Reading("own", False, f"{name} own"), Reading("alt", alt_holds, f"{name} alt")))

    both = C.all_of("all", [part("a", True), part("b", True)])
    assert [r.reading for r in both.readings][1:] == ["alt"] and both.readings[1].holds
    assert not both.readings[0].holds
    one = C.all_of("all", [part("a", True), part("b", False)])
    assert not one.readings[1].holds  # "alt" must let every failing part hold
    bare = CheckResult("c", "p", "r", "rule", False)
    assert C.all_of("all", [part("a", True), bare]).readings == ()  # caller must annotate
    ok = CheckResult("ok", "p", "r", "rule", True)
    assert C.all_of("all", [ok, part("a", True)]).readings[1].holds


def test_sole_reading():
    res = C.sole_reading(CheckResult("x", "p", "r", "the rule", False), "no other reading")
    assert res.readings == (Reading("as the rule reads it: the rule", False, "no other reading"),)


def test_all_of():
    good = CheckResult("g", "1", "1", "r", True)
    imp = CheckResult("i", "1", "2", "r", False, "implausible", "too high")
    inc = CheckResult("c", "1", "2", "r", False, "inconsistent")
    ok = C.all_of("all", [good, good], "both")
    assert ok.consistent and ok.name == "all" and ok.failure == "inconsistent"
    bad = C.all_of("all", [good, imp])
    assert not bad.consistent and bad.failure == "implausible" and "[i] too high" in bad.detail
    # one self-contradiction makes the whole inconsistent, whatever the order of the parts
    assert C.all_of("all", [imp, inc]).failure == "inconsistent"
    assert C.all_of("all", [inc, imp]).failure == "inconsistent"


# ---- the same statement in several places -------------------------------------------------------


def test_same_value_all():
    assert C.same_value_all("x", {"a": "0.548", "b": "0.5482", "c": "0.55"}).consistent
    assert C.same_value_all("x", [("A", "65.80%"), ("B", "65.80%"), ("C", "66%")]).consistent
    bad = C.same_value_all("x", {"a": "0.6170", "b": "0.6170", "c": "0.6132"}, "accuracy")
    assert bad.consistent is False and bad.failure == "inconsistent"
    assert "0.6132" in bad.recomputed and bad.detail.startswith("Accuracy is printed as")
    # pairwise: each agrees with the coarse "99%", but 98.98 and 98.50 disagree
    assert not C.same_value_all("x", [("A", "99%"), ("B", "98.98%"), ("C", "98.50%")]).consistent
    with pytest.raises(ValueError):
        C.same_value_all("x", {"a": "1"})


def test_same_text_all():
    assert C.same_text_all("x", {"a": "Adam ", "b": "adam"}).consistent
    assert not C.same_text_all("x", {"a": "FastCNN-SE", "b": "Attention CNN"}).consistent


def test_same_items():
    assert C.same_items("x", "a", ["3x3", "5×5"], "b", ["5×5", "3X3"]).consistent
    assert not C.same_items("x", "a", ["3×3", "5×5"], "b", ["3×3", "7×7"]).consistent


# ---- arithmetic of reported metrics -------------------------------------------------------------


def test_sum_exceeds():
    assert C.sum_exceeds("x", ["36,000", "35,000", "30,000"], 100_000).consistent
    assert not C.sum_exceeds("x", ["30K", "30K", "30K"], 100_000).consistent


def test_macro_f1_upper_bound():
    # 0.5138 <= H(0.5482, 0.5146) = 0.5309
    assert C.macro_f1_upper_bound("x", "0.5482", "0.5146", "0.5138").consistent
    # equality at printed precision is allowed: H(0.562, 0.548) = 0.5549
    assert C.macro_f1_upper_bound("x", "0.562", "0.548", "0.555").consistent
    # 0.60 > H(0.50, 0.60) = 0.545: impossible for a mean of per-class F1
    assert not C.macro_f1_upper_bound("x", "0.50", "0.60", "0.60").consistent


def test_micro_equals_accuracy():
    assert C.micro_equals_accuracy("x", "75.00", {"P": "75.00", "R": "75.0"}).consistent
    assert not C.micro_equals_accuracy("x", "75.00", {"P": "75.00", "R": "76.20"}).consistent


def test_macro_recall_feasible():
    fer_totals = np.sum([FER2013_COUNTS[s] for s in FER2013_SPLITS], axis=0)
    assert C.macro_recall_feasible("x", "94.8%", "94.9%", fer_totals).consistent
    # with equal supports macro recall = accuracy, so 80.0% vs 82.0% is impossible
    assert not C.macro_recall_feasible("x", "80.0%", "82.0%", [1, 1, 1]).consistent
    # 99% accuracy with a 99:1 imbalance forces the big class's recall >= 0.99 -> macro >= 0.495
    assert not C.macro_recall_feasible("x", "0.99", "0.30", [99, 1]).consistent


def test_ovr_accuracy_identity():
    """sum_i(TP_i+TN_i) / sum_i(TP_i+TN_i+FP_i+FN_i) on a real confusion matrix = 1 - 2(1-a)/K."""
    rng = np.random.default_rng(0)
    k, n = 7, 5000
    y = rng.integers(0, k, n)
    p = np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n))
    cm = np.zeros((k, k), int)
    np.add.at(cm, (y, p), 1)
    tp = np.diag(cm)
    fp, fn = cm.sum(0) - tp, cm.sum(1) - tp
    tn = n - tp - fp - fn
    assert (tp + tn).sum() / (tp + tn + fp + fn).sum() == pytest.approx(
        C.ovr_accuracy(tp.sum() / n, k)
    )


def test_ovr_formula_is_top1():
    assert C.ovr_formula_is_top1("x", "82.09%", 2).consistent  # binary: the same thing
    bad = C.ovr_formula_is_top1("x", "82.09%", 7)
    assert not bad.consistent
    # literal one-vs-rest reading fails; the textbook shorthand (correct / all) holds
    assert [r.holds for r in bad.readings] == [False, True]


def test_ce_loss_lower_bound():
    # 90% accuracy: mean cross-entropy >= 0.1 * ln 2 = 0.0693 nats -> 6.93 "in %"
    assert C.ce_loss_lower_bound("c", "90.00", "7.50", loss_scale=100.0).consistent
    assert not C.ce_loss_lower_bound("c", "90.00", "5.00", loss_scale=100.0).consistent
    assert C.ce_loss_lower_bound("c", "0.90", "0.07").consistent
    assert not C.ce_loss_lower_bound("c", "0.90", "0.05").consistent
    # in log10 units the bound is 0.1 x log10(2) = 0.0301
    assert C.ce_loss_lower_bound("c", "0.90", "0.05", log_base=10).consistent
    assert not C.ce_loss_lower_bound("c", "0.90", "0.02", log_base=10).consistent


# ---- granularity and classification reports ----------------------------------------------------


def test_runs_average_reading():
    # 64.12% is no k/3500, but 6733/10500 (three runs) prints as 64.12%
    r = C.runs_average_reading("64.12%", 3500, "seeds are mentioned")
    assert r.holds and "6733/10500" in r.detail
    assert not C.runs_average_reading("97.80%", 196, "x").holds


def test_attainable_proportion():
    assert C.attainable_proportion("g", "98.98%", 196).consistent  # 194/196
    assert C.attainable_proportion("g", "0.9898", 196).consistent  # fraction form
    bad = C.attainable_proportion("g", "97.80%", 196)  # 191/196 = 97.45%, 192/196 = 97.96%
    assert bad.consistent is False and bad.failure == "inconsistent"
    assert "191/196" in bad.detail and "192/196" in bad.detail
    trunc = C.attainable_proportion("g", "66.66", 3, allow_truncation=True)
    assert trunc.consistent and "(truncated)" in trunc.recomputed
    assert not C.attainable_proportion("g", "66.66", 3).consistent


def test_accuracy_from_report():
    # recalls 1.00 (4 of 4) and 0.50 (1 of 2): 5 of 6 correct = 0.8333
    assert C.accuracy_from_report("a", ["1.00", "0.50"], [4, 2], "0.83").consistent
    assert not C.accuracy_from_report("a", ["1.00", "0.50"], [4, 2], "0.90").consistent
    # a recall no count can produce (0.33 on 2 items) is flagged too
    assert not C.accuracy_from_report("a", ["0.33"], [2], "0.50").consistent


def test_predictions_from_report():
    assert C.predictions_from_report("p", ["1.00", "1.00"], ["1.00", "1.00"], [10, 10]).consistent
    # both classes recall 1.00 and precision 0.50: 20 predictions per class would be needed,
    # 40 in all, but there are only 20 items
    bad = C.predictions_from_report("p", ["0.50", "0.50"], ["1.00", "1.00"], [10, 10])
    assert bad.consistent is False


def test_group_disjoint_possible():
    assert C.group_disjoint_possible("s", [3, 6, 9], 3).consistent
    bad = C.group_disjoint_possible("s", [3, 4], 3)
    assert bad.consistent is False and bad.failure == "implausible"


# ---- counts and sizes -----------------------------------------------------------------------------


def test_table_matches():
    truth = {"a": 10, "b": 20}
    assert C.table_matches("x", "w", {"a": "10", "b": 20}, truth, "s").consistent
    bad = C.table_matches("x", "w", {"a": "20", "b": "10"}, truth, "s")
    assert not bad.consistent and bad.failure == "implausible" and "2 of 2" in bad.detail
    assert C.table_matches("x", "w", {"a": 9, "b": 20}, truth, "s", "inconsistent").failure == (
        "inconsistent"
    )


def test_approx_count_matches():
    assert C.approx_count_matches("x", "n", "36K", 35887, "ref").consistent
    assert C.approx_count_matches("x", "n", "approximately 36,000", 35887, "ref").consistent
    bad = C.approx_count_matches("x", "n", "approximately 30,000", 35887, "ref")
    assert bad.consistent is False and bad.failure == "implausible"


def test_count_in_range():
    assert C.count_in_range("x", "hundreds", 100, 1000, 420, "s").consistent
    assert not C.count_in_range("x", "hundreds", 100, 1000, 35887, "s").consistent


def test_rounds_to_sig():
    assert C.rounds_to_sig("x", "one million", 1e6, 1_281_167, 1, "s").consistent
    assert not C.rounds_to_sig("x", "one million", 1e6, 1_600_000, 1, "s").consistent


# ---- comparisons with other results, bounds and tests -------------------------------------------


def test_leakage_ceiling():
    assert C.leakage_bound(0.05, 0.76) == pytest.approx(0.772)
    assert C.leakage_ceiling("x", "75.0%", 0.05, 0.76, "d").consistent  # bound 77.2%
    assert C.leakage_ceiling("x", "0.75", 0.05, 0.76, "d").consistent  # as a fraction
    bad = C.leakage_ceiling("x", "94.8%", 0.0939, 0.76, "d")
    assert not bad.consistent and bad.failure == "implausible"
    assert "exact" in bad.rule  # the bound says which leakage it covers


def test_augment_then_split():
    # the leakage run: 5 versions per image, 70% in training -> 99.2% of test with a sibling
    f, _ = C.augment_then_split_bound(0.5, 5, 0.7)
    assert f == pytest.approx(1 - 0.3**4)
    # one augmented copy, 80% in training: 80% with a sibling; 0.8 + 0.2 x 0.76 = 95.2%
    r = C.augment_then_split_reading("94.8%", 0.76, "the paper does not say")
    run = C.leakage_run()  # the recorded leakage runs, read from the run store
    assert r.holds and "95.2%" in r.detail
    assert run is None or f"{run['leaky']:.1%}" in r.detail
    assert not C.augment_then_split_reading("99.0%", 0.76, "x").holds
    with pytest.raises(ValueError):
        C.augment_then_split_bound(0.76, 1, 0.8)


def test_exceeds_all():
    assert C.exceeds_all("x", "82.09", {"a": "79.34", "b": "70"}).consistent
    assert not C.exceeds_all("x", "78.00", {"a": "79.34", "b": "70"}).consistent


def test_gain_over_best():
    others = {"A": "70.00", "B": "72.00"}
    assert C.gain_over_best("m", "75.00", "B", "3.00", others).consistent
    assert not C.gain_over_best("m", "75.00", "B", "2.00", others).consistent  # arithmetic
    assert not C.gain_over_best("m", "75.00", "A", "5.00", others).consistent  # not the best
    with pytest.raises(KeyError):
        C.gain_over_best("m", "75.00", "Z", "5.00", others)


def test_power_context_is_context_only():
    # power is context text, never a verdict: 0.07 points on 3,500 is far below the 80%-power MDE
    txt = C.power_context("65.73%", "65.80%", 3500)
    assert "0.07 points" in txt and "weak evidence" in txt
    assert "above it" in C.power_context("70.00%", "80.00%", 3500)
    # at 98.74% on 196 items no improvement is detected with 80% power at all
    assert "no improvement" in C.power_context("98.74%", "98.98%", 196)


def test_unpaired_gain_significant():
    # 0.5960 on 7,178 test images vs 0.3703 by CV on 28,709 training images: p far below 0.05
    ok = C.unpaired_gain_significant("s", "0.3703", 28709, "0.5960", 7178)
    assert ok.consistent and "Context" in ok.detail and not ok.readings
    bad = C.unpaired_gain_significant("s", "65.73%", 3500, "65.80%", 3500)
    assert not bad.consistent and bad.failure == "inconsistent"
    assert bad.readings[0].holds is False and bad.readings[1].holds is False


def test_mcnemar_min_net_gain():
    need = C.mcnemar_min_net_gain()
    exact, midp, chi2, chi2cc, exact1, midp1, z1 = need.values()
    # exact two-sided p = 2 * 0.5^d: d = 6 gives 0.031; chi-square d >= 3.84; z one-sided d >= 2.71
    assert (exact, midp, chi2, chi2cc, exact1, midp1, z1) == (6, 5, 4, 6, 5, 4, 3)


def test_mcnemar_attainable():
    assert C.mcnemar_attainable("m", "64.12%", "65.80%", 3500).consistent
    bad = C.mcnemar_attainable("m", "97.80%", "98.98%", 196)
    assert not bad.consistent and bad.failure == "inconsistent"
    # every variant is a reading; the rule's (exact, two-sided) comes first; none reaches 2 items
    assert "exact" in bad.readings[0].reading and len(bad.readings) == 7
    assert not any(r.holds for r in bad.readings)
    # 4 net items with none the other way: exact p = 0.125 (fails), chi-square p = 0.046 (holds)
    four = C.mcnemar_attainable("m", "0.50", "0.54", 100)
    assert not four.consistent
    held = {r.reading for r in four.readings if r.holds}
    assert any("without continuity" in r for r in held) and not four.readings[0].holds


def test_proportions_compatible():
    assert C.proportions_compatible("x", "a", "80.0", 2000, "b", "81.0", 2000).consistent
    res = C.proportions_compatible("x", "a", "57.74", 5742, "b", "66.21", 7178)
    assert res.consistent is False and res.failure == "implausible"


def test_contributors_match_authors():
    authors = ["Nadia Mahmood Ali", "Munera A. Jabaar"]
    assert C.contributors_match_authors("x", authors, ["N.M.A.", "M.A.J."]).consistent
    assert not C.contributors_match_authors("x", authors, ["N.M.A.", "S.A.L."]).consistent


def test_public_names_are_documented():
    for name in C.__all__:
        obj = getattr(C, name)
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
    assert math.isclose(C.EPS, 1e-12)


def test_truncates_to_is_the_truncation_half_of_attainability():
    from fer_repro.claims.checks import attainable_counts, truncates_to

    assert truncates_to(1917 / 1960, "97.80%")  # 97.806% cut to two decimals
    assert not truncates_to(194 / 196, "98.98%")  # 98.9796% only rounds to it
    assert truncates_to(0.5489, "0.548") and not truncates_to(0.5479, "0.548")
    # every count that truncates to a figure is among those attainable with truncation allowed
    for printed, n in (("97.80%", 1960), ("64.48%", 3500), ("0.548", 7178)):
        cut = [k for k in range(n + 1) if truncates_to(k / n, printed)]
        assert cut and set(cut) <= set(attainable_counts(printed, n, allow_truncation=True))
