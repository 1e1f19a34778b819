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
        "table5_years_vs_references", "exceeds_table5",
        "imagenet_size", "class_count",
    ],
)
def test_consistent_checks(results, name):
    assert results[name].consistent is True, results[name]


def holds(r):
    return [x.holds for x in r.readings]


def test_micro_precision_recall_contradict_accuracy(results):
    # Eqs. (2)-(3) are micro averages, so P = R = accuracy, but Table 4 prints P 80.42,
    # R 83.99 (and F1 82.16) against accuracy 82.09; as macro averages ('the mean precision',
    # 'for each emotion class') the figures are possible on Table 1's test classes.
    r = results["micro_pr_equal_accuracy"]
    assert r.consistent is False and r.failure == "inconsistent"
    assert holds(r) == [False, True]


def test_eq1_is_not_top1_accuracy(results):
    # Eq. (1) sums TP_i + TN_i over 7 classes: 1 - 2(1 - 0.8209)/7 = 94.88%, not 82.09%; as the
    # usual shorthand for correct / all it is top-1 accuracy.
    r = results["eq1_accuracy_definition"]
    assert r.consistent is False
    assert "94.88%" in r.recomputed and "37.32%" in r.recomputed
    assert holds(r) == [False, True]


def test_image_size_contradiction(results):
    # Sec. 2.1: 48x48 greyscale; Sec. 2.2: "diverse width, height, and depth". Read as FER2013
    # it fails; read as the system's inputs with ImageNet (EF-FER1 is trained on it from
    # scratch, and Sec. 2.2 never names its data set) it holds
    assert results["image_size_uniform"].consistent is False
    assert holds(results["image_size_uniform"]) == [False, True]


def test_hundreds_of_examples(results):
    # "hundreds of labeled examples" (Sec. 2, 2.3) vs 35,887 images; per class only disgust (547)
    assert results["dataset_size_wording"].consistent is False
    # ... but the next sentence, both times, speaks of "the abundance of training samples"
    assert holds(results["dataset_size_wording"]) == [False, False, True]


def test_val_test_gap(results):
    # Without EF-FER1: validation 57.74 (n~5742) vs test 66.21 (n=7178): z ~ 9.9 for one model;
    # holds only if the two figures come from different epochs, which Table 3 does not exclude.
    r = results["ablation_val_test_gap"]
    assert r.consistent is False and r.failure == "implausible"
    # (the augmented-validation reading is open: its two effects pull opposite ways; so is a
    # validation part cut in file order, as Keras's validation_split does)
    assert holds(r) == [False, None, None, True]


def test_headline_accuracy_vs_leakage(results):
    # 82.09% > 76% best published + all 568 test images with an exact Training copy correct
    # (77.9%): exact duplicates cannot explain it; augment-then-split (Sec. 3.1 splits the images
    # 'post-preprocessing') could, so the verdict is ambiguous, not implausible
    r = results["accuracy_vs_best_published"]
    assert r.consistent is False and r.failure == "implausible" and "exact" in r.rule
    # with the paper's own best Table 5 entry (79.34%) as the best published figure the bound
    # rises to about 81%, still below 82.09%
    assert holds(r) == [False, False, True] and "augment-then-split" in r.readings[2].reading
    assert "bound 81.0%" in r.readings[1].detail
    # 'surpassing state-of-the-art models' also holds read as the paper's own comparison
    s = results["surpasses_state_of_the_art"]
    assert s.readings[-1].holds and "Table 5" in s.readings[-1].reading
    assert "do not limit" in r.detail  # FER+ agreement and human accuracy are context
    # validation 85.26% likewise
    r = results["validation_vs_best_published"]
    assert r.consistent is False and holds(r) == [False, True]


def test_split_80_20_readings_of_post_preprocessing(results):
    # Sec. 3.1: training "80% of the total images post-preprocessing", testing "the remaining
    # 20%". Table 1's split: 28,709 / 35,887 = 80.0%
    r = results["split_80_20"]
    assert r.consistent and "28,709 / 35,887 = 79.998%" in r.recomputed
    # after Sec. 2.2's balancing replicas: a random split of the enlarged set holds by
    # construction; Table 1's split with both parts raised to Happy (7 x 7,215 and 7 x 1,774)
    # gives 80.3% / 19.7%; replicas in the training part only fail (at most 923 fit in the
    # printed 80%, raising Disgust 436 to Surprise 3,171 alone takes 2,735)
    assert holds(r) == [True, True, True, False]
    assert "enlarged" in r.readings[1].reading and "by construction" in r.readings[1].detail
    assert "50,505" in r.readings[2].detail and "80.3% / 19.7%" in r.readings[2].detail
    assert "923" in r.readings[3].detail and "2,735" in r.readings[3].detail
    assert "87.6%" in r.readings[3].detail
    # the verdict rests on the rule's reading, which holds; the readings are shown with it
    j = judge(next(c for c in dlfer.CLAIMS if c.id == "DLF-32"), results)
    assert j.verdict == "consistent" and len(j.readings) == 4


def test_notes_weigh_the_readings_of_the_split(results):
    # the validation size of DLF-33 and the test size of DLF-48 depend on split_80_20's readings
    # of Sec. 3.1 (DLF-32): Table 1's split, kept by the first reading, gives 5,742 validation
    # (20% of 28,709) and 7,178 test images; the readings with Sec. 2.2's replicas can only
    # enlarge the parts
    by_id = {c.id: c for c in dlfer.CLAIMS}
    assert by_id["DLF-32"].judge == "check:split_80_20"
    note = by_id["DLF-33"].note
    assert "DLF-32" in note and "keep the image count" in note
    assert "about 5,742 validation and 22,967 training" in note and "larger set" in note
    assert "keep the image count" in results["split_80_20"].readings[0].reading
    # DLF-48 counts Table 1's test part, the smallest of the readings' (both parts balanced:
    # 7 x 1,774 = 12,418)
    assert by_id["DLF-48"].n_test == dlfer._N_TEST == int(dlfer._TABLE1_TOTAL[1])
    assert f"{7 * 1774:,} test images" in results["split_80_20"].readings[2].detail
    assert dlfer._N_TEST < 7 * 1774 and "smallest" in by_id["DLF-48"].note
    # the smallest size rules out a test-size artefact only: under augment-then-split the paper's
    # test images are another population, so a difference need not carry over to that reading
    assert "not an artefact of the test size" in by_id["DLF-48"].note
    assert "augment-then-split reading the paper's test images are not the book's" in (
        by_id["DLF-48"].note)
    assert "holds under each of them" not in by_id["DLF-48"].note
    # the details that used to take one reading as fact now name the readings
    assert "20% of Table 1's training set" in results["ablation_val_test_gap"].detail
    assert "80% of an augmented" not in results["cascade_inference_params"].detail
    assert "split_80_20" in results["cascade_inference_params"].detail
    assert "split_80_20" in results["test_split_size"].detail
    assert "split_80_20" in by_id["DLF-45"].note and "(3,589)" in by_id["DLF-45"].note


def test_shares_print_80_20():
    assert dlfer._shares_print_80_20(28709, 7178)
    assert dlfer._shares_print_80_20(28709 + 923, 7178)
    assert not dlfer._shares_print_80_20(28709 + 924, 7178)
    assert not dlfer._shares_print_80_20(50505, 7178)


def test_verdict_summary(results):
    verdicts = {c.id: judge(c, results).verdict for c in dlfer.CLAIMS}
    by_text = {c.reported: verdicts[c.id] for c in dlfer.CLAIMS if c.where == "Abstract"}
    assert by_text["82.09%"] == "ambiguous"
    # 'surpassing state-of-the-art models' shares the headline figure's verdict
    assert by_text["surpassing that of state-of-the-art models"] == "ambiguous"
    assert verdicts["DLF-78"] == "consistent"  # Table 5 as printed, no significance claimed
    assert sum(v == "pending" for v in verdicts.values()) == 2  # the from-scratch ablation runs
    assert not any(v == "implausible" for v in verdicts.values())
    # no verdict against the paper's own numbers survives every reading
    assert not any(v == "inconsistent" for v in verdicts.values())
    assert verdicts["DLF-21"] == "ambiguous"
    assert verdicts["DLF-11"] == "ambiguous"
    assert next(c for c in dlfer.CLAIMS if c.id == "DLF-48").n_test == 7178


def test_summary_words_ambiguous_verdicts_as_readings(results):
    # the accuracy formula (DLF-42) and the test set (DLF-03/04/50) are ambiguous, so the
    # SUMMARY names the reading under which each fails and the one that saves it
    by_id = {c.id: c for c in dlfer.CLAIMS}
    for cid in ("DLF-42", "DLF-03", "DLF-04", "DLF-50", "DLF-47"):
        assert judge(by_id[cid], results).verdict == "ambiguous", cid
    text = dlfer.SUMMARY["difficult"]
    assert "read as the common shorthand" in text and "augmented copies" in text
    for fact in ("formula is not the usual", "The test set merges"):
        assert fact not in text, fact


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


def test_computational_burden_is_true_at_inference_only(results):
    r = results["cascade_inference_params"]
    assert r.consistent is False and holds(r) == [False, True]
    assert "45 times as many" in r.readings[0].detail


def test_table5_figures_are_quoted_not_rerun(results):
    # Table 5 prints the cited works' own figures ([8] 72.5%, [9] 73.56%) to the last digit:
    # 'applying their methodologies' read as re-running them does not fit; as comparing with
    # their published results on the same data set it does
    r = results["table5_figures_quoted"]
    assert r.consistent is False and r.failure == "implausible"
    assert holds(r) == [False, True]


# ---- figures in the prose are computed ----------------------------------------------------


def test_prose_figures_are_computed(results):
    """The details print figures computed from the paper's values (no typed results)."""
    assert "(the relative gain would be 24.0%" in results["ablation_increment"].detail
    assert "100 − 82.09 = 17.91%" in results["misclassified_share"].detail
    assert "2·80.42·83.99/(80.42+83.99) = 82.166" in results["f1_table4"].detail
    assert "corresponds to 37.3% top-1 accuracy" in results["eq1_accuracy_definition"].detail
    d = results["exceeds_table5"].detail
    assert "above all 18 compared figures (best: 79.34% of [27])" in d
    assert "(~10.7 M parameters)" in results["cascade_inference_params"].detail
    d = results["accuracy_vs_best_published"].detail
    assert "humans reach ~65±5%" in d and "majority on 62.6% of images" in d
    note = next(c.note for c in dlfer.CLAIMS if c.text.startswith("The augmentation yielded"))
    assert note.startswith("Table 1's training classes range from 436 (disgust) to 7215 "
                           "(happy), 16.5:1; ")


def test_table5_best_entry_is_found_not_typed(monkeypatch):
    t5 = dict(dlfer._TABLE5)
    t5["[99]"] = ("2024", "test entry", "80.50")
    monkeypatch.setattr(dlfer, "_TABLE5", t5)
    d = dlfer.CHECKS["exceeds_table5"]().detail
    assert "above all 19 compared figures (best: 80.50% of [99])" in d
