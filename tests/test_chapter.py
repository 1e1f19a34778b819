"""The one call every chapter starts with (fer_repro.chapter) and what it shows first: the verdict
summary, the collapsed ledger with the verdicts that need attention first, the landing page's
papers x verdicts table. Reads the committed run store."""

from __future__ import annotations

import re

import pytest

from fer_repro import chapter
from fer_repro.claims import PAPERS, report
from fer_repro.experiments import findings


@pytest.fixture(scope="module")
def ch():
    return chapter.open_paper("amacnn", budget="cpu", compute="never", seed=0)


def test_bad_parameters_fail_before_any_work():
    with pytest.raises(ValueError, match="budget"):
        chapter.open_paper("amacnn", budget="huge", compute="never", seed=0)
    with pytest.raises(ValueError, match="compute"):
        chapter.start(budget="cpu", compute="sometimes", seed=0)


def test_open_paper_judges_the_whole_ledger(ch):
    from fer_repro.claims import ledger

    assert len(ch.frame) == len(ledger("amacnn").CLAIMS) == len(ch.judgements)
    assert set(ch.by_id) == set(ch.frame["id"])
    assert all(c.method == "experiment" for c in ch.by_target.values())
    target = next(iter(ch.by_target))
    assert ch.verdict(target) == ch.by_id[ch.by_target[target].id].verdict
    assert ch.ev("no_such_run") == chapter.PENDING
    name, e = next(iter(ch.evidence.items()))
    assert ch.ev(name.split("/", 1)[1]).startswith(f"{e.estimate:.3f} (95% CI {e.ci_low:.3f} to ")


def test_the_summary_counts_every_claim_once_and_gives_the_findings(ch):
    h = ch.summary_html()
    assert 'class="fer-verdict-summary"' in h
    counts = [int(n) for n in re.findall(r"</span>&nbsp;(\d+)", h)]
    assert sum(counts) == len(ch.frame)
    assert h.count("<li>") == len(findings.FINDINGS["amacnn"])
    for s in findings.statements("amacnn", ch.frame, "cpu", 0):
        assert s.replace("'", "&#x27;") in h


def test_the_ledger_is_collapsed_with_the_verdicts_needing_attention_first(ch):
    h = report.claims_table_html(ch.frame, collapsed=True)
    assert h.count("<details>") == 1 and "<details open" not in h
    verdicts = re.findall(r'<tr data-kind="[^"]*" data-verdict="([^"]*)"', h)
    assert len(verdicts) == len(ch.frame)
    flags = [v in report.ATTENTION for v in verdicts]
    assert flags == sorted(flags, reverse=True)  # every attention verdict before the rest
    head = re.search(r"<thead><tr>(.*?)</tr>", h).group(1)
    assert re.findall(r"<th>(.*?)</th>", head)[:2] == ["claim id", "verdict"]
    n_att = sum(flags)
    assert f"All {len(ch.frame)} claims" in h and f"({n_att} that need attention" in h


def test_checks_tables_split_failing_and_passing(ch):
    fail = report.checks_table_html(ch.checks, consistent=False)
    ok = report.checks_table_html(ch.checks, consistent=True, collapsed=True)
    n_fail = int((~ch.checks["consistent"]).sum())
    assert fail.count("<tr>") - 1 == n_fail and "<details>" not in fail
    assert ok.count("<tr>") - 1 == len(ch.checks) - n_fail and "<details>" in ok
    assert "if failed" in fail and "if failed" not in ok


def test_landing_page_links_every_paper_and_counts_its_claims():
    from fer_repro.experiments import all_evidence

    frame, _ = report.all_claims(all_evidence("cpu", 0))
    h = chapter.landing_html(frame, "cpu", 0)
    for key in PAPERS:
        assert h.count(f'href="{key}.html"') == 2  # the table row and the finding
        n = int((frame["paper"] == key).sum())
        assert f"({n} claims)" in h
    table = re.search(r'<div class="fer-ledger fer-papers">(.*?)</div>', h).group(1)
    assert sum(int(x) for x in re.findall(r"</span>&nbsp;(\d+)", table)) == len(frame)


def test_rerun_box_names_the_notebook_and_the_rerun_page():
    h = chapter.rerun_html("dlfer")
    assert 'class="admonition tip"' in h
    assert "papermill notebooks/dlfer.ipynb out.ipynb -p budget cpu" in h
    assert 'href="../book/rerun.html"' in h
