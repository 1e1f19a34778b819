"""The `full`-budget plan and its estimates (fer_repro.experiments.gpu_plan): jobs built from the
chapters' budgets, split sizes, FLOP arithmetic, CPU speeds from the committed records, GPU
peaks. Fast (FLOPs are counted only for small models) and independent of the data files."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import numpy as np
import pytest
from torch import nn

from fer_repro import experiments
from fer_repro.data import reference as ref
from fer_repro.experiments import amacnn, dcrnet, dlfer, leakage, resemotenet, suwartono2025
from fer_repro.experiments import gpu_plan as G
from fer_repro.models import create_model
from fer_repro.train import TrainConfig, forward_flops

N_TRAINING = sum(ref.FER2013_COUNTS["Training"])
N_PUBLIC = sum(ref.FER2013_COUNTS["PublicTest"])


@pytest.fixture(scope="module")
def jobs():
    return G.jobs("full")


def _by(jobs, chapter, model):
    (j,) = [j for j in jobs if j.chapter == chapter and j.model == model]
    return j


def _fake_cost(key: str) -> tuple[float, int]:
    """1 GFLOP and 100 ops per image for every model: the plan's arithmetic without counting."""
    return 1e9, 100


@pytest.fixture(scope="module")
def fake_plan():
    mp = pytest.MonkeyPatch()
    mp.setattr(G, "_cost", _fake_cost)
    try:
        yield G.plan_table("full")
    finally:
        mp.undo()


def test_every_chapter_with_a_full_budget_appears(jobs):
    with_full = set()
    for m in pkgutil.iter_modules(experiments.__path__):
        mod = importlib.import_module(f"{experiments.__name__}.{m.name}")
        if "full" in getattr(mod, "BUDGETS", {}):
            with_full.add(m.name)
    assert with_full == set(G.CHAPTERS)
    assert {j.chapter for j in jobs} == with_full
    assert with_full <= set(G.RUN_ORDER)
    assert set(experiments.PAPER_EXPERIMENTS) <= with_full


def test_epochs_runs_and_inputs_equal_the_modules_full_budgets(jobs):
    S, R, A, D, L, DL = suwartono2025, resemotenet, amacnn, dcrnet, leakage, dlfer
    fast = _by(jobs, "suwartono2025", "suwartono_fastcnn_se")
    assert len(fast.runs) == 1 + len(S.ABLATIONS) + 1
    assert fast.runs[0].epochs == S.BUDGETS["full"]["epochs"]
    assert all(r.epochs == S.ABLATION_EPOCHS["full"] for r in fast.runs[1:-1])
    cv = _by(jobs, "suwartono2025", "suwartono_attention_cnn")
    assert len(cv.runs) == S.BUDGETS["full"]["cv_folds"]
    assert {r.epochs for r in cv.runs} == {S.BUDGETS["full"]["cv_epochs"]}
    res = _by(jobs, "resemotenet", "resemotenet_code")
    assert [r.epochs for r in res.runs] == [R.BUDGETS["full"]["epochs"]]
    ama = _by(jobs, "amacnn", "amacnn")
    assert [r.epochs for r in ama.runs] == [A.BUDGETS["full"]["epochs"]] * len(A.PROTOCOLS)
    assert (ama.cfg.input_size, ama.cfg.in_chans) == (A.BUDGETS["full"]["input_size"],
                                                      A.BUDGETS["full"]["in_chans"])
    dcr = [j for j in jobs if j.chapter == "dcrnet"]
    full, *variants = (j for j in dcr if j.model == "dcrnet")
    k = D.BUDGETS["full"]["folds"]
    assert len(full.runs) == 2 * len(D.PROTOCOLS) * k  # CK+ and KDEF
    assert len(variants) == len(D.BUDGETS["full"]["ablation_variants"])
    assert all(len(v.runs) == len(D.BUDGETS["full"]["ablation"]) * k for v in variants)
    assert {r.epochs for j in (full, *variants) for r in j.runs} == {D.BUDGETS["full"]["epochs"]}
    assert full.cfg.input_size == D.BUDGETS["full"]["input_size"]
    probe = _by(jobs, "dcrnet", "suwartono_attention_cnn")
    assert {r.epochs for r in probe.runs} == {D.PROBE_EPOCHS["full"]}
    b3 = _by(jobs, "dlfer", "dlfer_effnet_b3")
    assert [r.epochs for r in b3.runs] == [DL.BUDGETS["full"]["epochs"]] * len(DL.ARMS)
    assert b3.cfg.input_size == DL.BUDGETS["full"]["input_size"]
    leak = _by(jobs, "leakage", "suwartono_attention_cnn")
    assert [r.epochs for r in leak.runs] == [L.BUDGETS["full"]["epochs"]] * len(L.ARMS)
    # the configs are the modules' own, not copies
    assert res.cfg == R.config("full") and b3.cfg == DL.scratch_b3_config("full")


def test_split_sizes(jobs):
    fast = _by(jobs, "suwartono2025", "suwartono_fastcnn_se")
    assert (fast.runs[0].train_images, fast.runs[0].val_images) == (N_TRAINING, N_PUBLIC)
    res = _by(jobs, "resemotenet", "resemotenet_code").runs[0]  # + PrivateTest watched
    assert res.val_images == N_PUBLIC + sum(ref.FER2013_COUNTS["PrivateTest"])
    off, r8020 = _by(jobs, "amacnn", "amacnn").runs
    assert off.train_images == N_TRAINING
    assert r8020.train_images == 25_120 and r8020.val_images == 3_589  # amacnn's docstring
    for b3 in _by(jobs, "dlfer", "dlfer_effnet_b3").runs:  # both arms
        assert (b3.train_images, b3.val_images) == (22_967, 5_742)  # dlfer's docstring
    cv = _by(jobs, "suwartono2025", "suwartono_attention_cnn").runs
    k = len(cv)
    assert all(abs(r.train_images + r.val_images - N_TRAINING * (k - 1) / k) <= 1 for r in cv)


def test_leakage_arm_sizes_equal_arm_data():
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), [40, 25, 35])
    x = rng.integers(0, 256, (len(y), 8, 8), dtype=np.uint8)
    sizes = G.leakage_arm_sizes(y, 3, seed=1)
    for arm in leakage.ARMS:
        d = leakage.arm_data(arm, x, y, 3, seed=1)
        assert sizes[arm] == (len(d.train), len(d.val)), arm


def test_flop_arithmetic_by_hand():
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, bias=False), nn.Flatten(),
                        nn.Linear(2 * 4 * 4, 3, bias=False))
    fwd = forward_flops(net, TrainConfig(model="x", input_size=4, in_chans=1))
    assert fwd == 2 * (2 * 4 * 4 * 9) + 2 * (32 * 3)  # conv + linear, a multiply-add = 2 FLOPs
    spec = G.RunSpec("r", epochs=5, train_images=10, val_images=4, precision="amp")
    assert G.run_flops(fwd, spec) == 5 * (3 * 10 + 4) * fwd
    t4 = G.GPUS[0]
    assert G.gpu_seconds(1e12, "amp", t4, 0.5) == pytest.approx(1e12 / (t4.fp16 * 1e12 * 0.5))
    # 5 epochs x ceil(10 / 4) steps x 100 ops x OP_OVERHEAD_US
    assert G.floor_seconds(100, spec, 4) == pytest.approx(5 * 3 * 100 * G.OP_OVERHEAD_US * 1e-6)


def test_meta_count_equals_forward_flops_and_the_records():
    for model in ("suwartono_attention_cnn", "suwartono_fastcnn_se"):
        kw = {"drop": 0.3}
        cfg = TrainConfig(model=model, model_kwargs=kw, input_size=48, in_chans=1)
        real = forward_flops(create_model(model, num_classes=7, in_chans=1, **kw), cfg)
        assert G.forward_gflops(cfg) == pytest.approx(real / 1e9, rel=1e-9)
        assert G.step_ops(cfg) > 0
    # the recorded runs stored the same forward cost
    for job in (j for j in G.jobs("cpu") if j.model.startswith("suwartono")):
        speed = G.cpu_speed(job)
        if speed is None:
            continue
        name = speed.records[0].split("/")[0]
        rec = next(r for r in G.runs.records(name) if f"{r.name}/{r.key}" == speed.records[0])
        assert G.forward_gflops(job.cpu_cfg) == pytest.approx(
            rec.metrics["forward_gflops_per_image"], rel=1e-6)


def test_estimates_scale_linearly_with_epochs():
    a = G.RunSpec("a", 7, 1000, 100, "fp32")
    b = G.RunSpec("b", 14, 1000, 100, "fp32")
    assert G.run_flops(2e9, b) == pytest.approx(2 * G.run_flops(2e9, a))
    assert G.floor_seconds(500, b, 32) == pytest.approx(2 * G.floor_seconds(500, a, 32))
    for g in G.GPUS:
        assert G.gpu_seconds(G.run_flops(2e9, b), "fp32", g, 0.3) == pytest.approx(
            2 * G.gpu_seconds(G.run_flops(2e9, a), "fp32", g, 0.3))


def test_plan_is_ordered_and_consistent(fake_plan, jobs):
    lo, hi = G.UTILISATION
    assert 0 < lo < hi <= 1
    p = fake_plan
    assert len(p) == len(jobs)
    for g in G.GPUS:
        low, high = p[f"{g.name} hours low (estimate)"], p[f"{g.name} hours high (estimate)"]
        assert (low <= high).all()
        assert (low >= p["floor hours (estimate)"]).all()
        assert (p[f"{g.name} compute hours high"] / p[f"{g.name} compute hours low"]).round(9).eq(
            round(hi / lo, 9)).all()
    # faster GPUs are never slower
    t4, a100, h100 = (p[f"{g.name} hours high (estimate)"] for g in G.GPUS)
    assert (t4 >= a100).all() and (a100 >= h100).all()
    # with 1 GFLOP per image: PFLOPs = sum over runs of epochs x (3 train + val) / 1e6
    for job, (_, row) in zip(jobs, p.iterrows(), strict=True):
        want = sum(r.epochs * (3 * r.train_images + r.val_images) for r in job.runs) / 1e6
        assert row["total PFLOPs"] == pytest.approx(want)
        if np.isfinite(row["CPU GFLOP/s (measured)"]):
            assert row["CPU hours (estimate)"] == pytest.approx(
                want * 1e15 / (row["CPU GFLOP/s (measured)"] * 1e9) / 3600)


def test_cpu_speed_comes_from_the_matching_records(jobs):
    hold = _by(jobs, "suwartono2025", "suwartono_fastcnn_se")
    s = G.cpu_speed(hold)
    want = json.loads(json.dumps(suwartono2025.fastcnn_config("cpu").to_dict(), default=str))
    recs = [r for r in G.runs.records("suwartono2025_holdout")
            if r.config["train"] == want and "train_images_per_s" in r.metrics]
    if not recs:
        pytest.skip("no recorded cpu FastCNN-SE run")
    assert s is not None and s.same_model
    assert s.images_per_s == pytest.approx(np.median([r.metrics["train_images_per_s"] for r in recs]))
    b3 = G.cpu_speed(_by(jobs, "dlfer", "dlfer_effnet_b3"))
    assert b3 is None or not b3.same_model  # recorded at a smaller input than `full`


def test_datasheet_peaks_are_dense():
    t4, a100, h100 = G.GPUS
    # datasheets print tensor-core figures with sparsity at twice the dense rate
    assert (a100.tf32, a100.bf16, a100.fp16) == (312 / 2, 624 / 2, 624 / 2)
    assert (h100.tf32, h100.bf16, h100.fp16) == (989 / 2, 1979 / 2, 1979 / 2)
    assert (t4.fp16, t4.tf32, t4.bf16) == (65.0, None, None)
    assert G.peak_tflops(a100, "amp")[0] == 312
    assert G.peak_tflops(a100, "fp32", cudnn_tf32=True)[0] == 156
    assert G.peak_tflops(a100, "fp32", cudnn_tf32=False)[0] == 19.5
    assert G.peak_tflops(t4, "bf16")[0] == t4.fp32  # no BF16 tensor cores on Turing
    with pytest.raises(ValueError):
        G.peak_tflops(t4, "fp8")


def test_chapter_table_has_a_command_per_chapter(fake_plan):
    t = G.chapter_table(fake_plan)
    assert list(t.index) == list(G.RUN_ORDER)
    root = Path(__file__).resolve().parents[1]
    for chapter, cmd in t["command"].items():
        assert cmd == f"papermill notebooks/{chapter}.ipynb out.ipynb -p budget full"
        assert (root / "notebooks" / f"{chapter}.ipynb").exists()
    assert t["runs"].sum() == fake_plan["runs"].sum()
