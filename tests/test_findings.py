"""The overview's findings: plain words without typed numbers, resting on real ledger claims whose
recorded verdicts agree with what each statement assumes."""

from __future__ import annotations

import re

import pytest

from fer_repro.claims import ledger, report
from fer_repro.experiments import PAPER_EXPERIMENTS, all_evidence
from fer_repro.experiments import findings as F


def test_three_findings_per_paper_without_typed_numbers():
    assert set(F.FINDINGS) == set(PAPER_EXPERIMENTS)
    for key, fs in F.FINDINGS.items():
        assert len(fs) == 3, key
        ids = {c.id for c in ledger(key).CLAIMS}
        for f in fs:
            words = re.sub(r"FER2013|EfficientNet-B3", "", f.statement)  # names, not numbers
            assert not re.search(r"\d", words), f.statement  # numbers are computed, not typed
            assert f.claims or f.measured, f.statement
            for cid, expect in f.claims:
                assert cid in ids, cid
                assert expect == "*" or expect in report.VERDICTS, expect


@pytest.fixture(scope="module")
def judged():
    return report.all_claims(all_evidence("cpu", 0))


def test_recorded_verdicts_agree_with_the_statements(judged):
    frame, checks = judged
    for key in F.FINDINGS:
        text = F.render(key, frame, checks, "cpu")
        assert "this statement assumed" not in text, text
        assert text.count("\n1. ") + text.startswith("1. ") == 1


def test_render_flags_a_verdict_that_contradicts_the_statement(judged, monkeypatch):
    frame, checks = judged
    fake = {"dlfer": [F.Finding("A statement.", (("DLF-03", "reproduced"),))]}
    monkeypatch.setattr(F, "FINDINGS", fake)
    assert "this statement assumed 'reproduced'" in F.render("dlfer", frame, checks, "cpu")
