"""The run store: keyed by config, instant reuse, force, never-compute mode, full provenance."""

from __future__ import annotations

import numpy as np
import pytest

from fer_repro import runs


def _fn(calls):
    def fn(cfg, workdir):
        calls.append(cfg)
        rng = np.random.default_rng(cfg["seed"])
        y = rng.integers(0, 3, 50)
        p = np.where(rng.random(50) < 0.7, y, rng.integers(0, 3, 50))
        proba = np.eye(3)[p] * 0.8 + 0.2 / 3
        return runs.Outcome({"accuracy": float((y == p).mean())}, y, p, proba,
                            history=[{"epoch": 1, "loss": 1.0}, {"epoch": 2, "loss": 0.5}],
                            extra={"class_names": ["a", "b", "c"]})
    return fn


def test_record_roundtrip_and_reuse(tmp_path):
    calls = []
    cfg = {"model": "x", "seed": 1, "budget": "smoke"}
    r1 = runs.run("exp", cfg, _fn(calls), root=tmp_path)
    r2 = runs.run("exp", cfg, _fn(calls), root=tmp_path)
    assert len(calls) == 1 and r1.key == r2.key and r1.metrics == r2.metrics
    arr = r2.arrays()
    assert arr["y_true"].shape == (50,) and arr["proba"].dtype == np.float16
    assert list(r2.history()["loss"]) == [1.0, 0.5]
    for k in ("code_version", "git_commit", "seed", "wall_time_s", "environment"):
        assert k in r2.info
    assert r2.info["seed"] == 1 and "torch" in r2.info["environment"]
    assert r2.budget == "smoke"
    import torch

    n = torch.get_num_threads()
    assert r2.device == ("cuda:" + torch.cuda.get_device_name(0) if torch.cuda.is_available()
                         else f"cpu ({n} thread{'s' * (n != 1)})")


def test_record_device_reads_older_records_in_good_english(tmp_path):
    rec = runs.Record("exp", "k", tmp_path, {}, {}, {"environment": {"device": "cpu (1 threads)"}},
                      {})
    assert rec.device == "cpu (1 thread)"
    assert runs.Record("exp", "k", tmp_path, {}, {}, {}, {}).device == "unknown"


def test_config_and_code_version_change_the_key(tmp_path, monkeypatch):
    k1 = runs.config_key("exp", {"seed": 1})
    assert runs.config_key("exp", {"seed": 2}) != k1
    assert runs.config_key("other", {"seed": 1}) != k1
    monkeypatch.setattr(runs, "CODE_VERSION", "999")
    assert runs.config_key("exp", {"seed": 1}) != k1


def test_force_recomputes_and_never_refuses(tmp_path):
    calls = []
    cfg = {"seed": 3}
    runs.run("exp", cfg, _fn(calls), root=tmp_path)
    runs.run("exp", cfg, _fn(calls), root=tmp_path, force=True)
    assert len(calls) == 2
    with pytest.raises(runs.RecordMissing, match="no recorded run"):
        runs.fetch("exp", {"seed": 4}, _fn(calls), mode="never", root=tmp_path)
    assert runs.fetch("exp", cfg, _fn(calls), mode="never", root=tmp_path).config == cfg


def test_same_config_same_numbers(tmp_path):
    a = runs.run("exp", {"seed": 5}, _fn([]), root=tmp_path / "a")
    b = runs.run("exp", {"seed": 5}, _fn([]), root=tmp_path / "b")
    assert a.metrics == b.metrics and a.key == b.key
    assert (a.arrays()["y_pred"] == b.arrays()["y_pred"]).all()


def test_records_listing(tmp_path):
    runs.run("e1", {"seed": 1}, _fn([]), root=tmp_path)
    runs.run("e2", {"seed": 1}, _fn([]), root=tmp_path)
    assert [r.name for r in runs.records(root=tmp_path)] == ["e1", "e2"]
    assert len(runs.records("e1", root=tmp_path)) == 1


def test_committed_records_are_complete():
    """Every record committed under results/ carries its provenance."""
    for r in runs.records():
        assert {"code_version", "git_commit", "seed", "wall_time_s", "environment"} <= set(r.info)
        assert r.key == runs.config_key(r.name, r.config) or r.info["code_version"] != runs.CODE_VERSION
