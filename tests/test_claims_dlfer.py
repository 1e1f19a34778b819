"""Ledger of Hussan 2025 (DLFER): schema, checks, verdict pins and the private generic helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fer_repro.claims import VERDICTS, CheckResult, dlfer, judge, run_checks, validate_ledger
from fer_repro.claims.dlfer import (
    _all_of,
    _count_in_range,
    _efficientnet_params,
    _exceeds_all,
    _margin_detectable,
    _micro_equals_accuracy,
    _ovr_formula_is_top1,
    _ovr_mean_accuracy,
    _proportions_compatible,
    _rounds_to_sig,
    _same_everywhere,
    _table_matches,
)

PAPERS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "papers"
MIN_CLAIMS = 60  # the paper has ~80 checkable statements (18 of them Table 5 rows)


@pytest.fixture(scope="module")
def results() -> dict[str, CheckResult]:
    return run_checks(dlfer.CHECKS)


# --- ledger schema ------------------------------------------------------------------------------


def test_ledger_is_valid():
    validate_ledger(dlfer.CLAIMS, dlfer.CHECKS)


def test_ids_unique_and_in_order():
    ids = [c.id for c in dlfer.CLAIMS]
    assert len(ids) == len(set(ids))
    assert ids == [f"DLF-{i:02d}" for i in range(1, len(ids) + 1)]


def test_enough_claims():
    assert len(dlfer.CLAIMS) >= MIN_CLAIMS


def test_paper_text_exists():
    if not PAPERS_DIR.is_dir():
        pytest.skip(f"{PAPERS_DIR} (the shared paper texts) is not present on this machine")
    assert (PAPERS_DIR / dlfer.PAPER.text_file).is_file()
    assert dlfer.PAPER.key == "dlfer"


def test_reported_strings_appear_in_paper():
    """Numeric `reported` values must be findable in the paper's text (as printed)."""
    if not PAPERS_DIR.is_dir():
        pytest.skip(f"{PAPERS_DIR} is not present on this machine")
    text = (PAPERS_DIR / dlfer.PAPER.text_file).read_text(encoding="utf-8")
    for c in dlfer.CLAIMS:
        rep = c.reported
        if rep.replace(".", "").replace("%", "").replace(",", "").strip().isdigit():
            assert rep in text, f"{c.id}: {rep!r} not found in the paper text"


def test_fraction_units():
    for c in dlfer.CLAIMS:
        if c.unit == "fraction":
            assert c.value is not None and 0.0 <= c.value <= 1.0, c.id


def test_every_check_is_used():
    used = {c.target for c in dlfer.CLAIMS if c.method == "check"}
    assert used == set(dlfer.CHECKS)


def test_checks_run_and_are_named(results):
    for name, res in results.items():
        assert isinstance(res, CheckResult)
        assert res.name == name
        assert res.detail, f"{name} has no detail"
        assert res.failure in ("inconsistent", "implausible")


def test_every_claim_gets_a_verdict(results):
    for c in dlfer.CLAIMS:
        assert judge(c, results).verdict in VERDICTS


# --- pinned verdicts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        # Table 1 = real FER2013: Training 28709, Testing 7178 = PublicTest + PrivateTest
        "total_images", "train_split_size", "test_split_size", "table1_training_per_class",
        "table1_testing_per_class", "table1_arithmetic", "split_80_20", "image_size_48",
        # 82.09 - 66.21 = 15.88 (Sec. 4.1); 100 - 82.09 = 17.91 ~ "around 18%"
        "ablation_increment", "misclassified_share",
        # 82.09 in the abstract, Table 3, Table 5 and Sec. 5
        "headline_accuracy_agrees",
        # 2*80.42*83.99/(80.42+83.99) = 82.166 -> 82.16 reachable from rounded P, R
        "f1_table4",
        # 100 - 80.42 = 19.58; text repeats Table 4; [8] 72.5 and [9] 73.56 in Sec. 1 and Table 5
        "precision_error_share", "table4_vs_text", "intro_vs_table5_cited",
        "table5_years_vs_references", "exceeds_table5", "sota_margin_vs_mdd",
        "cascade_inference_params", "imagenet_size", "class_count",
    ],
)
def test_consistent_checks(results, name):
    assert results[name].consistent is True, results[name]


def test_micro_precision_recall_contradict_accuracy(results):
    # Eqs. (2)-(3) are micro averages, so P = R = accuracy, but Table 4 prints P 80.42,
    # R 83.99 (and F1 82.16) against accuracy 82.09.
    r = results["micro_pr_equal_accuracy"]
    assert r.consistent is False and r.failure == "inconsistent"


def test_eq1_is_not_top1_accuracy(results):
    # Eq. (1) sums TP_i + TN_i over 7 classes: 1 - 2(1 - 0.8209)/7 = 94.88%, not 82.09%.
    r = results["eq1_accuracy_definition"]
    assert r.consistent is False
    assert "94.88%" in r.recomputed and "37.32%" in r.recomputed


def test_image_size_contradiction(results):
    # Sec. 2.1: 48x48 greyscale; Sec. 2.2: "diverse width, height, and depth".
    assert results["image_size_uniform"].consistent is False


def test_hundreds_of_examples(results):
    # "hundreds of labeled examples" (Sec. 2, 2.3) vs 35,887 images.
    assert results["dataset_size_wording"].consistent is False


def test_val_test_gap_implausible(results):
    # Without EF-FER1: validation 57.74 (n~5742) vs test 66.21 (n=7178): z ~ 9.9.
    r = results["ablation_val_test_gap"]
    assert r.consistent is False and r.failure == "implausible"


def test_headline_accuracy_implausible(results):
    # 82.09% > 76% best published + all 568 leaked test duplicates correct (77.9%).
    r = results["accuracy_vs_best_published"]
    assert r.consistent is False and r.failure == "implausible"
    # validation 85.26% likewise
    assert results["validation_vs_best_published"].consistent is False


def test_verdict_summary(results):
    verdicts = {c.id: judge(c, results).verdict for c in dlfer.CLAIMS}
    by_text = {c.reported: verdicts[c.id] for c in dlfer.CLAIMS if c.where == "Abstract"}
    assert by_text["82.09%"] == "implausible"
    assert sum(v == "pending" for v in verdicts.values()) == 2  # the from-scratch ablation runs


# --- private generic helpers: one passing and one failing example each ---------------------------


def test_all_of():
    ok = CheckResult("a", "1", "1", "r", True)
    bad = CheckResult("b", "1", "2", "r", False, failure="implausible")
    assert _all_of("x", [ok, ok], "rule").consistent is True
    res = _all_of("x", [ok, bad], "rule")
    assert res.consistent is False and res.failure == "implausible"


def test_same_everywhere():
    assert _same_everywhere("x", {"A": "82.09%", "B": "82.09"}).consistent is True
    assert _same_everywhere("x", {"A": "82.09%", "B": "82.10"}).consistent is False


def test_table_matches():
    truth = {"a": 10, "b": 20}
    assert _table_matches("x", "w", {"a": "10", "b": 20}, truth, "s").consistent is True
    assert _table_matches("x", "w", {"a": "10", "b": "21"}, truth, "s").consistent is False


def test_count_in_range():
    assert _count_in_range("x", "hundreds", 100, 1000, 420, "s").consistent is True
    assert _count_in_range("x", "hundreds", 100, 1000, 35887, "s").consistent is False


def test_rounds_to_sig():
    assert _rounds_to_sig("x", "one million", 1e6, 1_281_167, 1, "s").consistent is True
    assert _rounds_to_sig("x", "one million", 1e6, 1_600_000, 1, "s").consistent is False


def test_micro_equals_accuracy():
    assert _micro_equals_accuracy("x", "75.00", {"P": "75.00", "R": "75.0"}).consistent is True
    assert _micro_equals_accuracy("x", "75.00", {"P": "75.00", "R": "76.20"}).consistent is False


def test_ovr_mean_accuracy_identity():
    """Sum_i(TP_i+TN_i) / Sum_i(TP_i+TN_i+FP_i+FN_i) on a real confusion matrix = 1 - 2(1-a)/K."""
    rng = np.random.default_rng(0)
    k, n = 7, 5000
    y = rng.integers(0, k, n)
    p = np.where(rng.random(n) < 0.7, y, rng.integers(0, k, n))
    cm = np.zeros((k, k), int)
    np.add.at(cm, (y, p), 1)
    tp = np.diag(cm)
    fp, fn = cm.sum(0) - tp, cm.sum(1) - tp
    tn = n - tp - fp - fn
    eq1 = (tp + tn).sum() / (tp + tn + fp + fn).sum()
    a = tp.sum() / n
    assert eq1 == pytest.approx(_ovr_mean_accuracy(a, k))


def test_ovr_formula_is_top1():
    assert _ovr_formula_is_top1("x", "82.09%", 2).consistent is True  # binary: same thing
    assert _ovr_formula_is_top1("x", "82.09%", 7).consistent is False


def test_proportions_compatible():
    assert _proportions_compatible("x", "a", "80.0", 2000, "b", "81.0", 2000).consistent is True
    res = _proportions_compatible("x", "a", "57.74", 5742, "b", "66.21", 7178)
    assert res.consistent is False and res.failure == "implausible"


def test_exceeds_all():
    assert _exceeds_all("x", "82.09", {"a": "79.34", "b": "70"}).consistent is True
    assert _exceeds_all("x", "78.00", {"a": "79.34", "b": "70"}).consistent is False


def test_margin_detectable():
    assert _margin_detectable("x", "82.09", 7178, "79.34", 3589).consistent is True
    assert _margin_detectable("x", "80.00", 500, "79.34", 500).consistent is False


def test_efficientnet_params_known_values():
    # torchvision's documented parameter counts
    assert _efficientnet_params(1.0, 1.0, 1000) == 5_288_548  # efficientnet_b0
    assert _efficientnet_params(1.2, 1.4, 1000) == 12_233_232  # efficientnet_b3
    assert _efficientnet_params(1.2, 1.4, 7) != 12_233_232


@pytest.mark.slow
def test_efficientnet_params_match_torchvision():
    torchvision = pytest.importorskip("torchvision")
    m = torchvision.models.efficientnet_b3(weights=None, num_classes=7)
    assert sum(p.numel() for p in m.parameters()) == _efficientnet_params(1.2, 1.4, 7)
