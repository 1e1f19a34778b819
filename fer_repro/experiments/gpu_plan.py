"""What a budget (normally ``full``) trains, chapter by chapter, and ESTIMATES of how long it takes.

Nothing here trains. The jobs are built from the chapters' own config functions and ``BUDGETS``
(model, input, epochs, batch, precision) and their split functions, applied to a stand-in data
set that has the documented per-class counts of :mod:`fer_repro.data.reference` (stratified
split sizes depend on the class counts only); CK+/KDEF subject-independent folds depend on the
subjects, so their sizes come from recorded runs with the same folds.

Cost rules (all estimates):

* forward FLOPs per image: ``FlopCounterMode`` (a multiply-add = 2 FLOPs) on the model built on
  the ``meta`` device, the count of :func:`fer_repro.train.forward_flops`;
* a training image costs :data:`TRAIN_FACTOR` x forward (forward + backward; ``FlopCounterMode``'s
  own backward count is not used: it over-counts grouped/depthwise convolutions), a validation
  image 1 x forward, after every epoch; epochs are the budget's maxima (early stopping can end a
  run sooner); the one-off test passes are left out;
* CPU: the job's FLOPs / the achieved GFLOP/s of the recorded ``cpu`` runs of the chapter's
  ``cpu`` configuration (median over those records), i.e. the CPU is assumed to sustain the
  same GFLOP/s at the ``full`` input size and model as it did in the recorded run;
* GPU, compute-bound: FLOPs / (datasheet dense peak for the precision the engine uses x
  utilisation), utilisation :data:`UTILISATION`;
* GPU, per-step floor: the engine runs eagerly, one step at a time, so a step cannot take less
  than (aten ops of the forward pass + nodes of its autograd graph) x :data:`OP_OVERHEAD_US` of
  host time, however fast the GPU; small models at 48x48 hit this floor rather than the compute
  bound. The estimate is max(compute-bound, floor).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import runs
from ..data import reference as ref
from ..tables import label
from ..train import TrainConfig

#: chapters (notebook stems) whose budgets train models, in the book's order
CHAPTERS = ("leakage", "suwartono2025", "amacnn", "resemotenet", "dcrnet", "dlfer")
#: the order to re-execute the chapters in: the leakage chapter reads the FastCNN-SE record of
#: suwartono2025 and computes ResEmoteNet's run when it is missing; AMACNN and DLFER read the
#: leakage records; the overview reads every chapter's records
RUN_ORDER = ("data", "suwartono2025", "resemotenet", "leakage", "amacnn", "dcrnet", "dlfer",
             "claims_overview")
#: training FLOPs per image = TRAIN_FACTOR x forward FLOPs (forward + backward ~ 1 + 2)
TRAIN_FACTOR = 3
#: assumed share of the datasheet peak a training step sustains (low, high)
UTILISATION = (0.25, 0.50)
#: assumed host time per eagerly dispatched aten op (PyTorch dispatch + CUDA launch), microseconds;
#: the optimistic end of the usual 5-20 us, so that the floor stays a lower bound
OP_OVERHEAD_US = 5.0


@dataclass(frozen=True)
class GPU:
    """Published dense peaks in TFLOPS (None: no such tensor-core mode)."""

    name: str
    fp32: float
    tf32: float | None
    fp16: float
    bf16: float | None
    source: str


#: NVIDIA datasheet peaks, DENSE. The A100 and H100 datasheets print the TF32/BF16/FP16 tensor
#: figures "with sparsity"; without sparsity they are half (A100: 312 -> 156 TF32, 624 -> 312
#: BF16/FP16; H100 SXM: 989 -> 494.5 TF32, 1,979 -> 989.5 BF16/FP16). Turing (T4) has FP16 tensor
#: cores only: no TF32, no BF16.
GPUS: tuple[GPU, ...] = (
    GPU("T4", 8.1, None, 65.0, None,
        "NVIDIA T4 Tensor Core GPU datasheet: FP32 8.1 TFLOPS; mixed precision (FP16/FP32) "
        "65 TFLOPS"),
    GPU("A100 SXM", 19.5, 156.0, 312.0, 312.0,
        "NVIDIA A100 Tensor Core GPU datasheet: FP32 19.5; TF32 156 (312 with sparsity); "
        "BF16 and FP16 312 (624 with sparsity) TFLOPS"),
    GPU("H100 SXM", 67.0, 494.5, 989.5, 989.5,
        "NVIDIA H100 Tensor Core GPU datasheet (SXM): FP32 67; TF32 989, BF16 and FP16 1,979 "
        "TFLOPS, printed with sparsity; dense is half"),
)


def peak_tflops(gpu: GPU, precision: str, cudnn_tf32: bool | None = None) -> tuple[float, str]:
    """(dense peak, which peak) for a config's ``precision`` as the engine runs it on `gpu`:
    ``amp`` is FP16 autocast, ``bf16`` BF16 autocast (emulated, FP32 units, where the GPU has no
    BF16 tensor cores), ``fp32`` no autocast, where cuDNN convolutions use TF32 tensor cores when
    ``torch.backends.cudnn.allow_tf32`` (PyTorch's default: True) and the GPU has them."""
    if precision == "amp":
        return gpu.fp16, "FP16 tensor"
    if precision == "bf16":
        return (gpu.bf16, "BF16 tensor") if gpu.bf16 else (gpu.fp32, "FP32 (no BF16 tensor cores)")
    if precision != "fp32":
        raise ValueError(f"unknown precision {precision!r}")
    if cudnn_tf32 is None:
        import torch

        cudnn_tf32 = bool(torch.backends.cudnn.allow_tf32)
    if cudnn_tf32 and gpu.tf32:
        return gpu.tf32, "TF32 tensor (cuDNN convolutions)"
    return gpu.fp32, "FP32"


# --------------------------------------------------------------------------------------------
# jobs


@dataclass(frozen=True)
class RunSpec:
    """One training run: its epochs (maximum), training images, validation images (scored after
    every epoch) and precision."""

    label: str
    epochs: int
    train_images: int
    val_images: int
    precision: str


@dataclass(frozen=True)
class Job:
    """One model at one input size in one chapter, with every run that trains it."""

    chapter: str
    what: str
    cfg: TrainConfig  # the planned budget's config (model, kwargs, input, batch, ...)
    cpu_cfg: TrainConfig  # the chapter's cpu-budget config: its records give the CPU speed
    cpu_records: tuple[str, ...]  # experiment names holding those records
    runs: tuple[RunSpec, ...]
    note: str = ""

    @property
    def model(self) -> str:
        return self.cfg.model


def _labels(counts: tuple[int, ...]) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts).astype(np.int64)


def _stand_in(name: str, labels: np.ndarray, split: np.ndarray | None = None,
              split_names: tuple[str, ...] = ()):
    """A data set with these labels (and official split) and 1x1 images: split sizes only."""
    from ..data.datasets import Dataset

    return Dataset(name, np.zeros((len(labels), 1, 1), np.uint8), labels,
                   tuple(str(i) for i in range(int(labels.max()) + 1)), Path("reference-counts"),
                   "", split=split, split_names=split_names)


def fer2013_stand_in():
    """FER2013 with the official per-split, per-class counts (labels and split only)."""
    y = [_labels(ref.FER2013_COUNTS[s]) for s in ref.FER2013_SPLITS]
    split = np.concatenate([np.full(len(part), i, np.int8) for i, part in enumerate(y)])
    return _stand_in("fer2013", np.concatenate(y), split, ref.FER2013_SPLITS)


def _n_train(labels: np.ndarray, idx: np.ndarray, cfg: TrainConfig) -> int:
    """Images the engine trains on: the seeded stratified ``max_train`` subsample of `idx`."""
    from ..train import stratified_subsample

    return len(stratified_subsample(labels[idx], cfg.max_train, cfg.seed))


def _spec(label: str, cfg: TrainConfig, labels: np.ndarray, sp, val_extra: int = 0) -> RunSpec:
    return RunSpec(label, cfg.epochs, _n_train(labels, sp.train, cfg), len(sp.val) + val_extra,
                   cfg.precision)


def _suwartono(budget: str, seed: int) -> list[Job]:
    from ..data import cv_with_inner_validation, official_fer2013
    from ..train import stratified_subsample
    from . import suwartono2025 as S

    ds = fer2013_stand_in()
    sp = official_fer2013(ds)
    fast = S.fastcnn_config(budget, seed)
    specs = [_spec("held-out run", fast, ds.labels, sp)]
    specs += [RunSpec(f"ablation arm {a}", c.epochs, _n_train(ds.labels, sp.train, c),
                      len(sp.val) if S.ABLATION_MAX_EVAL[budget] is None
                      else min(len(sp.val), S.ABLATION_MAX_EVAL[budget]), c.precision)
              for a in S.ABLATIONS for c in [S.ablation_config(a, budget, seed)]]
    specs.append(_spec("loss as written (stops at the first non-finite loss)",
                       S.as_written_config(budget, seed), ds.labels, sp))
    att = S.attention_cnn_config(budget, seed)
    b = S.BUDGETS[budget]
    train = np.flatnonzero(ds.split_mask("Training"))
    train = train[stratified_subsample(ds.labels[train], b["cv_images"], seed)]
    folds = cv_with_inner_validation(ds.labels, b["cv_folds"], seed, train)
    return [
        Job("suwartono2025", "FastCNN-SE on FER2013 (held-out run, ablation arms, loss as "
            "written)", fast, S.fastcnn_config("cpu", seed),
            ("suwartono2025_holdout",), tuple(specs)),
        Job("suwartono2025", f"attention CNN, {b['cv_folds']}-fold CV on FER2013 Training", att,
            S.attention_cnn_config("cpu", seed), ("suwartono2025_cv",),
            tuple(_spec(f"fold {i + 1}", att, ds.labels, f) for i, f in enumerate(folds))),
    ]


def _resemotenet(budget: str, seed: int) -> list[Job]:
    from ..data import official_fer2013
    from . import resemotenet as R

    ds = fer2013_stand_in()
    sp = official_fer2013(ds)
    cfg = R.config(budget, seed)
    # PrivateTest is also predicted after every epoch (the `watch` split of the leakage chapter)
    return [Job("resemotenet", "ResEmoteNet on FER2013 (official split)", cfg, R.config("cpu", seed),
                ("resemotenet_fer2013",),
                (_spec("official split", cfg, ds.labels, sp, val_extra=len(sp.test)),))]


def _amacnn(budget: str, seed: int) -> list[Job]:
    from . import amacnn as A

    ds = fer2013_stand_in()
    cfg = A.amacnn_config(budget, seed)
    specs = tuple(_spec(f"{p} protocol", cfg, ds.labels,
                        A.split_of(p, ds, seed, A.BUDGETS[budget]["max_eval"]))
                  for p in A.PROTOCOLS)
    return [Job("amacnn", "AMACNN on FER2013 (official and random 80:20 protocols)", cfg,
                A.amacnn_config("cpu", seed), ("amacnn_fer2013_official",), specs)]


def _dlfer(budget: str, seed: int) -> list[Job]:
    from . import dlfer as D

    ds = fer2013_stand_in()
    cfg = D.scratch_b3_config(budget, seed)
    sp = D.paper_split(ds, seed, D.BUDGETS[budget]["max_eval"])
    # one run per arm of the chapter (the paper's recipe, then the sensitivity arm): same
    # network, input, epochs and images, so the same cost per run
    specs = tuple(_spec(f"{label}: training 80/20, PublicTest+PrivateTest",
                        D.scratch_b3_config(budget, seed, **overrides), ds.labels, sp)
                  for label, overrides in D.ARMS.values())
    return [Job("dlfer", "EfficientNet-B3 from scratch on FER2013 (paper's split)", cfg,
                D.scratch_b3_config("cpu", seed), ("dlfer_scratch_b3",), specs)]


def leakage_arm_sizes(labels: np.ndarray, copies: int, seed: int) -> dict[str, tuple[int, int]]:
    """(training rows, validation rows) of each arm of :func:`fer_repro.experiments.leakage.
    arm_data` for originals with these labels, without making the augmented copies: leaky
    splits the pool of copies, honest splits the originals and copies the training part."""
    from ..data import random_split
    from .leakage import TEST_FRACTION, VAL_FRACTION

    honest = random_split(labels, TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
    leaky = random_split(np.tile(labels, copies), TEST_FRACTION, seed, val_fraction=VAL_FRACTION)
    return {"leaky": (len(leaky.train), len(leaky.val)),
            "honest": (copies * len(honest.train), len(honest.val))}


def _leakage(budget: str, seed: int) -> list[Job]:
    from ..train import stratified_subsample
    from . import leakage as L

    ds = fer2013_stand_in()
    b = L.BUDGETS[budget]
    tr = np.flatnonzero(ds.split_mask("Training"))
    y = ds.labels[tr[stratified_subsample(ds.labels[tr], b["n_originals"], seed)]]
    cfg = L.model_config(budget, seed)
    sizes = leakage_arm_sizes(y, b["copies"], seed)
    specs = tuple(RunSpec(f"{arm} arm", cfg.epochs, *sizes[arm], cfg.precision) for arm in L.ARMS)
    return [Job("leakage", "attention CNN, augment-then-split arms (FER2013 Training)", cfg,
                L.model_config("cpu", seed), ("leakage_augment_then_split",), specs)]


def _recorded_fold_sizes(names: tuple[str, ...], protocol: str, folds: int,
                         n_images: int | None) -> dict[tuple[str, int], tuple[int, int]]:
    """(data, fold) -> (training, validation images) of recorded runs with these folds (runs
    that trained on all of their fold's training part)."""
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for name in names:
        for r in runs.records(name):
            c = r.config
            if (c.get("protocol") == protocol and c.get("folds") == folds
                    and c.get("n_images") == n_images and "n_train" in r.extra
                    and c.get("train", {}).get("max_train") is None):
                out[(c["data"], int(c["fold"]))] = (int(r.extra["n_train"]), int(r.extra["n_val"]))
    return out


def _dcrnet(budget: str, seed: int) -> list[Job]:
    from . import dcrnet as D

    b = D.BUDGETS[budget]
    k = b["folds"]
    data = {"ckplus48": _stand_in("ckplus48", _labels(ref.CKPLUS48_COUNTS)),
            "kdef_subset3": _stand_in("kdef_subset3", _labels(ref.KDEF_SUBSET_COUNTS))}
    recorded = _recorded_fold_sizes(("dcrnet_ckplus", "dcrnet_kdef", "dcrnet_ckplus_probe"),
                                    "subject", k, b["n_images"])

    def job(what: str, cfg: TrainConfig, cpu_cfg: TrainConfig, names: tuple[str, ...],
            sets: tuple[str, ...], protocols: tuple[str, ...]) -> Job:
        specs, approx = [], set()
        for name in sets:
            ds = data[name]
            for p in protocols:
                for i, f in enumerate(D.folds(ds, "random", k, seed, b["n_images"])):
                    n_tr, n_va = _n_train(ds.labels, f.train, cfg), len(f.val)
                    if p == "subject":  # subject folds need the subjects: sizes from records
                        if (name, i) in recorded:
                            n_tr, n_va = recorded[(name, i)]
                            n_tr = min(n_tr, cfg.max_train or n_tr)
                        else:
                            approx.add(name)
                    specs.append(RunSpec(f"{name}, {p} fold {i + 1}", cfg.epochs, n_tr, n_va,
                                         cfg.precision))
        note = (f"subject folds of {', '.join(sorted(approx))} not recorded: image-level fold "
                "sizes used" if approx else "")
        return Job("dcrnet", what, cfg, cpu_cfg, names, tuple(specs), note)

    return [
        job("DCRNet (full model), CK+48 and KDEF subset, both protocols",
            D.ckplus_config(budget, seed, "full"), D.ckplus_config("cpu", seed, "full"),
            ("dcrnet_ckplus", "dcrnet_kdef"), tuple(data), D.PROTOCOLS),
        *(job(f"DCRNet ablation variant {v!r}, CK+48", D.ckplus_config(budget, seed, v),
              D.ckplus_config("cpu", seed, v), ("dcrnet_ckplus",), ("ckplus48",),
              tuple(b["ablation"])) for v in b["ablation_variants"]),
        job("attention-CNN protocol probe, CK+48", D.probe_config(budget, seed),
            D.probe_config("cpu", seed), ("dcrnet_ckplus_probe",), ("ckplus48",), D.PROTOCOLS),
    ]


def jobs(budget: str = "full", seed: int = 0) -> list[Job]:
    """Every training job of every chapter at `budget` (one per model and input size)."""
    out: list[Job] = []
    for make in (_leakage, _suwartono, _amacnn, _resemotenet, _dcrnet, _dlfer):
        out += make(budget, seed)
    return out


# --------------------------------------------------------------------------------------------
# cost


def _model_key(cfg: TrainConfig) -> str:
    return json.dumps([cfg.model, cfg.model_kwargs, cfg.in_chans, cfg.input_size],
                      sort_keys=True, default=str)


@functools.cache
def _meta_net(key: str) -> Any:
    """The registered model ``[name, kwargs, in_chans]`` built on the meta device: shapes only,
    no weights allocated (DenseNet121 at the paper's size costs nothing to measure)."""
    import torch

    from ..models import create_model

    model, kwargs, chans = json.loads(key)
    kwargs.pop("pretrained", None)  # weights change no shape; a cost estimate needs none
    with torch.device("meta"):
        return create_model(model, num_classes=7, in_chans=chans, **kwargs)


@functools.cache
def _cost(key: str) -> tuple[float, int]:
    """(forward FLOPs per image, ops of one training step) of the model of `key`, from ONE
    training-mode forward pass of a batch of two on the meta device (shapes only: nothing is
    allocated or computed; batch two because BatchNorm needs it in training mode). FLOPs:
    ``FlopCounterMode`` (a multiply-add = 2 FLOPs), halved; the same count as
    :func:`fer_repro.train.forward_flops` (tests/test_gpu_plan.py checks it). Ops: the aten ops
    the forward dispatches plus the nodes of its autograd graph (each backward node launches
    at least one kernel)."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils.flop_counter import FlopCounterMode

    class Count(TorchDispatchMode):
        n = 0

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            Count.n += 1
            return func(*args, **(kwargs or {}))

    model, kwargs, chans, size = json.loads(key)
    net = _meta_net(json.dumps([model, kwargs, chans], sort_keys=True)).train()
    with FlopCounterMode(display=False) as fc, Count():
        out = net(torch.zeros(2, chans, size, size, device="meta"))
    seen, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None and node not in seen:
            seen.add(node)
            stack.extend(n for n, _ in node.next_functions)
    return fc.get_total_flops() / 2, Count.n + len(seen)


def forward_gflops(cfg: TrainConfig) -> float:
    """Forward GFLOPs of one image of `cfg`'s model at its input size."""
    return _cost(_model_key(cfg))[0] / 1e9


def step_ops(cfg: TrainConfig) -> int:
    """Ops one training step launches at least: forward aten ops + backward autograd nodes
    (optimizer and data ops not counted, so the floor stays a lower bound)."""
    return _cost(_model_key(cfg))[1]


def run_flops(fwd_flops: float, spec: RunSpec) -> float:
    """FLOPs of one run: epochs x (TRAIN_FACTOR x training images + validation images) x
    forward FLOPs per image."""
    return spec.epochs * (TRAIN_FACTOR * spec.train_images + spec.val_images) * fwd_flops


def floor_seconds(ops: int, spec: RunSpec, batch_size: int) -> float:
    """Host-side lower bound of one run's training: steps x ops per step x OP_OVERHEAD_US."""
    return spec.epochs * math.ceil(spec.train_images / batch_size) * ops * OP_OVERHEAD_US * 1e-6


def gpu_seconds(flops: float, precision: str, gpu: GPU, utilisation: float) -> float:
    """Compute-bound seconds of `flops` on `gpu` at `utilisation` of the precision's peak."""
    return flops / (peak_tflops(gpu, precision)[0] * 1e12 * utilisation)


@dataclass(frozen=True)
class CpuSpeed:
    records: tuple[str, ...]  # "name/key" of every record used
    images_per_s: float  # medians over the records
    gflops: float
    threads: int
    model: str  # the recorded model, input and precision
    same_model: bool  # same model, kwargs and input size as the planned job
    train_hours: float  # the records' recorded training time (train_s), summed


def cpu_speed(job: Job) -> CpuSpeed | None:
    """Median measured training speed of the recorded runs of the job's cpu configuration."""
    want = json.loads(json.dumps(job.cpu_cfg.to_dict(), default=str))
    recs = [r for name in job.cpu_records for r in runs.records(name)
            if r.config.get("train") == want and "achieved_gflops" in r.metrics]
    if not recs:
        return None
    c = job.cpu_cfg
    return CpuSpeed(tuple(f"{r.name}/{r.key}" for r in recs),
                    float(np.median([r.metrics["train_images_per_s"] for r in recs])),
                    float(np.median([r.metrics["achieved_gflops"] for r in recs])),
                    int(np.median([r.extra.get("torch_threads", 0) for r in recs])),
                    f"{label(c.model)} {c.input_size}x{c.input_size}x{c.in_chans} {c.precision}",
                    _model_key(c) == _model_key(job.cfg),
                    sum(r.metrics["train_s"] for r in recs) / 3600)


def _size(cfg: TrainConfig) -> str:
    return f"{cfg.input_size}x{cfg.input_size}x{cfg.in_chans}"


def plan_table(budget: str = "full", seed: int = 0, gpu: bool = True) -> Any:
    """One row per job: what it trains, its FLOPs, the measured CPU speed and the estimated CPU
    and GPU times (hours; GPU as compute-bound low/high, per-step floor and the estimate
    max(compute, floor) at both utilisations). ``gpu=False`` leaves out the GPU columns."""
    import pandas as pd

    rows = []
    for j in jobs(budget, seed):
        fwd = forward_gflops(j.cfg) * 1e9
        flops = sum(run_flops(fwd, s) for s in j.runs)
        floor = (sum(floor_seconds(step_ops(j.cfg), s, j.cfg.batch_size) for s in j.runs) / 3600
                 if gpu else np.nan)
        cpu = cpu_speed(j)
        epochs = sorted({s.epochs for s in j.runs})
        row: dict[str, Any] = {
            "chapter": j.chapter, "job": j.what, "model": j.model, "input": _size(j.cfg),
            "precision": "/".join(sorted({s.precision for s in j.runs})),
            "runs per precision": {p: sum(s.precision == p for s in j.runs)
                                   for p in sorted({s.precision for s in j.runs})},
            "batch": j.cfg.batch_size, "runs": len(j.runs),
            "epochs (max)": "/".join(map(str, epochs)),
            "early stopping": j.cfg.early_stop is not None,
            "training images per run": float(np.mean([s.train_images for s in j.runs])),
            "validation images per run": float(np.mean([s.val_images for s in j.runs])),
            "forward GFLOPs per image": fwd / 1e9,
            "ops per step": step_ops(j.cfg) if gpu else np.nan,
            "total PFLOPs": flops / 1e15, "note": j.note,
            "CPU reference": (f"{cpu.model}, {len(cpu.records)} record(s)" if cpu else
                              "no recorded cpu run"),
            "CPU records": ", ".join(cpu.records) if cpu else "",
            "CPU records count": len(cpu.records) if cpu else 0,
            "CPU recorded hours": cpu.train_hours if cpu else np.nan,
            "CPU same model and input": cpu.same_model if cpu else False,
            "CPU threads": cpu.threads if cpu else np.nan,
            "CPU images/s (measured)": cpu.images_per_s if cpu else np.nan,
            "CPU GFLOP/s (measured)": cpu.gflops if cpu else np.nan,
            "CPU hours (estimate)": flops / (cpu.gflops * 1e9) / 3600 if cpu else np.nan,
            "floor hours (estimate)": floor,
        }
        for g in GPUS if gpu else ():
            lo, hi = (sum(gpu_seconds(run_flops(fwd, s), s.precision, g, u) for s in j.runs)
                      / 3600 for u in sorted(UTILISATION, reverse=True))
            row[f"{g.name} compute hours low"], row[f"{g.name} compute hours high"] = lo, hi
            row[f"{g.name} hours low (estimate)"] = max(lo, floor)
            row[f"{g.name} hours high (estimate)"] = max(hi, floor)
            row[f"{g.name} peak used"] = "/".join(sorted({peak_tflops(g, s.precision)[1]
                                                          for s in j.runs}))
        rows.append(row)
    return pd.DataFrame(rows)


def chapter_table(plan: Any, budget: str = "full") -> Any:
    """Per chapter, in :data:`RUN_ORDER`: jobs, runs, PFLOPs, the summed estimates of
    :func:`plan_table` (NaN: no training job) and the papermill command."""
    cols = ["runs", "total PFLOPs", "CPU hours (estimate)", "floor hours (estimate)"]
    cols += [c for c in plan.columns if c.endswith("(estimate)") and c not in cols]
    out = plan.groupby("chapter")[cols].sum(min_count=1).reindex(list(RUN_ORDER))
    out.insert(0, "jobs", plan.groupby("chapter").size().reindex(list(RUN_ORDER)))
    out["command"] = [f"papermill notebooks/{c}.ipynb out.ipynb -p budget {budget}"
                      for c in out.index]
    return out


def cpu_check_table(plan: Any) -> Any:
    """The CPU rule against the clock: for a `plan_table("cpu")`, the jobs whose every planned
    run is recorded, estimated vs recorded training hours. The speed comes from the same
    records, so this checks the bookkeeping (validation passes, per-epoch overheads, medians),
    not the extrapolation to other input sizes."""
    done = plan[plan["CPU records count"] == plan["runs"]]
    out = done[["chapter", "job", "runs", "CPU hours (estimate)", "CPU recorded hours"]].copy()
    out["estimate / recorded"] = out["CPU hours (estimate)"] / out["CPU recorded hours"]
    return out.set_index(["chapter", "job"])


def cpu_only_table(budget: str = "full") -> Any:
    """Work of the budget that runs on the CPU only (scikit-learn), with the recorded wall time
    of the cpu-budget run when its settings equal the budget's (else NaN)."""
    import pandas as pd

    from . import reference, suwartono2025

    rows = []
    same = suwartono2025.protocol_complete("cpu", "baselines") and budget == "full"
    for r in runs.records("suwartono2025_baseline_cv"):
        if r.budget == "cpu":
            rows.append({"chapter": "suwartono2025",
                         "work": f"PCA(128) + {r.config['classifier']}, "
                                 f"{r.config['folds']}-fold CV on FER2013 Training",
                         "record": f"{r.name}/{r.key}",
                         "recorded hours": r.info["wall_time_s"] / 3600 if same else np.nan})
    same = reference.MAX_TRAIN["cpu"] == reference.MAX_TRAIN[budget]
    for r in runs.records("fer2013_pca_classifier"):
        if r.budget == "cpu":
            rows.append({"chapter": "data", "work": "PCA(128) + logistic regression on FER2013",
                         "record": f"{r.name}/{r.key}",
                         "recorded hours": r.info["wall_time_s"] / 3600 if same else np.nan})
    return pd.DataFrame(rows, columns=["chapter", "work", "record", "recorded hours"])


def peaks_table(cudnn_tf32: bool | None = None) -> Any:
    """The datasheet peaks (TFLOPS, dense) and which one each config precision uses."""
    import pandas as pd

    rows = []
    for g in GPUS:
        row: dict[str, Any] = {"GPU": g.name, "FP32": g.fp32, "TF32 tensor": g.tf32,
                               "FP16 tensor": g.fp16, "BF16 tensor": g.bf16}
        for p in ("fp32", "bf16", "amp"):
            v, what = peak_tflops(g, p, cudnn_tf32)
            row[f"precision {p} uses"] = f"{what} ({v:g})"
        row["source"] = g.source
        rows.append(row)
    return pd.DataFrame(rows).set_index("GPU")
