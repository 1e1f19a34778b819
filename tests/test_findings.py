"""The overview's findings: each statement is chosen by code from its evidence (the verdicts of the
claims it rests on; the sign, significance and budget of what was measured), without typed
numbers, and changes when the evidence changes."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest

from fer_repro.claims import ledger, report
from fer_repro.claims.base import VERDICTS
from fer_repro.experiments import PAPER_EXPERIMENTS, all_evidence
from fer_repro.experiments import findings as F

ALL = [(key, i, f) for key, fs in F.FINDINGS.items() for i, f in enumerate(fs)]
FACTS = {  # a measurement of each kind, and its opposite
    "_leakage_gap": ({"leak_lifts": True, "leak_lowers": False},
                     {"leak_lifts": False, "leak_lowers": False}),
    "_res_leakage": ({"leak_lifts": True, "leak_lowers": False, "released_lifts": False},
                     {"leak_lifts": False, "leak_lowers": False}),
    "_suwartono_loss": ({"as_written_fails": True}, {"as_written_fails": False}),
    "_suwartono_ablations": ({"no_class_balanced_weights_opposite": False,
                              "softmax_instead_of_sparsemax_opposite": True, "reduced": True},
                             {"no_class_balanced_weights_opposite": False,
                              "softmax_instead_of_sparsemax_opposite": False}),
    "_resemotenet_code": ({"dead_weights": True, "flips_vary": True},
                          {"dead_weights": False, "flips_vary": False}),
    "_dcrnet_protocol_gap": ({"gaps": {"dcrnet": "higher", "pixel_nn": "higher"}, "budget": "cpu"},
                             {"gaps": {"dcrnet": "lower", "pixel_nn": "higher"}, "budget": "cpu"}),
    "_amacnn_runs": ({"budget": "cpu"}, {"budget": "full"}),
    "_dlfer_scratch": ({"plain_learns": True}, {"plain_learns": False}),
}


def words(text: str) -> str:
    return re.sub(r"FER2013|EfficientNet-B3|C2|C5|C6|p < 0\.05|1-nearest|80:20", "", text)


def test_three_findings_per_paper_resting_on_real_claims():
    assert set(F.FINDINGS) == set(PAPER_EXPERIMENTS)
    for key, fs in F.FINDINGS.items():
        assert len(fs) == 3, key
        ids = {c.id for c in ledger(key).CLAIMS}
        for f in fs:
            assert f.claims or f.measure, key
            assert set(f.claims) <= ids, f.claims


@pytest.mark.parametrize("key,i,f", ALL, ids=[f"{k}-{i + 1}" for k, i, _ in ALL])
def test_each_statement_follows_its_evidence(key, i, f):
    """Every verdict of its claims and every measured state gives a statement without typed
    numbers; a refuting verdict and a supporting one give different statements, and so do
    opposite measurements."""
    facts = FACTS.get(getattr(f.measure, "__name__", ""), (None, None))
    seen = set()
    for v in VERDICTS:
        for m in facts:
            s = f.say(dict.fromkeys(f.claims, v), m)
            assert s and not re.search(r"\d", words(s)), s
            seen.add(s)
    if f.claims:
        pos = f.say(dict.fromkeys(f.claims, "reproduced"), facts[0])
        neg = f.say(dict.fromkeys(f.claims, "not reproduced (ours lower)"), facts[0])
        pend = f.say(dict.fromkeys(f.claims, "pending"), facts[0])
        assert len({pos, neg, pend}) == 3, (pos, neg, pend)
    if facts[0] is not None:
        v = dict.fromkeys(f.claims, "pending")
        assert f.say(v, facts[0]) != f.say(v, facts[1])
    assert len(seen) > 1


def test_the_dcrnet_protocol_statement_follows_the_sign_of_each_gap():
    f = F.FINDINGS["dcrnet"][0]
    v = {"DCR-70": "implausible"}
    up = f.say(v, FACTS["_dcrnet_protocol_gap"][0])
    mixed = f.say(v, FACTS["_dcrnet_protocol_gap"][1])
    assert "our DCRNet and a pixel nearest-neighbour classifier score higher" in up
    assert "our DCRNet scores lower" in mixed and "classifier scores higher" in mixed
    assert "has not learnt" not in mixed
    weak = f.say(v, {**FACTS["_dcrnet_protocol_gap"][1],
                     "image_acc": {"dcrnet": 0.45, "pixel_nn": 0.97}})
    assert "scores below the pixel nearest-neighbour classifier" in weak


def test_the_resemotenet_statement_follows_the_released_schemes_result():
    f = F.FINDINGS["resemotenet"][0]
    v = {"RES-43": "ambiguous", "RES-48": "pending"}
    base = {"leak_lifts": True, "leak_lowers": False}
    said = {name: f.say(v, {**base, **facts}) for name, facts in {
        "none": {},
        "lifts": {"released_lifts": True, "released_lowers": False},
        "lowers": {"released_lifts": False, "released_lowers": True},
        "flat_weak": {"released_lifts": False, "released_lowers": False,
                      "released_detectable": False},
        "flat_strong": {"released_lifts": False, "released_lowers": False,
                        "released_detectable": True}}.items()}
    assert "released script" not in said["none"]
    assert len(set(said.values())) == 5
    assert "also higher" in said["lifts"] and "is lower" in said["lowers"]
    assert "could not show a lift" in said["flat_weak"]
    assert "could not show" not in said["flat_strong"]
    # the released result is said in the branch where every-class copies do not lift, too
    assert "released script" in f.say(v, {"leak_lifts": False, "leak_lowers": False,
                                          "released_lifts": False, "released_lowers": False})


def test_most_accurate_row_says_whether_mcnemar_separates_it():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 7, 3000)

    def entry(label, acc, seed):
        r = np.random.default_rng(seed)
        return SimpleNamespace(label=label, y_true=y,
                               y_pred=np.where(r.random(len(y)) < acc, y, (y + 1) % 7))

    close = F.most_accurate([entry("A", 0.60, 1), entry("B", 0.595, 2)], "cpu")
    assert "cannot be told apart from B" in close
    far = F.most_accurate([entry("A", 0.70, 1), entry("B", 0.50, 2)], "cpu")
    assert "ahead of B" in far and "cannot" not in far and "budget cpu" in far
    # a campaign run of a paper's protocol names its own budget, not the page's
    best = entry("A", 0.70, 1)
    best.record = SimpleNamespace(budget="full")
    mixed = F.most_accurate([best, entry("B", 0.50, 2)], "cpu")
    assert "budget full" in mixed and "(0.5" in mixed and "budget cpu" in mixed
    assert "a comparison across budgets" in mixed and "before the leaderboard's correction" in mixed
    assert "across budgets" not in far


@pytest.fixture(scope="module")
def judged():
    return report.all_claims(all_evidence("cpu", 0))


def test_recorded_findings_render(judged):
    frame, checks = judged
    for key in F.FINDINGS:
        text = F.render(key, frame, checks, "cpu")
        assert text.startswith("1. **") and "\n2. **" in text and "\n3. **" in text
        assert "Measured here" in text or key in ("amacnn",)


def test_every_reading_target_is_produced_by_a_record_or_a_queued_reading_run():
    """A reading whose evidence nothing can produce would keep a verdict open forever: each
    experiment reading target is evidence now, or a reading run's prefix with a test metric."""
    import importlib

    ev = all_evidence("cpu", 0)
    for key in report.PAPERS:
        exp = importlib.import_module(f"fer_repro.experiments.{key}")
        prefixes = [f"{key}/{p}_" for _, p, _ in getattr(exp, "READING_RUNS", {}).values()]
        for c in ledger(key).CLAIMS:
            for _, t in c.readings:
                if t.startswith("untestable:") or t in ev:
                    continue
                assert any(t.startswith(p) and t[len(p):] in
                           ("accuracy", "macro_precision", "macro_recall", "macro_f1")
                           for p in prefixes), (c.id, t)
