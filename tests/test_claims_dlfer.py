"""Ledger of Hussan 2025 (DLFER): verdict pins and architecture arithmetic.

The schema tests shared by all ledgers are in ``tests/test_ledgers.py``.
"""

from __future__ import annotations

import pytest

from fer_repro.claims import CheckResult, dlfer, judge, run_checks
from fer_repro.claims.dlfer import _efficientnet_params


@pytest.fixture(scope="module")
def results() -> dict[str, CheckResult]:
    return run_checks(dlfer.CHECKS)


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


# --- paper-specific helpers (architecture arithmetic) ---------------------------------------


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
