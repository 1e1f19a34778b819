"""Verdicts with the recorded runs: no declared relation between claims is broken, every negative
verdict says what it rests on and shows its readings, and no check-based verdict is 'reproduced'."""

from __future__ import annotations

import pytest

from fer_repro.claims import PAPERS, report
from fer_repro.claims.base import NEGATIVE
from fer_repro.experiments import all_evidence


@pytest.fixture(scope="module")
def judged():
    ev = all_evidence("cpu", 0)
    return {key: report.judge_paper(key, ev)[0] for key in PAPERS}


def test_no_relation_is_broken_by_the_recorded_verdicts(judged):
    broken = {key: report.conflicts(key, js) for key, js in judged.items()}
    assert not any(broken.values()), broken


def test_verdicts_rest_on_what_they_say(judged):
    for js in judged.values():
        for j in js:
            if j.claim.method == "check":
                assert j.verdict in ("consistent", "inconsistent", "plausible", "implausible",
                                     "ambiguous", "pending"), (j.claim.id, j.verdict)
                assert j.basis in ("paper", "plausibility") or j.verdict == "pending"
            if j.verdict == "reproduced":
                assert j.basis == "experiment", j.claim.id
            if j.verdict in NEGATIVE and j.basis != "experiment":
                assert j.readings, f"{j.claim.id}: a negative verdict without its readings"
                # a negative verdict holds under every reading: none holds, none is open
                assert all(r.holds is False for r in j.readings), j.claim.id
            if j.verdict == "ambiguous":
                # one reading fails, another holds or is open
                assert any(r.holds is False for r in j.readings), j.claim.id
                assert any(r.holds is not False for r in j.readings), j.claim.id
