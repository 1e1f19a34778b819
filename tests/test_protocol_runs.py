"""A finished campaign run of a paper's own protocol replaces the reduced-budget run as the
evidence of its claims: in the chapter's evidence, with the run's budget and as a complete
protocol (so a gap can refute the paper), and on the leaderboard. Stand-in protocol records are
the committed cpu records relabelled, so no training is needed."""

from __future__ import annotations

import dataclasses

import pytest

from fer_repro import runs
from fer_repro.experiments import leaderboard as L
from fer_repro.experiments import resemotenet as R
from fer_repro.experiments import suwartono2025 as S


def relabel(rec: runs.Record, budget: str) -> runs.Record:
    return dataclasses.replace(rec, config={**rec.config, "budget": budget})


def test_without_a_protocol_run_the_cpu_run_is_the_evidence_and_cannot_refute():
    recs = R.records("cpu")
    assert recs["fer2013_protocol"] is None
    e = R.evidence("cpu", 0, recs)["resemotenet/fer2013_test_accuracy"]
    assert e.budget == "cpu" and not e.complete


def test_resemotenet_protocol_run_replaces_the_cpu_run(monkeypatch):
    cpu = R.fer2013_run("cpu", 0, "never")
    real = R.fer2013_run

    def fake(budget, seed=0, mode="never"):
        if budget == "protocol":
            return relabel(cpu, "protocol")
        return real(budget, seed, mode)

    monkeypatch.setattr(R, "fer2013_run", fake)
    recs = R.records("cpu")
    assert recs["fer2013_protocol"].config["budget"] == "protocol"
    e = R.evidence("cpu", 0, recs)["resemotenet/fer2013_test_accuracy"]
    assert e.budget == "protocol" and e.complete
    entries, missing = L.entries("cpu")
    assert "ResEmoteNet, the paper's configuration, up to its 80 epochs" in {x.label for x in entries}
    assert "ResEmoteNet, the paper's configuration, up to its 80 epochs" not in missing


def test_suwartono_protocol_runs_replace_the_cpu_runs(monkeypatch):
    cpu = S.holdout_run(S.fastcnn_config("cpu"), "cpu", "never")
    real = S.holdout_run

    def fake(cfg, budget, mode="auto"):
        if budget == "full":
            return relabel(cpu, "full")
        return real(cfg, budget, mode)

    monkeypatch.setattr(S, "holdout_run", fake)
    recs = S.records("cpu")
    e = S.evidence("cpu", 0, recs)["suwartono2025/fastcnn_se_test_accuracy"]
    assert e.budget == "full" and e.complete
    assert recs["attention_cnn_cv_protocol"] is None  # not recorded: the cpu folds stay
    assert S.evidence("cpu", 0, recs)["suwartono2025/attention_cnn_cv_accuracy"].budget == "cpu"


@pytest.mark.parametrize("job", ["resemotenet-protocol", "suwartono-fastcnn-full"])
def test_chapters_say_where_an_unfinished_protocol_run_stands(job):
    from fer_repro import campaign

    s = campaign.progress_sentence(job)
    assert f"`{job}`" in s and ("epoch" in s or "finished" in s)
