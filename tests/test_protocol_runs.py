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


def test_without_a_protocol_run_the_cpu_run_is_the_evidence_and_cannot_refute(monkeypatch):
    real = R.fer2013_run

    def unrecorded(budget, seed=0, mode="never"):  # as before the campaign recorded it
        if budget == "protocol":
            raise runs.RecordMissing(budget)
        return real(budget, seed, mode)

    monkeypatch.setattr(R, "fer2013_run", unrecorded)
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
    assert "1e-3 to 1e-6, 1,000 times smaller" in text and "patience 3, its choice" in text
    assert "stops after 16" in text and "no dropout" in text  # the script's stop; the model
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


def test_resemotenet_verdict_waits_for_the_patience_reading(monkeypatch):
    """RES-48 cannot be negative on the protocol run alone: the run at the library's default
    plateau patience for all 80 epochs is a reading it must also survive. Once that run is
    recorded it has its own evidence (complete: it ran every epoch), its own leaderboard row and
    paragraph, and the verdict follows both."""
    from fer_repro.claims import report

    cpu = R.fer2013_run("cpu", 0, "never")
    t = cpu.config["train"]
    done = dataclasses.replace(cpu, metrics={**cpu.metrics, "epochs_run": 80.0},
                               config={**cpu.config, "train": {**t, "epochs": 80}})

    def verdict(recs):
        judgements, _ = report.judge_paper("resemotenet", R.evidence("cpu", 0, recs))
        return next(j for j in judgements if j.claim.id == "RES-48")

    alone = verdict({"fer2013_protocol": relabel(done, "protocol")})
    assert alone.verdict == "ambiguous" and "has not been run yet" in alone.reason
    patience = relabel(dataclasses.replace(done, config={
        **done.config, "train": {**done.config["train"], "plateau_patience": 10,
                                 "early_stop": None}}), "protocol_patience")
    ev = R.evidence("cpu", 0, {"fer2013_protocol": relabel(done, "protocol"),
                               "fer2013_protocol_patience": patience})
    e = ev["resemotenet/fer2013_patience_accuracy"]
    assert e.complete and e.budget == "protocol_patience" and "patience 10" in e.detail
    both = verdict({"fer2013_protocol": relabel(done, "protocol"),
                    "fer2013_protocol_patience": patience})
    assert both.verdict == "not reproduced (ours lower)"  # the stand-ins score far below 79.79%
    text = R.patience_paragraph(patience, "0.6 (CI)", both.verdict)
    assert "default patience of 10 epochs" in text and "for all 80 of the paper's epochs" in text
    # the protocol run's paragraph gives its own verdict, and the claim's where that differs
    text = R.protocol_paragraph(relabel(done, "protocol"), "0.6 (CI)", "not reproduced (ours "
                                "lower)", alone.verdict)
    assert "as the book reads it (over all the claim's readings" in text and "ambiguous" in text
    real = R.fer2013_run
    monkeypatch.setattr(R, "fer2013_run", lambda budget, seed=0, mode="never": (
        patience if budget == "protocol_patience" else real(budget, seed, mode)))
    labels = {x.label for x in L.entries("cpu")[0]}
    assert "ResEmoteNet, the paper's configuration at the default plateau patience, 80 epochs" in labels


def _as_protocol(rec: runs.Record, budget: str, **train) -> runs.Record:
    """A stand-in for a campaign run: a committed record relabelled as `budget`, its training
    configuration changed as given."""
    return dataclasses.replace(rec, config={**rec.config, "budget": budget,
                                            "train": {**rec.config["train"], **train}})


@pytest.mark.parametrize("recorded", [("official",), ("official", "random8020")])
def test_amacnn_protocol_runs_replace_the_cpu_runs_but_cannot_refute(monkeypatch, recorded):
    """AMACNN's campaign runs (the paper's 45 epochs at 48x48 grey) replace the chapter's
    reduced runs; AMACNN flattens its last feature map, so at 48x48 it is another network than
    at the paper's 128x128x3, and a shortfall stays pending."""
    from fer_repro.claims import amacnn as ledger
    from fer_repro.claims import judge
    from fer_repro.experiments import amacnn as A

    real = A.fer2013_run
    cpu = {p: real(A.amacnn_config("cpu"), "cpu", p, "never") for p in A.PROTOCOLS}

    def fake(cfg, budget, protocol="official", mode="auto"):
        if budget != "protocol":
            return real(cfg, budget, protocol, mode)
        if protocol not in recorded:
            raise runs.RecordMissing(protocol)
        return _as_protocol(cpu[protocol], "protocol", epochs=45, max_train=None)

    monkeypatch.setattr(A, "fer2013_run", fake)
    recs = A.records("cpu")
    assert {p: r.config["budget"] for p, r in recs.items()} == {
        p: "protocol" if p in recorded else "cpu" for p in A.PROTOCOLS}
    ev = A.evidence("cpu", 0, recs)
    e = ev["amacnn/fer2013_test_accuracy"]
    assert e.budget == "protocol" and not e.complete
    # the parameter counts at both inputs, from the model itself
    arch = A.architecture_table("cpu")
    ours, paper = (f"{arch.iloc[i]['parameters'] / 1e6:.2f} M" for i in (1, 0))
    assert ("48x48x1 instead of 128x128x3" in e.detail and f"{ours} parameters instead of "
            f"{paper}" in e.detail)
    assert ev["amacnn/param_count"].budget == "protocol"
    claim = next(c for c in ledger.CLAIMS if c.id == "AMA-42")
    assert judge(claim, {}, ev).verdict == "pending"  # the stand-in is far below 94.8%
    assert (A.protocol_difference(recs) is None) == (len(recorded) == 1)  # one budget only
    pair = A.one_budget(recs, "cpu")  # ... so the chapter compares the reduced pair then
    assert {r.config["budget"] for r in pair.values()} == ({"protocol"} if len(recorded) == 2
                                                            else {"cpu"})
    assert A.protocol_difference(pair) is not None
    s = A.runs_sentence(recs, "cpu")
    assert "the training campaign's run: all training images, up to the paper's 45 epochs" in s
    assert "cannot refute the paper" in s and "at 48x48 input AMACNN is a smaller network" in s
    assert ("the training campaign's runs follow" in s) == (len(recorded) == 2)


def test_amacnn_runs_sentence_without_campaign_runs():
    from fer_repro.experiments import amacnn as A

    cpu = {p: A.fer2013_run(A.amacnn_config("cpu"), "cpu", p, "never") for p in A.PROTOCOLS}
    s = A.runs_sentence(cpu, "cpu")
    assert "from budget cpu (2 epochs on 20,000 training images, input 48x48x1)" in s
    assert "cannot refute the paper" in s
    assert A.runs_sentence({p: None for p in A.PROTOCOLS}, "cpu").startswith("No AMACNN run")


@pytest.mark.parametrize("recorded", [("scratch_b3",), ("scratch_b3", "scratch_b3_plain")])
def test_dlfer_protocol_runs_replace_the_cpu_runs_but_cannot_refute(monkeypatch, recorded):
    """DLFER's campaign runs (the paper's 60 epochs at 48x48, not 224x224) replace the
    chapter's reduced runs; a shortfall stays pending (the input may explain it), and the two
    arms are compared only at one budget."""
    from fer_repro.claims import dlfer as ledger
    from fer_repro.claims import judge
    from fer_repro.experiments import dlfer as D

    real = D.scratch_b3_run

    def fake(cfg, budget, mode="auto"):
        if budget != "protocol":
            return real(cfg, budget, mode)
        arm = next(a for a, (_, o) in D.ARMS.items()
                   if cfg == D.scratch_b3_config("protocol", 0, **o))
        if arm not in recorded:
            raise runs.RecordMissing(arm)
        overrides = D.ARMS[arm][1]
        return _as_protocol(real(D.scratch_b3_config("cpu", 0, **overrides), "cpu", "never"),
                            "protocol", epochs=60, max_train=None)

    monkeypatch.setattr(D, "scratch_b3_run", fake)
    recs = D.records("cpu")
    assert {a: r.budget for a, r in recs.items()} == {
        a: "protocol" if a in recorded else "cpu" for a in D.ARMS}
    ev = D.evidence("cpu", 0, recs)
    e = ev["dlfer/scratch_b3_test_accuracy"]
    assert e.budget == "protocol" and not e.complete
    assert "48x48 instead of 224x224" in e.detail and "2x2 instead of 7x7" in e.detail
    claim = next(c for c in ledger.CLAIMS if c.target == "dlfer/scratch_b3_test_accuracy")
    assert judge(claim, {}, ev).verdict == "pending"  # the stand-in is far below 66.21%
    assert (D.arms_difference(recs) is None) == (len(recorded) == 1)
    pair = D.one_budget(recs, "cpu")  # ... so the chapter compares the reduced arms then
    assert {r.budget for r in pair.values()} == ({"protocol"} if len(recorded) == 2 else {"cpu"})
    assert D.arms_difference(pair) is not None


@pytest.mark.parametrize("recorded", [("subject",), ("random", "subject")])
def test_dcrnet_protocol_runs_become_the_central_result_once_both_fold_schemes_have_them(
        monkeypatch, recorded):
    """DCRNet's campaign runs (the paper's 200 epochs) replace the chapter's CK+ runs in the
    central result and the ledger's CK+ evidence only as a pair (the protocol gap pairs them);
    they cannot refute the paper (no ImageNet weights, no landmarks, 64x64)."""
    from fer_repro.experiments import dcrnet as D

    real = D.ckplus_run

    def fake(protocol, budget, seed=0, mode="auto", variant="full", root=None):
        if budget != "protocol":
            return real(protocol, budget, seed, mode, variant, root)
        if protocol not in recorded:
            raise runs.RecordMissing(protocol)
        return [_as_protocol(r, "protocol", epochs=200)
                for r in real(protocol, "cpu", seed, "never", variant, root)]

    monkeypatch.setattr(D, "ckplus_run", fake)
    recs = D.records("cpu")
    central = D.central_runs(recs)
    both = len(recorded) == 2
    assert {p: rs[0].config["budget"] for p, rs in central.items()} == {
        p: "protocol" if both else "cpu" for p in D.PROTOCOLS}
    ev = D.evidence("cpu", 0, recs, n_boot=200)
    for name in ("ckplus_test_accuracy", "ckplus_subject_accuracy"):
        e = ev[f"dcrnet/{name}"]
        assert e.budget == ("protocol" if both else "cpu") and not e.complete
    # the ablation keeps the chapter budget's runs, trained alongside its variants
    assert ev["dcrnet/ckplus_ablation_gain"].budget == "cpu"


def test_dcrnet_backbone_caveat_names_recreated_and_mixed_backbones():
    from fer_repro.experiments import dcrnet as D

    central = {p: D.ckplus_run(p, "cpu", 0, "never") for p in D.PROTOCOLS}
    assert D.backbone_caveat(central) == ""  # the chapter's runs: the recorded backbone
    made = {"record_sha256": "0" * 64, "cpu": "CPU B", "differs": ["CPU model (A then, B now)"],
            "publictest_accuracy": 0.49, "record_publictest_accuracy": 0.5}

    def recreated(r, sha):
        return dataclasses.replace(r, extra={**r.extra, "backbone_sha256": sha,
                                             "backbone_recreated": made})

    same = {p: [recreated(r, "a" * 64) for r in rs] for p, rs in central.items()}
    s = D.backbone_caveat(same)
    assert "re-created on CPU B" in s and "0.490 against the record's 0.500" in s
    assert "did not all start from the same" not in s
    mixed = {**same, "subject": [recreated(r, "b" * 64) for r in central["subject"]]}
    assert "did not all start from the same backbone weights" in D.backbone_caveat(mixed)
