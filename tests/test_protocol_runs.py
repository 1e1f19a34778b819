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


def test_resemotenet_protocol_paragraph_states_the_settings_and_the_early_stop(monkeypatch):
    """The chapter's paragraph on the protocol run names the paper's settings and the book's
    choices from the recorded configuration, and says when early stopping cut the paper's
    epochs short and how far the plateau schedule had lowered the learning rate by then."""
    import pandas as pd

    cpu = R.fer2013_run("cpu", 0, "never")
    t = cpu.config["train"]
    full = dataclasses.replace(cpu, metrics={**cpu.metrics, "epochs_run": float(t["epochs"])})
    text = R.protocol_paragraph(full, "0.6 (CI)", "not reproduced (ours lower)")
    assert f"It ran all {t['epochs']} epochs." in text
    assert f"momentum {t['momentum']:g}" in text and f"batch {t['batch_size']}" in text
    assert f"factor {R.plateau_factor():g}" in text and "not reproduced (ours lower)" in text
    # stopped early at epoch 30 of 80 with the rate cut three times
    stopped = dataclasses.replace(
        cpu, config={**cpu.config, "train": {**t, "epochs": 80}},
        metrics={**cpu.metrics, "epochs_run": 30.0})
    hist = pd.DataFrame({"epoch": range(1, 31), "lr": [1e-3] * 18 + [1e-4] * 4 + [1e-5] * 4
                         + [1e-6] * 4})
    monkeypatch.setattr(runs.Record, "history", lambda self: hist)
    text = R.protocol_paragraph(stopped, "0.6 (CI)", "not reproduced (ours lower)")
    assert "stopped after 30 of the paper's 80 epochs" in text
    assert "1e-03 to 1e-06, 1,000 times smaller" in text and "patience 3, its choice" in text
    assert "peaked at epoch" in text and "Table I's" in text
    assert "counts as the paper's length" in text and R.ran_its_course(stopped)
    # stopped early while the rate was still high: not the paper's length, cannot refute it
    hist_high = pd.DataFrame({"epoch": range(1, 31), "lr": [1e-3] * 26 + [1e-4] * 4})
    monkeypatch.setattr(runs.Record, "history", lambda self: hist_high)
    assert not R.ran_its_course(stopped)
    text = R.protocol_paragraph(stopped, "0.6 (CI)", "pending")
    assert "does not count as the paper's length" in text and "10 times smaller" in text
    ev = R.evidence("cpu", 0, {"fer2013_protocol": relabel(stopped, "protocol")})
    assert not ev["resemotenet/fer2013_test_accuracy"].complete
    monkeypatch.setattr(runs.Record, "history", lambda self: hist)
    ev = R.evidence("cpu", 0, {"fer2013_protocol": relabel(stopped, "protocol")})
    assert ev["resemotenet/fer2013_test_accuracy"].complete
