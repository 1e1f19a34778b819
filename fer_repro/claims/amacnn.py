"""Claims ledger of Ali and Jabaar, AMACNN (attention-enhanced multi-scale CNN for FER).

Text: ``../shared/papers/ali_jabaar_amacnn.txt`` (plain-text extraction; figures lost). Every
``reported`` string below is quoted verbatim from that text (the tests check this).

What the paper gives: one results table (Table 4: accuracy, precision, recall, F1 on three Kaggle
data sets, an 80:20 split of each), a comparison table of other works' accuracies (Table 5), the
hyperparameters (Table 2) and a layer summary (Table 3). It gives no per-class figures, no
confusion matrix, no folds, no intervals, no significance test, no ablation, and no parameter
count, FLOPs or latency, so there are no fold/interval/power checks to make.

The third data set of Table 4 (ref. [39], "2nd Facial Expression Dataset (30K images)") is
FER-2013: the Ethics statement names "FER-2013 Dataset" as the third data set, and ref. [39] is
Goodfellow et al. with the Kaggle ``msambare/fer2013`` address, the very layout the book's
``fer2013.npz`` was built from (35,887 images). The other two data sets (refs. [37], [38]) are
Kaggle uploads that are not available here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from ..data.reference import (
    FER2013_BEST_SINGLE_MODEL,
    FER2013_COUNTS,
    FER2013_HUMAN_ACCURACY,
    FER2013_SPLITS,
    FER2013_TOTAL,
    FERPLUS_MAJORITY_AGREEMENT,
)
from .base import CheckResult, Claim, Paper, Reading, Relation, reading_word
from .checks import (
    approx_count_matches,
    augment_then_split_reading,
    contributors_match_authors,
    f1_from_pr,
    leakage_bound,
    leakage_ceiling,
    macro_recall_feasible,
    parse_approx_count,
    parse_number,
    same_items,
    same_value,
    sole_reading,
    sum_exceeds,
    with_detail,
    within_bound,
)

PAPER = Paper(
    key="amacnn",
    title=(
        "An Attention-Enhanced Deep Learning Algorithm for Emotion Pattern Mining in Facial "
        "Recognition"
    ),
    citation=(
        "N. M. Ali and M. A. Jabaar, \"An Attention-Enhanced Deep Learning Algorithm for Emotion "
        "Pattern Mining in Facial Recognition\" (AMACNN), open-access article, CC-BY 4.0. The venue "
        "is not printed in the extracted text; an index lists it under ISSN 2997-9382, vol. 3, "
        "no. 4 (2026)."
    ),
    text_file="ali_jabaar_amacnn.txt",
)

#: The chapter's reproducibility summary (ML Reproducibility Challenge form). Prose only: names
#: that contain digits (FER2013, F1, CK+48, EfficientNet-B3) are fine, but no standalone numbers
#: (counts, percentages, accuracies, years), since every number in the book is computed from
#: check results and experiment records (rule tested in tests/test_ledgers.py).
SUMMARY: dict[str, str] = {
    "scope": (
        "The paper proposes AMACNN, a CNN with parallel multi-scale convolution streams, residual "
        "refinement and spatial attention, trained with a hybrid weighted cross-entropy and focal "
        "loss, and reports accuracy, precision, recall and F1 on several Kaggle "
        "facial-expression data sets, claiming to be better than earlier approaches. Only one of "
        "them, FER2013 (the paper's 'second Facial Expression Dataset'), is available here: the "
        "book re-runs AMACNN on it and checks the paper against itself (abstract, tables and "
        "conclusion), against the documented FER2013 data, against the published state of the "
        "art for FER2013 and against what exact-duplicate leakage could add to it."
    ),
    "easy": (
        "The results table is arithmetically coherent (F1 follows from precision and recall, and "
        "the abstract, the comparison table and the conclusion quote it correctly). The input "
        "size, the kernel sizes of the streams and the train-test proportion are stated "
        "consistently, and the FER2013 data set can be identified from the ethics statement and "
        "its reference, so that part of the study can be set up."
    ),
    "difficult": (
        "The other data sets are Kaggle uploads that are not available here, and no code, "
        "weights or logs were released. The architecture is described only schematically (the "
        "figures are lost; no channel widths or parameter count are given), and the weights of "
        "the hybrid loss, the class weights, the augmentation parameters and the early-stopping "
        "rule are missing. The paper does not say how precision and recall were averaged or "
        "whether the official FER2013 split or a fresh random split was used. The Methods open "
        "with a paragraph copied from an unrelated study, the stated size of FER2013 matches the "
        "cited release only if its test folder was left out, and the reported FER2013 accuracy "
        "is far above anything published for that data set, and more than exact duplicates between "
        "training and test could add; a protocol the paper leaves open, such as augmenting "
        "before splitting, could produce it."
    ),
}
#: the checks that matter most for a reader, most important first
KEY_CHECKS: list[str] = [
    "fer2013_accuracy_vs_duplicate_leakage",
    "fer2013_size_vs_real",
    "methods_paragraph_off_topic",
]

# --------------------------------------------------------------------------------------------
# Facts used by the checks
# --------------------------------------------------------------------------------------------

#: FER-2013 per-class totals over all three official splits (angry ... neutral).
FER2013_CLASS_TOTALS: tuple[int, ...] = tuple(
    int(x) for x in np.sum([FER2013_COUNTS[s] for s in FER2013_SPLITS], axis=0)
)
#: images of FER-2013 that belong to an exact-duplicate group (../shared/data/PROVENANCE.md:
#: "1,516 groups have more than one image, covering 3,369 images").
FER2013_IMAGES_IN_DUPLICATE_GROUPS = 3369
#: official test images (PublicTest + PrivateTest) with a byte-identical copy in Training
FER2013_TEST_WITH_TRAIN_COPY = 280 + 288
#: FER+ majority vote agreement with the FER2013 label and human accuracy (Goodfellow et al.
#: 2013), in percent (fer_repro.data.reference). Context on label noise only: neither limits
#: accuracy against FER2013 labels, which published models exceed.
FERPLUS_AGREEMENT_PCT = 100 * FERPLUS_MAJORITY_AGREEMENT
HUMAN_FER2013_PCT = tuple(100 * x for x in FER2013_HUMAN_ACCURACY)
#: best published single-model FER2013 accuracies are about 73-76% (official PrivateTest).
SOTA_FER2013_UPPER_PCT = 100 * FER2013_BEST_SINGLE_MODEL

# Table 4 as printed: data set -> (accuracy, precision, recall, F1)
TABLE4: dict[str, tuple[str, str, str, str]] = {
    "[37] 1st Facial Expression Dataset (36K)": ("95.4%", "95.3%", "95.5%", "95.4%"),
    "[38] Facial Recognition Dataset (35K)": ("94.7%", "94.6%", "94.8%", "94.7%"),
    "[39] 2nd Facial Expression Dataset (30K) = FER-2013": ("94.8%", "94.8%", "94.9%", "94.8%"),
}
_T4 = list(TABLE4.values())
#: Sec. 3's sizes of the three data sets, as printed (Table 4 rounds them to 36K, 35K and 30K)
SEC3_SIZES: dict[str, str] = {
    "[37]": "approximately 36,000",
    "[38]": "approximately 35,000",
    "[39]": "approximately 30,000",
}
#: the abstract's "more than 100,000 images"
ABSTRACT_TOTAL = 100_000
#: how far an approximate count may lie from the data set's documented size (approx_count_matches)
APPROX_COUNT_TOLERANCE = 0.10
#: the train:test split in percent (Sec. 2 '80:20'; Sec. 3 'Training was allocated 80% and 20%
#: was allocated to testing')
SPLIT_PCT: tuple[int, int] = (80, 20)
#: Table 2's batch size
TABLE2_BATCH = 32
#: Table 3: input side ('128×128×3'), filters per convolutional stream ('64 filters'), the
#: streams' kernels (Streams 1-3) and the fully connected layer ('256 units')
TABLE3_INPUT_SIDE = 128
TABLE3_STREAM_FILTERS = 64
TABLE3_STREAM_KERNELS: tuple[str, ...] = ("3×3", "5×5", "7×7")
TABLE3_FC_UNITS = 256
#: channels after concatenating the streams, and the weights of a fully connected layer on the
#: flattened map if nothing shrinks it (Table 3 lists no pooling and stride 1 everywhere)
_CONCAT_CHANNELS = len(TABLE3_STREAM_KERNELS) * TABLE3_STREAM_FILTERS
_FC_WEIGHTS_UNPOOLED = TABLE3_INPUT_SIDE**2 * _CONCAT_CHANNELS * TABLE3_FC_UNITS


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


def _abstract_vs_table4_max_accuracy() -> CheckResult:
    accs = [row[0] for row in _T4]
    best = max(accs, key=parse_number)
    res = same_value(
        "abstract_vs_table4_max_accuracy",
        "Abstract ('highest accuracy')", "95.4%",
        f"Table 4 maximum of {', '.join(accs)}", best,
    )
    return with_detail(
        res,
        "The abstract's 'highest accuracy of 95.4%' is the largest accuracy in Table 4 (the 36K "
        "Facial Expression Dataset [37]); the two agree.",
    )


def _table5_vs_table4_accuracy() -> CheckResult:
    res = same_value(
        "table5_vs_table4_accuracy", "Table 5 (Proposed AMACNN)", "95.41%",
        "Table 4 (dataset [37])", "95.4%",
    )
    return with_detail(
        res,
        "Table 5's 95.41% rounds to Table 4's 95.4% for the 36K data set; consistent, although "
        "Table 5 does not say which data set its figure is for.",
    )


def _conclusion_vs_table4_accuracy() -> CheckResult:
    res = same_value(
        "conclusion_vs_table4_accuracy", "Conclusion (data set of 'some 36,000 images')", "95.4%",
        "Table 4 (36K images, [37])", "95.4%",
    )
    return with_detail(
        res,
        "The conclusion attributes 95.4% to the data set of some 36,000 images, which is the 36K "
        "row of Table 4 with 95.4%; consistent.",
    )


def _table4_f1(name: str, row: int) -> CheckResult:
    label = list(TABLE4)[row]
    _, p, r, f1 = _T4[row]
    res = f1_from_pr(name, p, r, f1)
    return with_detail(
        res,
        f"Table 4, {label}: the printed F1 {f1} lies within the harmonic-mean range allowed by the "
        f"printed precision {p} and recall {r}.",
    ) if res.consistent else with_detail(
        res,
        f"Table 4, {label}: F1 {f1} cannot be the harmonic mean of precision {p} and recall {r}, "
        "even allowing for rounding.",
    )


def _table4_recall_vs_accuracy_averaging() -> CheckResult:
    acc, _, rec, _ = _T4[2]
    res = macro_recall_feasible(
        "table4_recall_vs_accuracy_averaging", acc, rec, FER2013_CLASS_TOTALS
    )
    diffs = [parse_number(r[2]) - parse_number(r[0]) for r in _T4]
    pr_gap = {ds.split()[0]: abs(parse_number(r[1]) - parse_number(r[2]))
              for ds, r in TABLE4.items()}
    widest = max(pr_gap.values())
    widest_rows = [ds for ds, g in pr_gap.items() if math.isclose(g, widest)]
    mid = (parse_number(acc) + parse_number(rec)) / 2
    return with_detail(
        res,
        paper_value=(
            "Table 4 accuracy/recall: " + "; ".join(f"{r[0]}/{r[2]}" for r in _T4)
            + " (FER-2013 row checked with its class proportions)"
        ),
        detail=(
            f"In every row of Table 4 recall exceeds accuracy by {max(diffs):.1f} point, and in rows "
            f"{' and '.join(widest_rows)} precision and recall differ by {widest:.1f} points, so "
            "the averages are not micro "
            "(P = R = accuracy), and weighted averaging (R = accuracy) would need every true value to "
            "sit exactly on a rounding boundary; the paper does not state the averaging. As macro "
            "averages the figures are arithmetically possible: for FER-2013 even equal per-class "
            f"recalls of {mid:.2f}% round to both the {acc} accuracy and the {rec} recall."
        ),
    )


def _table4_metrics_similar() -> CheckResult:
    spreads = [max(parse_number(x) for x in row) - min(parse_number(x) for x in row) for row in _T4]
    ok = max(spreads) <= 1.0
    return CheckResult(
        "table4_metrics_similar",
        "precision, recall and F1 'more or less similar' in all three data sets",
        "max-min spread of accuracy/P/R/F1 per row: "
        + ", ".join(f"{s:.1f} pt" for s in spreads),
        "'more or less similar' taken as a spread of at most 1 percentage point per row",
        ok,
        detail=f"Within each Table 4 row the four metrics differ by at most {max(spreads):.1f} "
        "points" + (", as the text says." if ok else ", more than 'more or less similar' allows."),
    )


@dataclass(frozen=True)
class Fer2013Data:
    """One reading of the FER-2013 data [39] that Sec. 3 sizes at 'approximately 30,000'; AMA-31
    (fer2013_size_vs_real) and, through the total of the three data sets, AMA-01
    (dataset_total_vs_abstract) weigh the same readings."""

    reading: str  # how the paper's words are read
    images: int  # the images [39] has under this reading
    cited: bool  # whether the data is then the release the paper cites as [39]
    note: str  # what else speaks for or against the reading


def _fer2013_data_readings() -> tuple[Fer2013Data, ...]:
    """The readings of the paper's FER-2013 data [39]: the whole cited release, its train folder,
    another upload of about the printed size."""
    printed = int(parse_approx_count(SEC3_SIZES["[39]"]))
    return (
        Fer2013Data("the whole cited release (Kaggle msambare/fer2013, both folders)",
                    FER2013_TOTAL, True, ""),
        Fer2013Data("the train folder of the cited release, which the paper then split 80:20",
                    sum(FER2013_COUNTS["Training"]), True,
                    "the paper never says it left the test folder out, but nothing it says "
                    "excludes it"),
        Fer2013Data(f"another Kaggle upload of FER-2013 with about {printed:,} images", printed,
                    False,
                    "but the statement is about the data set the paper cites as [39], whose "
                    f"address is msambare/fer2013 ({FER2013_TOTAL:,} images); a different upload "
                    "would make the count right and the reference wrong"),
    )


def _count_rounding(printed: str) -> float:
    """Half the unit an approximate count is printed to ('approximately 36,000' -> 500): how far
    the real size can exceed the printed one and still be printed so."""
    digits = "".join(ch for ch in printed if ch.isdigit())
    return 0.5 * 10 ** (len(digits) - len(digits.rstrip("0")))


def _total_parts(data: Fer2013Data) -> tuple[float, float, float]:
    """The abstract's total with [39] read as `data` and [37], [38] at their printed sizes:
    (the total, what it lacks of :data:`ABSTRACT_TOTAL` (0 when above it), how much the rounding
    of the [37] and [38] sizes can hide)."""
    others = [SEC3_SIZES[k] for k in ("[37]", "[38]")]
    total = sum(parse_approx_count(x) for x in others) + data.images
    return total, max(ABSTRACT_TOTAL - total, 0.0), sum(_count_rounding(x) for x in others)


def _total_under(data: Fer2013Data) -> Reading:
    """Whether the abstract's 'more than 100,000 images' holds with [39] read as `data` and [37],
    [38] at their printed sizes: holds above the bound; open when the shortfall is less than the
    rounding of those two sizes can hide (their real sizes are not available here); else fails."""
    others = [SEC3_SIZES[k] for k in ("[37]", "[38]")]
    total, short, slack = _total_parts(data)
    rest = total - data.images
    sums = f"{rest:,.0f} + {data.images:,} = {total:,.0f} images"
    if total > ABSTRACT_TOTAL:
        return Reading(data.reading, True, f"{sums}, more than {ABSTRACT_TOTAL:,}")
    if short < slack:
        return Reading(
            data.reading, None,
            f"{sums}, {short:,.0f} short of {ABSTRACT_TOTAL:,}; but [37] and [38] are sized "
            f"only to the thousand ('{others[0]}', '{others[1]}'), so their real sizes can "
            f"exceed the printed ones by up to {slack:,.0f} together, and those data sets are "
            "not available here (AMA-29, AMA-30): the total can be shown neither above nor "
            "below the abstract's figure")
    return Reading(data.reading, False,
                   f"{sums}, {short:,.0f} short of {ABSTRACT_TOTAL:,}, more than the rounding "
                   f"of the [37] and [38] sizes can hide ({slack:,.0f})")


def _folder_total() -> tuple[str, Reading]:
    """The abstract's total with [39] read as the train folder of the cited release (the reading
    under which AMA-31's size holds), as a clause that follows the reading's outcome (above the
    bound; short by less than the rounding of the other two sizes can hide; short by more), and
    that reading."""
    data = next(d for d in _fer2013_data_readings()
                if d.images == sum(FER2013_COUNTS["Training"]))
    reading = _total_under(data)
    total, short, slack = _total_parts(data)
    sums = f"{total - data.images:,.0f} + {data.images:,} = {total:,.0f} images"
    if reading.holds:
        return f"{sums}, more than {ABSTRACT_TOTAL:,}", reading
    side = "less" if reading.holds is None else "more"
    clause = (f"{sums}, {short:,.0f} short of {ABSTRACT_TOTAL:,}, {side} than the rounding of "
              f"the other two sizes can hide ({slack:,.0f})")
    return clause, reading


def _dataset_total_vs_abstract() -> CheckResult:
    res = sum_exceeds(
        "dataset_total_vs_abstract",
        [f"{parse_approx_count(x):,.0f}" for x in SEC3_SIZES.values()], ABSTRACT_TOTAL, "images",
    )
    data = _fer2013_data_readings()
    readings = tuple(_total_under(d) for d in data)
    by_size = {d.images: r for d, r in zip(data, readings, strict=True)}
    whole = by_size[FER2013_TOTAL]
    folder_total, folder = _folder_total()
    res = with_detail(
        res,
        f"The three approximate sizes in Sec. 3 add up to {res.recomputed.rsplit(' = ', 1)[1]}, "
        f"{'just above' if res.consistent else 'not above'} the abstract's 'more than "
        f"{ABSTRACT_TOTAL:,} images'. The FER-2013 part "
        "depends on which data the paper used, read as in AMA-31 (fer2013_size_vs_real): as the "
        f"whole cited release the total is {whole.detail.split(', ')[0]}; as its "
        f"train folder, the one reading under which AMA-31's size holds, it is "
        f"{folder_total}, so the abstract's figure is then {reading_word(folder)} (see the "
        "readings).",
    )
    return res.with_readings(*readings)


def _size_under(data: Fer2013Data, printed: str) -> Reading:
    """Whether Sec. 3's approximate size of [39] (`printed`) holds with the data read as `data`:
    the count within :data:`APPROX_COUNT_TOLERANCE`, and the data the release the paper cites
    as [39]."""
    fit = approx_count_matches("_", "", printed, data.images, "", APPROX_COUNT_TOLERANCE)
    detail = (f"{data.images:,} images, {fit.recomputed.rsplit('; ', 1)[1]} from "
              f"{parse_approx_count(printed):,.0f}, {'within' if fit.consistent else 'beyond'} "
              f"the {APPROX_COUNT_TOLERANCE:.0%} an approximate count is allowed")
    return Reading(data.reading, fit.consistent and data.cited,
                   detail + (f"; {data.note}" if data.note else ""))


def _fer2013_size_vs_real() -> CheckResult:
    printed = SEC3_SIZES["[39]"]
    res = approx_count_matches(
        "fer2013_size_vs_real",
        "FER-2013 ([39], '2nd Facial Expression Dataset')",
        printed,
        FER2013_TOTAL,
        "Kaggle msambare/fer2013 as cited in [39]; fer_repro.data.reference",
        APPROX_COUNT_TOLERANCE,
    )
    train = sum(FER2013_COUNTS["Training"])
    res = with_detail(
        res,
        f"The paper sizes the FER-2013 data set [39] at about {parse_approx_count(printed):,.0f} "
        f"images (Sec. 3; '30K' in Table 4), but the cited Kaggle release has {FER2013_TOTAL:,} "
        f"({train:,} in its train folder + {FER2013_TOTAL - train:,} in its test folder), i.e. "
        "'36K'.",
    )
    return res.with_readings(*(_size_under(d, printed) for d in _fer2013_data_readings()))


def _split_parts(data: Fer2013Data) -> tuple[int, int]:
    """The training and test parts of the paper's 80:20 split with [39] read as `data`: the test
    part is :data:`SPLIT_PCT`'s share of the images rounded down (so at most the paper's, however
    it rounded), the training part the rest."""
    test = data.images * SPLIT_PCT[1] // 100
    return data.images - test, test


def _split_shares(train: int, test: int) -> tuple[int, int]:
    """The training and test shares of a split, in whole percent rounded half up, as a paper
    prints them ((0, 0) for an empty split)."""
    n = train + test
    if n == 0:
        return 0, 0
    return math.floor(100 * train / n + 0.5), math.floor(100 * test / n + 0.5)


def _split_under(data: Fer2013Data) -> Reading:
    """Whether the 80:20 split can be drawn on [39] read as `data`: holds when a random split
    (:func:`_split_parts`) or, on the whole cited release, the official split has two non-empty
    parts whose shares round to the printed :data:`SPLIT_PCT`; with the parts each gives."""
    train, test = _split_parts(data)
    candidates = [(train, test)]
    shares = _split_shares(train, test)
    detail = (f"a random split gives {train:,} training and {test:,} test images "
              f"({shares[0]}% / {shares[1]}%)")
    if data.images == FER2013_TOTAL:
        official = sum(FER2013_COUNTS["Training"])
        candidates.append((official, FER2013_TOTAL - official))
        detail += (f"; the official split ({official:,} / {FER2013_TOTAL - official:,}) is "
                   f"itself {100.0 * official / FER2013_TOTAL:.1f}% training, and the paper does "
                   "not say which of the two it used")
    elif data.cited:
        detail += "; the official test folder is then unused"
    holds = any(min(c) > 0 and _split_shares(*c) == SPLIT_PCT for c in candidates)
    if not holds:
        detail += (f"; no split of these images has parts that round to the printed "
                   f"{SPLIT_PCT[0]}% and {SPLIT_PCT[1]}%")
    return Reading(data.reading, holds, detail)


def _split_80_20() -> CheckResult:
    train_folder = sum(FER2013_COUNTS["Training"])
    official = 100.0 * train_folder / FER2013_TOTAL
    a = same_value("split_80_20", "Sec. 2 ('80:20')", "80", "Sec. 3 ('80% ... 20%')", "80")
    b = same_value("split_80_20", "Sec. 2", "80", "FER-2013 official Training share",
                   f"{official:.1f}")
    data = _fer2013_data_readings()
    readings = tuple(_split_under(d) for d in data)
    tests = ", ".join(f"{_split_parts(d)[1]:,}" for d in data)
    return CheckResult(
        "split_80_20",
        "Sec. 2: 80:20 split; Sec. 3: training 80%, testing 20%",
        f"FER-2013 official split: {train_folder:,} / {FER2013_TOTAL:,} = {official:.2f}% "
        f"training (official share {'matches' if b.consistent else 'differs from'} 80); "
        f"{SPLIT_PCT[1]}% test part under AMA-31's readings of [39]: {tests} images",
        "the two sections' quoted shares (Sec. 2 '80:20', Sec. 3 '80% ... 20%'; a comparison of "
        "two quotations) must agree, and under each reading of the data some split (a random "
        f"one whose test part is {SPLIT_PCT[1]}% of the images rounded down, or on the whole "
        "release the official one) must have non-empty parts whose shares round to the printed "
        f"{SPLIT_PCT[0]}% and {SPLIT_PCT[1]}%",
        a.consistent and all(r.holds for r in readings),
        detail="Both sections state an 80:20 train/test split, and it can be drawn under "
        f"{'each' if all(r.holds for r in readings) else 'only some'} "
        "of AMA-31's readings of the FER-2013 data the paper used (see the readings, which give "
        "the parts): on the whole cited release the official split is itself "
        f"{official:.1f}:{100 - official:.1f}, and the paper does not say whether it used that "
        "split or a fresh random one (which would leak exact duplicates); on its train folder "
        "alone, the one reading under which AMA-31's size holds, the test part is "
        f"{SPLIT_PCT[1]}% of {train_folder:,} images, not the official test folder.",
        readings=readings,
    )


def _input_size_text_vs_table3() -> CheckResult:
    res = same_items(
        "input_size_text_vs_table3",
        "Sec. 2 ('128×128 pixels')", ["128", "128"],
        "Table 3 ('128×128×3', spatial part)", [str(TABLE3_INPUT_SIDE)] * 2,
    )
    return with_detail(
        res,
        "Sec. 2 and Table 3 give the same 128×128 input (Table 3 adds 3 channels); consistent, "
        "although FER-2013 images are 48×48 grayscale and must be upsampled and replicated.",
    )


def _kernel_sizes_text_vs_table3() -> CheckResult:
    res = same_items(
        "kernel_sizes_text_vs_table3",
        "Sec. 2 (Multi-scale Feature Extraction)", ["3×3", "5×5", "7×7"],
        "Table 3 (Streams 1-3)", list(TABLE3_STREAM_KERNELS),
    )
    return with_detail(
        res,
        "The three parallel streams have 3×3, 5×5 and 7×7 kernels in both the text and Table 3.",
    )


def _fer2013_accuracy_vs_sota() -> CheckResult:
    res = within_bound(
        "fer2013_accuracy_vs_sota", "94.8%", SOTA_FER2013_UPPER_PCT,
        "best published single-model FER-2013 accuracies are about 73-76%",
    )
    claimed = _T4[2][0]
    res = with_detail(
        res,
        f"Table 4 reports {claimed} accuracy on FER-2013 [39], about "
        f"{parse_number(claimed) - SOTA_FER2013_UPPER_PCT:.0f} points above the best published "
        "single models (about 73-76%); no architectural change of this kind is known to close such "
        "a gap on FER-2013.",
    )
    table5_others = {"[34]": "92.05", "[35]": "94.36", "[36]": "94.46"}
    best = max(table5_others.values(), key=parse_number)
    return res.with_readings(
        Reading("top-level among published results on FER-2013, the one data set of Table 4 "
                "that can be placed among them", False,
                f"94.8% against about {SOTA_FER2013_UPPER_PCT:.0f}% for the best published single "
                "models"),
        Reading("top-level relative to the works the paper compares with in Table 5", 
                parse_number("95.41") > parse_number(best),
                f"AMACNN's 95.41% is above the best other Table 5 entry ({best}%); the sentence "
                "follows the Table 5 comparison, although those works address other tasks and "
                "data (table5_like_for_like)"),
    )


def _fer2013_accuracy_vs_duplicate_leakage() -> CheckResult:
    clean = SOTA_FER2013_UPPER_PCT / 100.0
    f_random = FER2013_IMAGES_IN_DUPLICATE_GROUPS / FER2013_TOTAL
    f_official = FER2013_TEST_WITH_TRAIN_COPY / (FER2013_TOTAL - sum(FER2013_COUNTS["Training"]))
    res = leakage_ceiling(
        "fer2013_accuracy_vs_duplicate_leakage", "94.8%", f_random, clean,
        "exact duplicates counted as solved, best published accuracy on the rest",
    )
    b_random, b_official = leakage_bound(f_random, clean), leakage_bound(f_official, clean)
    res = with_detail(
        res,
        f"Exact duplicates cannot explain 94.8%: even if every test image that can have a "
        f"byte-identical copy in training (at most {f_random:.1%} of a random 80:20 split, the "
        f"{FER2013_IMAGES_IN_DUPLICATE_GROUPS:,} of {FER2013_TOTAL:,} images that are in "
        f"duplicate groups; {f_official:.1%} of the official test "
        f"split) were classified correctly and the rest at the best published "
        f"{SOTA_FER2013_UPPER_PCT:.0f}%, accuracy would be at most {100 * b_random:.1f}% "
        f"({100 * b_official:.1f}% on the official split). Near-duplicates and augmented copies are "
        "another matter (see the readings). For context, the FER+ 10-annotator majority agrees "
        f"with the FER-2013 label on {FERPLUS_AGREEMENT_PCT:.1f}% of images and human accuracy is "
        "about "
        f"{HUMAN_FER2013_PCT[0]:.0f} +/- {HUMAN_FER2013_PCT[1]:.0f}%: measures of label noise, not "
        "limits on accuracy against FER-2013 labels, which published models exceed.",
    )
    return res.with_readings(
        Reading("the 80:20 split drawn at random from the pooled images, exact duplicates the "
                "only leakage", False, f"bound {100 * b_random:.1f}%"),
        Reading("the official FER-2013 split (also 80:20), exact duplicates the only leakage",
                False, f"bound {100 * b_official:.1f}%"),
        augment_then_split_reading(
            "94.8%", clean,
            "The paper does not say whether its 80:20 split is the official one or when it was "
            "drawn: Algorithm 1 lists augmentation among the preprocessing of the acquired data "
            "('to generate a robust training set', step 1c) and has no split step, while Sec. 2's "
            "'directed at the training set alone' says which images were augmented but not "
            "whether the split came first"),
    )


def _table5_like_for_like() -> CheckResult:
    res = CheckResult(
        "table5_like_for_like",
        "Table 5: [34] 92.05%, [35] 94.36%, [36] 94.46% vs Proposed AMACNN 95.41%, as evidence that "
        "AMACNN 'is better than conventional approaches'",
        "the paper's own Sec. 1/Table 1: [35] is a multimodal (facial + speech + EEG) fear-"
        "recognition system; [36] recognises student-learning emotions in a specific population; "
        "[34]'s data set is not named; AMACNN is static-image only on Kaggle sets [37]-[39]",
        "a comparison table supports superiority only if all methods are scored on the same data "
        "and task",
        False,
        failure="inconsistent",
        detail="By the paper's own description the compared works address other tasks and data "
        "(a multimodal EEG/speech fear recogniser, a student-emotion study), so the accuracies in "
        "Table 5 are not comparable with AMACNN's and cannot show that it is better.",
    )
    return res.with_readings(
        Reading("'better than conventional approaches' on comparable data and task, as shown by "
                "the Table 5 comparison", False,
                "the sentence offers Table 5 as the evidence ('Table 5 and Figure 8 show the "
                "evaluation of proposed AMACNN and traditional methods'), and by the paper's own "
                "description its rows are other tasks and data"),
        Reading("'better' as printed: a higher accuracy than every figure Table 5 lists", True,
                "95.41% exceeds 92.05%, 94.36% and 94.46%; the precision, recall and F1 half has "
                "no compared figures, so nothing shows it either way"),
    )


def _methods_paragraph_off_topic() -> CheckResult:
    res = CheckResult(
        "methods_paragraph_off_topic",
        "Sec. 2 opens: 'The present study employs a numerical-analytical method to postulate the "
        "thermal performance of heat exchangers by nanofluids under turbulent flow' [9]",
        "the paper studies static-image facial emotion recognition (title, abstract, Secs. 2-3); "
        "ref. [9] is Gursesli et al., a lightweight-CNN FER paper, not a nanofluid study",
        "a statement about 'the present study' must describe the study reported",
        False,
        failure="inconsistent",
        detail="The first paragraph of 'Materials and Methods' describes a nanofluid heat-exchanger "
        "simulation that has nothing to do with the paper, apparently pasted from another "
        "manuscript, and cites a FER paper for it.",
    )
    return sole_reading(
        res, "'The present study employs' can only refer to this paper, which has no heat "
        "exchanger, nanofluid or turbulent flow anywhere else",
        reading="the sentence describes the present study, as it says")


def _author_contributions_vs_byline() -> CheckResult:
    res = contributors_match_authors(
        "author_contributions_vs_byline",
        ["Nadia Mahmood Ali", "Munera A. Jabaar"],
        ["N.M.A.", "S.A.L.", "D.H.H.", "A.G.H.R."],
    )
    res = with_detail(
        res,
        "The by-line lists two authors (N.M.A., M.A.J.), but the contribution statement credits "
        "N.M.A., S.A.L., D.H.H. and A.G.H.R.: three contributors are not authors and M.A.J. is not "
        "credited (S.A.L. has the initials of the first author of ref. [5], S. A. Lafta). A "
        "section headed 'Author Contributions' that credits three people absent from the "
        "by-line is the fault; the uncredited co-author is a further omission.",
    )
    return sole_reading(
        res, "the statement ends 'all authors have read and agreed to the published version', so "
        "it is about the authors; a co-author (M.A.J.) credited with nothing cannot be read away",
        reading="the contribution statement credits the paper's authors")


CHECKS: dict[str, Callable[[], CheckResult]] = {
    "abstract_vs_table4_max_accuracy": _abstract_vs_table4_max_accuracy,
    "dataset_total_vs_abstract": _dataset_total_vs_abstract,
    "methods_paragraph_off_topic": _methods_paragraph_off_topic,
    "input_size_text_vs_table3": _input_size_text_vs_table3,
    "split_80_20": _split_80_20,
    "kernel_sizes_text_vs_table3": _kernel_sizes_text_vs_table3,
    "fer2013_size_vs_real": _fer2013_size_vs_real,
    "table4_recall_vs_accuracy_averaging": _table4_recall_vs_accuracy_averaging,
    "table4_metrics_similar": _table4_metrics_similar,
    "table4_f1_dataset37": partial(_table4_f1, "table4_f1_dataset37", 0),
    "table4_f1_dataset38": partial(_table4_f1, "table4_f1_dataset38", 1),
    "table4_f1_fer2013": partial(_table4_f1, "table4_f1_fer2013", 2),
    "fer2013_accuracy_vs_sota": _fer2013_accuracy_vs_sota,
    "fer2013_accuracy_vs_duplicate_leakage": _fer2013_accuracy_vs_duplicate_leakage,
    "table5_vs_table4_accuracy": _table5_vs_table4_accuracy,
    "table5_like_for_like": _table5_like_for_like,
    "conclusion_vs_table4_accuracy": _conclusion_vs_table4_accuracy,
    "author_contributions_vs_byline": _author_contributions_vs_byline,
}

# --------------------------------------------------------------------------------------------
# The claims, in reading order
# --------------------------------------------------------------------------------------------

_NO_CODE = (
    "a stated training setting (an input, not an outcome); no code, weights or logs were released "
    "to confirm it; the book's AMACNN run adopts it"
)
_NO_ARCH_CODE = (
    "architecture description without released code; nothing numeric to reproduce (no parameter "
    "count is reported); the book's implementation follows it"
)
_D37 = (
    "data set [37] (Kaggle 'Facial Expression Dataset' by A. Singhal) is not available here"
)
_D38 = "data set [38] (Kaggle 'Face Recognition Dataset' by V. Patel) is not available here"
_OTHER = "accuracy of another work in Table 5; its data set and protocol are not given"
_FRAC = "fraction"


def _test_parts() -> dict[str, int]:
    """The paper's test part under each of AMA-31's readings of its FER-2013 data [39]:
    reading -> images."""
    return {d.reading: _split_parts(d)[1] for d in _fer2013_data_readings()}


#: the paper's test part for FER-2013: the smallest the readings of its data allow, which gives
#: the paper's figure its widest sampling interval (see _N_TEST_NOTE)
_N_TEST = min(_test_parts().values())
_N_TEST_NOTE = (
    f"n_test is the paper's {SPLIT_PCT[1]}% test part (Sec. 2-3), whose size depends on which "
    f"FER-2013 data it used, read as in AMA-31 ({SPLIT_PCT[1]}% of the images, rounded down): "
    + "; ".join(f"{n:,} if [39] is {how}" for how, n in _test_parts().items())
    + f". The smallest, {_N_TEST:,}, is counted: a larger test part only narrows the paper's "
    "sampling interval, so a difference shown with the smallest (a negative verdict) is shown "
    "under every reading. A *reproduced* verdict is not guaranteed to hold under every reading: "
    "fer_repro.stats.agreement tests for a difference before it tests for equivalence, so for "
    "an estimate near the edge of the smallest part's interval a larger test part can show the "
    "small difference as nonzero and turn *reproduced* into a negative verdict. Read as the "
    "official split, the paper's 20% is PublicTest and PrivateTest "
    f"together ({sum(FER2013_COUNTS['PublicTest']) + sum(FER2013_COUNTS['PrivateTest']):,} "
    "images); the book validates on PublicTest and scores PrivateTest alone "
    f"({sum(FER2013_COUNTS['PrivateTest']):,}), a sample of the same test distribution, and its "
    "interval counts that smaller size.")
#: the smallest training part the readings of the FER-2013 data allow, and the iterations one
#: epoch then takes at Table 2's batch size (AMA-16)
_FEWEST_TRAIN = min(_split_parts(d)[0] for d in _fer2013_data_readings())
_FEWEST_ITERATIONS = -(-_FEWEST_TRAIN // TABLE2_BATCH)


#: how a reading's outcome (:func:`reading_word`) reads after "the claim"
_OUTCOME_VERB: dict[str, str] = {
    "holds": "holds", "fails": "fails", "open": "is open (neither shown nor refuted)"}


def _random_8020(metric: str) -> tuple[str, str]:
    """The other reading of the paper's '80:20 split': a random image-level split of the pooled
    images, judged by the book's run of that protocol."""
    return ("the 80:20 split drawn at random from the pooled FER-2013 images",
            f"amacnn/fer2013_random8020_test_{metric}")

CLAIMS: list[Claim] = [
    # ---- Abstract -------------------------------------------------------------------------
    Claim(
        "AMA-01",
        "AMACNN is assessed on three large facial-emotion databases with more than 100,000 images "
        "in total (Sec. 3: about 36,000 + 35,000 + 30,000).",
        "more than 100,000 images", "Abstract", "data", "check:dataset_total_vs_abstract",
        value=100000, unit="images",
        note="The FER-2013 part of the total is read as in AMA-31 (the same readings): under the "
        "train-folder reading, the one under which AMA-31's size holds, the total is "
        f"{_folder_total()[0]}, so the claim "
        f"{_OUTCOME_VERB[reading_word(_folder_total()[1])]} under that reading.",
    ),
    Claim(
        "AMA-02",
        "AMACNN reaches its highest accuracy of 95.4% (Table 4 maximum: 95.4% on data set [37]).",
        "95.4%", "Abstract", "performance", "check:abstract_vs_table4_max_accuracy",
        value=0.954, unit=_FRAC,
    ),
    Claim(
        "AMA-03",
        "Precision, recall and F1 are balanced across all the emotion classes.",
        "balanced across all the emotions classes", "Abstract", "performance",
        "untestable:no per-class precision, recall or F1 is printed (Table 4 gives only averages; "
        "Fig. 6 is lost and by its caption shows the same data-set-level metrics), so there is no "
        "per-class figure to check",
    ),
    Claim(
        "AMA-04",
        "A hybrid loss (weighted cross-entropy + focal loss) makes the model more sensitive to "
        "under-represented classes.",
        "combination of weighted cross-entropy loss and focal loss", "Abstract", "method",
        "untestable:no per-class or minority-class results and no loss ablation are reported, and "
        "the mixing weight of the two terms and the class weights are not given",
    ),
    Claim(
        "AMA-05",
        "The results support the generalizability and robustness of the algorithm (aim 3 of "
        "Sec. 1: generalization across multiple data sets).",
        "support the generalizability and robustness", "Abstract", "performance",
        "untestable:each data set is trained and tested on its own 80:20 split; no cross-data-set "
        "or lighting/pose/occlusion-stratified figure is reported to reproduce",
        note="Sec. 3 also states robustness to lighting, pose and occlusion changes without any "
        "figure for it.",
    ),
    # ---- Sec. 2 Materials and Methods -----------------------------------------------------
    Claim(
        "AMA-06",
        "Materials and Methods opens by stating that the study uses a numerical-analytical method "
        "for the thermal performance of nanofluid heat exchangers under turbulent flow [9].",
        "numerical-analytical method to postulate the thermal performance of heat exchangers",
        "Sec. 2", "method", "check:methods_paragraph_off_topic",
    ),
    Claim(
        "AMA-07",
        "All images are uniformly resized to 128×128 pixels.",
        "128×128", "Sec. 2", "protocol", "check:input_size_text_vs_table3",
        value=128, unit="pixels (side)",
    ),
    Claim(
        "AMA-08",
        "The data are divided 80:20 into training and testing parts.",
        "80:20", "Sec. 2", "protocol", "check:split_80_20", value=0.8, unit="training fraction",
        note="Whether the official FER-2013 split or a random re-split was used is not stated.",
    ),
    Claim(
        "AMA-09",
        "Augmentation (geometric and photometric transforms, simulated occlusions) is applied to "
        "the training set only.",
        "Data augmentation is directed at the training set alone", "Sec. 2", "protocol",
        "untestable:the augmentation types are named but none of their parameters are given, and "
        "no code was released",
    ),
    Claim(
        "AMA-10",
        "Training uses Adam, dropout, L2 regularization and early stopping.",
        "Adam optimization, dropout techniques, L2 regularization, and early stopping", "Sec. 2",
        "protocol",
        "untestable:the early-stopping criterion and patience are not given and no code or logs "
        "were released",
        note="Early stopping makes Table 2's 45 epochs an upper bound rather than the run length.",
    ),
    Claim(
        "AMA-11",
        "Multi-scale extraction: parallel convolutional streams with 3×3, 5×5 and 7×7 kernels, "
        "batch normalization and nonlinearity, concatenated and refined by ResNet-style residual "
        "blocks.",
        "3×3 , 5×5 and 7×7", "Sec. 2", "method", "check:kernel_sizes_text_vs_table3",
    ),
    Claim(
        "AMA-12",
        "A spatial attention branch computes weights on the concatenated multi-scale feature maps "
        "and applies them element-wise.",
        "calculates the weights of attention on the concatenated multi-scale feature maps",
        "Sec. 2", "method", f"untestable:{_NO_ARCH_CODE}",
        note="Algorithm 1 (step 4a) and Table 3 place the attention after the residual blocks "
        "('over the refined feature maps'); the text says on the concatenated maps. Both readings "
        "fit 'concatenated maps refined by residual blocks'; the book follows Algorithm 1.",
    ),
    Claim(
        "AMA-13",
        "Incorporating attention enhances classification performance (aim 2 of Sec. 1: evaluate "
        "multi-scale convolution and spatial attention).",
        "Incorporating the aspect of attention enhances the performance of the classification",
        "Sec. 2", "method",
        "untestable:no ablation (with/without attention or multi-scale streams) is reported, so "
        "there is no gain to compare; a FER-2013 ablation of the book could only test the direction",
    ),
    # ---- Table 2 hyperparameters ----------------------------------------------------------
    Claim("AMA-14", "Initial learning rate of the Adam optimizer is 0.0005.", "0.0005", "Table 2",
          "protocol", f"untestable:{_NO_CODE}", value=0.0005, unit="learning rate"),
    Claim("AMA-15", "Batch size is 32.", "32", "Table 2", "protocol", f"untestable:{_NO_CODE}",
          value=32, unit="images per batch"),
    Claim(
        "AMA-16", "Training runs for 45 epochs ('Total number of training iterations').", "45",
        "Table 2", "protocol", f"untestable:{_NO_CODE}", value=45, unit="epochs",
        note="Table 2 describes epochs as 'training iterations'; at batch "
        f"{TABLE2_BATCH} one epoch is at least {_FEWEST_ITERATIONS:,} iterations ({_FEWEST_TRAIN:,} "
        "training images, the smallest training part under AMA-31's readings of the FER-2013 "
        "data), so 45 can only be epochs (and, with early stopping, a maximum).",
    ),
    Claim("AMA-17", "Dropout probability for the fully connected layers is 0.4.", "0.4", "Table 2",
          "protocol", f"untestable:{_NO_CODE}", value=0.4, unit="probability"),
    Claim("AMA-18", "Weight decay (L2 coefficient) is 0.0001.", "0.0001", "Table 2", "protocol",
          f"untestable:{_NO_CODE}", value=0.0001, unit="L2 coefficient"),
    Claim("AMA-19", "Focal loss gamma is 2.0.", "2.0", "Table 2", "protocol",
          f"untestable:{_NO_CODE}", value=2.0, unit="focusing parameter"),
    Claim("AMA-20", "Focal loss alpha is 0.25.", "0.25", "Table 2", "protocol",
          f"untestable:{_NO_CODE}", value=0.25, unit="balancing parameter",
          note="A single scalar alpha of 0.25 for a multi-class problem is not explained; the "
          "weighting between focal and weighted cross-entropy terms is not given."),
    # ---- Table 3 architecture -------------------------------------------------------------
    Claim("AMA-21", "Input layer is 128×128×3.", "128×128×3", "Table 3", "method",
          "check:input_size_text_vs_table3", value=TABLE3_INPUT_SIDE, unit="pixels (side)",
          note="FER-2013 is 48×48 grayscale: the input must be upsampled and replicated to 3 "
          "channels."),
    Claim(
        "AMA-22",
        "Three parallel convolutional streams, each 64 filters at stride 1, with 3×3, 5×5 and 7×7 "
        "kernels.",
        "64 filters, 3×3 kernel, stride 1", "Table 3", "method",
        "check:kernel_sizes_text_vs_table3", value=TABLE3_STREAM_FILTERS, unit="filters per stream",
    ),
    Claim("AMA-23", "Three residual blocks, each with 2× (Conv + ReLU).",
          "3 blocks; each with 2× (Conv + ReLU)", "Table 3", "method",
          f"untestable:{_NO_ARCH_CODE}", value=3, unit="residual blocks",
          note="Channel width of the residual blocks and any pooling/striding are not given."),
    Claim("AMA-24", "The attention module uses 1×1 convolutions for attention weighting.",
          "1×1 convolutions for attention weighting", "Table 3", "method",
          f"untestable:{_NO_ARCH_CODE}"),
    Claim(
        "AMA-25", "One fully connected layer of 256 units before the SoftMax output.",
        "256 units", "Table 3", "method", f"untestable:{_NO_ARCH_CODE}", value=TABLE3_FC_UNITS,
        unit="units",
        note="Table 3 lists no pooling and stride 1 everywhere: taken literally, flattening a "
        f"{TABLE3_INPUT_SIDE}×{TABLE3_INPUT_SIDE}×{_CONCAT_CHANNELS} map into {TABLE3_FC_UNITS} "
        f"units needs about {_FC_WEIGHTS_UNPOOLED / 1e6:.0f}M weights, so the architecture is "
        "under-specified. The number of classes is never stated.",
    ),
    # ---- Sec. 3 Results -------------------------------------------------------------------
    Claim(
        "AMA-26",
        "Experiments ran on an Intel i9 workstation with 32 GB RAM and an NVIDIA RTX 3080.",
        "Intel i9 processor and a 32 GB of RAM and NVIDIA RTX 3080", "Sec. 3", "protocol",
        "untestable:hardware statement; no timing or memory figure is reported to compare",
    ),
    Claim(
        "AMA-27",
        "Implementation in TensorFlow 2.9 with Keras, OpenCV for image processing and "
        "scikit-learn for the metrics.",
        "version 2.9 of TensorFlow", "Sec. 3", "protocol",
        "untestable:software statement; no code was released (the book uses PyTorch)",
    ),
    Claim("AMA-28", "80% of the data is used for training and 20% for testing.", "80%", "Sec. 3",
          "protocol", "check:split_80_20", value=0.8, unit="training fraction"),
    Claim("AMA-29", "The first Facial Expression Dataset [37] has approximately 36,000 images.",
          "approximately 36,000", "Sec. 3", "data", f"untestable:{_D37}", value=36000,
          unit="images",
          note="35,887 (the FER-2013 size) would also print as 36K; whether [37] is a FER-2013 "
          "re-upload cannot be verified here."),
    Claim("AMA-30", "The Facial Recognition Dataset [38] has approximately 35,000 images.",
          "approximately 35,000", "Sec. 3", "data", f"untestable:{_D38}", value=35000,
          unit="images",
          note="The Ethics statement calls it a 'Face Recognition Dataset'; whether it carries "
          "emotion labels cannot be verified here."),
    Claim(
        "AMA-31",
        "The second Facial Expression Dataset [39] (FER-2013 per the Ethics statement and "
        "reference list) has approximately 30,000 images ('30K' in Table 4).",
        "approximately 30,000", "Sec. 3", "data", "check:fer2013_size_vs_real",
        value=30000, unit="images",
    ),
    Claim(
        "AMA-32",
        "Performance metrics are computed with scikit-learn (the averaging of precision, recall "
        "and F1 is not stated; Table 4's recall exceeds its accuracy in every row).",
        "compute performance metrics using sci-kit-learn", "Sec. 3", "statistics",
        "check:table4_recall_vs_accuracy_averaging",
    ),
    Claim(
        "AMA-33",
        "Precision, recall and F1 are more or less similar on the three data sets.",
        "precision, recall, and F1 scores, which are more or less similar", "Sec. 3",
        "performance", "check:table4_metrics_similar",
    ),
    # ---- Table 4 --------------------------------------------------------------------------
    Claim("AMA-34", "Accuracy on data set [37] (36K images) is 95.4%.", "95.4%", "Table 4",
          "performance", f"untestable:{_D37}", value=0.954, unit=_FRAC),
    Claim("AMA-35", "Precision on data set [37] is 95.3%.", "95.3%", "Table 4", "performance",
          f"untestable:{_D37}", value=0.953, unit=_FRAC),
    Claim("AMA-36", "Recall on data set [37] is 95.5%.", "95.5%", "Table 4", "performance",
          f"untestable:{_D37}", value=0.955, unit=_FRAC),
    Claim("AMA-37", "F1 on data set [37] is 95.4% (P 95.3%, R 95.5%).", "95.4%", "Table 4",
          "performance", "check:table4_f1_dataset37", value=0.954, unit=_FRAC),
    Claim("AMA-38", "Accuracy on data set [38] (35K images) is 94.7%.", "94.7%", "Table 4",
          "performance", f"untestable:{_D38}", value=0.947, unit=_FRAC),
    Claim("AMA-39", "Precision on data set [38] is 94.6%.", "94.6%", "Table 4", "performance",
          f"untestable:{_D38}", value=0.946, unit=_FRAC),
    Claim("AMA-40", "Recall on data set [38] is 94.8%.", "94.8%", "Table 4", "performance",
          f"untestable:{_D38}", value=0.948, unit=_FRAC),
    Claim("AMA-41", "F1 on data set [38] is 94.7% (P 94.6%, R 94.8%).", "94.7%", "Table 4",
          "performance", "check:table4_f1_dataset38", value=0.947, unit=_FRAC),
    Claim(
        "AMA-42", "Accuracy on FER-2013 [39] (80:20 split) is 94.8%.", "94.8%", "Table 4",
        "performance", "experiment:amacnn/fer2013_test_accuracy", value=0.948, unit=_FRAC,
        note="The book evaluates on the official FER-2013 test split (the paper's 80:20 split is "
        "unspecified); a random 80:20 split of the pooled images is the other reading. "
        + _N_TEST_NOTE + " Its plausibility is judged in AMA-46.",
        n_test=_N_TEST, readings=(_random_8020("accuracy"),),
    ),
    Claim("AMA-43", "Precision on FER-2013 [39] is 94.8%.", "94.8%", "Table 4", "performance",
          "experiment:amacnn/fer2013_test_macro_precision", value=0.948, unit=_FRAC,
          note="Averaging unstated; Table 4 rules out micro and makes weighted averaging "
          "unlikely, so macro is assumed (AMA-32). " + _N_TEST_NOTE,
          n_test=_N_TEST, readings=(_random_8020("macro_precision"),)),
    Claim("AMA-44", "Recall on FER-2013 [39] is 94.9%.", "94.9%", "Table 4", "performance",
          "experiment:amacnn/fer2013_test_macro_recall", value=0.949, unit=_FRAC,
          note="Averaging unstated; Table 4 rules out micro and makes weighted averaging "
          "unlikely, so macro is assumed (AMA-32). " + _N_TEST_NOTE,
          n_test=_N_TEST, readings=(_random_8020("macro_recall"),)),
    Claim(
        "AMA-45", "F1 on FER-2013 [39] is 94.8% (P 94.8%, R 94.9%).", "94.8%", "Table 4",
        "performance", "experiment:amacnn/fer2013_test_macro_f1", value=0.948, unit=_FRAC,
        note="Arithmetic against P and R is checked by table4_f1_fer2013 (consistent). "
        + _N_TEST_NOTE,
        n_test=_N_TEST, readings=(_random_8020("macro_f1"),),
    ),
    Claim(
        "AMA-46",
        "The 94.8% FER-2013 accuracy is attainable under the paper's 80:20 protocol "
        "(plausibility of AMA-42 against the published state of the art and what duplicate "
        "leakage can add to it).",
        "94.8%", "Table 4", "performance", "check:fer2013_accuracy_vs_duplicate_leakage",
        value=0.948, unit=_FRAC,
        note="Same printed figure as AMA-42, judged here for plausibility. Exact duplicates cannot "
        "explain it under either split; an augment-then-split protocol, which the paper's "
        "description does not exclude, could. FER+ agreement and human accuracy are given as "
        "context on label noise, not as limits.",
    ),
    # ---- Table 5 and discussion -----------------------------------------------------------
    Claim("AMA-47", "Method [34] (Tshibangu and Tapamo) reaches 92.05% accuracy.", "92.05%",
          "Table 5", "performance", f"untestable:{_OTHER}", value=0.9205, unit=_FRAC),
    Claim("AMA-48", "Method [35] (Pan et al., Deep-Emotion) reaches 94.36% accuracy.", "94.36%",
          "Table 5", "performance", f"untestable:{_OTHER}", value=0.9436, unit=_FRAC),
    Claim("AMA-49", "Method [36] (Wu and Pan) reaches 94.46% accuracy.", "94.46%", "Table 5",
          "performance", f"untestable:{_OTHER}", value=0.9446, unit=_FRAC),
    Claim("AMA-50", "The proposed AMACNN reaches 95.41% accuracy.", "95.41%", "Table 5",
          "performance", "check:table5_vs_table4_accuracy", value=0.9541, unit=_FRAC),
    Claim(
        "AMA-51",
        "AMACNN is better than conventional approaches in accuracy, precision, recall and F1 "
        "(Table 5 comparison).",
        "it is better than conventional approaches", "Sec. 3", "performance",
        "check:table5_like_for_like",
        note="No significance test is claimed; Table 5 gives accuracy only, not precision, recall "
        "or F1 of the other works.",
    ),
    Claim(
        "AMA-52",
        "The AMACNN framework provides top-level performance in recognizing facial emotions.",
        "provides the top-level performance", "Sec. 3", "performance",
        "check:fer2013_accuracy_vs_sota",
        note="The one benchmark that can be placed among published results is FER-2013 (94.8%); "
        "read relative to the paper's own Table 5, which the sentence follows, it holds.",
    ),
    Claim(
        "AMA-53",
        "The architecture and training strategy address computational complexity; AMACNN is an "
        "advance in efficient facial emotion recognition (Conclusion).",
        "computational complexity", "Sec. 3", "efficiency",
        "untestable:no parameter count, FLOPs, latency or memory figure is reported to compare "
        "with the book's implementation",
    ),
    # ---- Conclusion and back matter -------------------------------------------------------
    Claim(
        "AMA-54",
        "On the Facial Expression Dataset of some 36,000 images AMACNN achieves an overall "
        "accuracy of 95.4%.",
        "95.4%", "Sec. 4", "performance",
        "check:conclusion_vs_table4_accuracy", value=0.954, unit=_FRAC,
    ),
    Claim(
        "AMA-55",
        "The author contributions credit N.M.A., S.A.L., D.H.H. and A.G.H.R.; all authors agreed "
        "to the published version.",
        "S.A.L.: Conceptualization", "Author Contributions", "protocol",
        "check:author_contributions_vs_byline",
    ),
    Claim(
        "AMA-56",
        "The data sets used are the Facial Expression Dataset (A. Singhal), the Face Recognition "
        "Dataset (V. Patel) and FER-2013, publicly available and anonymized.",
        "Facial Expression Dataset by Aaditya Singhal, Face Recognition Dataset by Vasu Patel, "
        "and FER-2013 Dataset",
        "Ethics Statement", "data",
        "untestable:the two Kaggle uploads [37], [38] are not available here (FER-2013 is; its "
        "size is checked in AMA-31)",
    ),
]

#: claims whose verdicts constrain each other (checked by tests/test_ledgers.py)
RELATIONS: list[Relation] = [
    Relation("AMA-42", "AMA-46", "same quantity",
             "the FER-2013 accuracy of Table 4, reproduced in AMA-42 and judged for plausibility "
             "in AMA-46"),
    Relation("AMA-52", "AMA-46", "implies",
             "'top-level performance' rests on the one figure that can be placed among published "
             "results, FER-2013's 94.8%"),
    Relation("AMA-02", "AMA-34", "same quantity",
             "the abstract's highest accuracy is Table 4's figure for data set [37]"),
    Relation("AMA-50", "AMA-34", "same quantity",
             "Table 5's 95.41% for AMACNN is Table 4's 95.4% for data set [37]"),
    Relation("AMA-08", "AMA-28", "same quantity", "the 80:20 split stated in Sec. 2 and Sec. 3"),
]
