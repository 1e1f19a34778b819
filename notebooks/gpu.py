# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Re-running on a GPU
#
# Every chapter is a notebook with a `budget` parameter. The book's recorded runs use `cpu`
# ({glue:text}`gpu_cpu_meaning`); `full` is {glue:text}`gpu_full_meaning`. This page lists what `full`
# trains, chapter by chapter, and estimates how long that takes on a CPU and on the NVIDIA GPUs
# of the datasheet table below. It trains nothing: the jobs come from the chapters' own configurations, the CPU speeds from
# the committed records of the `cpu` runs, the GPU speeds from NVIDIA's datasheets. **Every duration
# on this page is an estimate**, computed below, not a measurement.

# %% tags=["parameters"]
# Parameters (papermill): see README, "Re-executing a chapter".
budget = "cpu"  # smoke | cpu | full
compute = "auto"  # auto: compute missing runs (the book reads records only); never; force
seed = 0

# %% tags=["hide-input"]
from fer_repro import chapter

chapter.start(budget=budget, compute=compute, seed=seed)

import numpy as np
import pandas as pd
import torch
from IPython.display import Markdown, display
from myst_nb import glue

from fer_repro.experiments import dcrnet as DC
from fer_repro.experiments import dlfer as DL
from fer_repro.experiments import gpu_plan as G
from fer_repro.models import dcrnet as DCM
from fer_repro.models import dlfer as DLM
from fer_repro.params import BUDGET_MEANING

PLAN = "full"  # this page always describes the `full` budget, whatever `budget` says
plan = G.plan_table(PLAN, seed)
by_chapter = G.chapter_table(plan, PLAN)
GPU_NAMES = [g.name for g in G.GPUS]


def hours(h):
    """A duration in hours, written in minutes, hours or days."""
    if not np.isfinite(h):
        return "n/a"
    if h < 1:
        return f"{max(h * 60, 1):.0f} min"
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


def span(lo, hi):
    a, b = hours(lo), hours(hi)
    return a if a == b else f"{a} to {b}"


glue("gpu_cpu_meaning", BUDGET_MEANING["cpu"], display=False)
glue("gpu_full_meaning", BUDGET_MEANING[PLAN], display=False)
glue("gpu_n_jobs", str(len(plan)), display=False)
glue("gpu_n_runs", f"{int(plan['runs'].sum()):,}", display=False)
glue("gpu_n_chapters", str(plan["chapter"].nunique()), display=False)
glue("gpu_total_pflops", f"{plan['total PFLOPs'].sum():,.0f}", display=False)
glue("gpu_epochs_range", "{} to {}".format(
    min(int(e) for v in plan["epochs (max)"] for e in v.split("/")),
    max(int(e) for v in plan["epochs (max)"] for e in v.split("/"))), display=False)
big = plan.loc[plan["total PFLOPs"].idxmax()]
glue("gpu_biggest", f"{big['job']} in the {big['chapter']} chapter, {big['total PFLOPs']:,.0f} "
     "petaFLOPs", display=False)

# %% tags=["remove-input"]
chapter.rerun_box("gpu")

# %% [markdown]
# ## What `full` trains
#
# At `full` the {glue:text}`gpu_n_chapters` chapters that train networks run {glue:text}`gpu_n_runs` training
# runs of {glue:text}`gpu_n_jobs` distinct models (one row per chapter, model and input size below), of
# {glue:text}`gpu_epochs_range` epochs each, {glue:text}`gpu_total_pflops` petaFLOPs of arithmetic in all;
# the largest job is {glue:text}`gpu_biggest`. The epochs are maxima: runs with early stopping can end
# sooner. Training and validation images per run are computed with the chapters' own split
# functions on the documented class counts of each data set (for the subject-independent folds of
# CK+ and KDEF, from the recorded runs with the same folds). Forward FLOPs per image are counted by
# PyTorch's `FlopCounterMode` on the model at its `full` input size (multiplications and additions
# counted separately, as `fer_repro.train.forward_flops` does).

# %% tags=["hide-input"]
from fer_repro import tables

cols = ["chapter", "job", "model", "input", "precision", "batch", "runs", "epochs (max)",
        "early stopping", "training images per run", "validation images per run",
        "forward GFLOPs per image", "total PFLOPs", "note"]
display(tables.show(plan[cols].set_index(["chapter", "job"]), formats={"total PFLOPs": "{:,.2f}"}))

# %% tags=["hide-input"]
for p in ("amp", "bf16", "fp32"):
    names = [r["model"] if r["runs per precision"][p] == r["runs"] else
             f"{r['model']} in {r['runs per precision'][p]} of its {r['runs']} runs"
             for _, r in plan.iterrows() if p in r["runs per precision"]]
    glue(f"gpu_{p}_models", ", ".join(dict.fromkeys(names)) or "none", display=False)
glue("gpu_cudnn_tf32", str(torch.backends.cudnn.allow_tf32), display=False)
glue("gpu_matmul_tf32", str(torch.backends.cuda.matmul.allow_tf32), display=False)
glue("gpu_torch", torch.__version__, display=False)

# %% [markdown]
# ## What the training engine does on a GPU
#
# The engine (`fer_repro/train.py`) needs no setting to use a GPU:
#
# * **Device.** It trains on CUDA whenever `torch.cuda.is_available()` is true (the current CUDA
#   device; choose one with `CUDA_VISIBLE_DEVICES`), otherwise on the CPU.
# * **Data.** The images stay in host memory as `uint8`; with CUDA the training images and labels
#   are put in pinned (page-locked) memory, each batch is copied with `non_blocking=True`, and the
#   conversion to float, resizing to the model's input size, channel repetition, normalisation and
#   augmentation all run on the GPU. There are no data-loader worker processes.
# * **Precision.** Mixed precision is set per configuration (the `precision` column above), not
#   switched on for every model: `amp` is float16 autocast with gradient scaling (here:
#   {glue:text}`gpu_amp_models`), `bf16` is bfloat16 autocast ({glue:text}`gpu_bf16_models`), `fp32` has no
#   autocast ({glue:text}`gpu_fp32_models`). With this PyTorch ({glue:text}`gpu_torch`),
#   `torch.backends.cudnn.allow_tf32` is {glue:text}`gpu_cudnn_tf32` and
#   `torch.backends.cuda.matmul.allow_tf32` is {glue:text}`gpu_matmul_tf32`: on Ampere and newer GPUs
#   cuDNN may run the convolutions of `fp32` configurations on TF32 tensor cores (the estimates
#   below assume it does), while matrix products stay in FP32.
# * **Determinism.** With CUDA, seeding sets `cudnn.deterministic = True` and
#   `cudnn.benchmark = False`: cuDNN uses deterministic convolution algorithms, at some cost in
#   speed. The engine does not call `torch.use_deterministic_algorithms`, so a few CUDA kernels
#   (the backward pass of adaptive pooling, for one) can still make two GPU runs differ slightly,
#   and GPU and CPU results differ in the last bits: a GPU run does not reproduce the CPU numbers
#   exactly.
# * **Memory layout and timing.** Model and inputs are `channels_last`; the engine waits for the
#   GPU within every step to time data preparation and compute separately (the record's
#   `train_images_per_s` and `data_share`).
# * **Resumption.** A checkpoint is written after every epoch to
#   `results/<experiment>/<key>/checkpoints/` (ignored by git); re-running the chapter with the same
#   parameters resumes an interrupted run at its last finished epoch.

# %% tags=["hide-input"]
dcr_pre = bool(DC.BUDGETS[PLAN]["pretrained"])
dlf_pre = bool(DL.scratch_b3_config(PLAN, seed).model_kwargs.get("pretrained", False))
glue("gpu_dcr_pretrained", f"pretrained={dcr_pre}", display=False)
glue("gpu_dlf_pretrained", f"pretrained={dlf_pre}", display=False)
scratch = [n for n, p in (("DCRNet", dcr_pre), ("DLFER's ablation arm", dlf_pre)) if not p]
glue("gpu_scratch", ("both train from random initialisation" if len(scratch) == 2 else
                     (f"{scratch[0]} trains from random initialisation" if scratch else
                      "both start from ImageNet weights")), display=False)
# named under $TORCH_HOME (torch.hub.get_dir() is $TORCH_HOME/hub), not as this machine's path
glue("gpu_densenet_path", f"$TORCH_HOME/hub/checkpoints/{DCM.densenet121_cache_path().name}", display=False)
glue("gpu_effnet_path", f"$TORCH_HOME/hub/checkpoints/{DLM.efficientnet_b3_cache_path().name}", display=False)
glue("gpu_densenet_here", "present" if DCM.densenet121_cache_path().exists() else "absent", display=False)
glue("gpu_effnet_here", "present" if DLM.efficientnet_b3_cache_path().exists() else "absent", display=False)

# %% [markdown]
# ## ImageNet weights
#
# DCRNet's and DLFER's papers start from ImageNet weights. At `full`, DCRNet's configuration sets
# {glue:text}`gpu_dcr_pretrained` and DLFER's from-scratch {term}`ablation` arm (the paper's own ImageNet stage
# cannot be re-run: its weights were never released; the chapter's sensitivity arm starts from
# scratch too) sets {glue:text}`gpu_dlf_pretrained`: {glue:text}`gpu_scratch`.
# The models load ImageNet weights only when a configuration sets `pretrained=True`, and then only
# from torchvision's files in the local torch-hub cache: nothing is ever downloaded, and a missing
# file stops the run with an error naming the path. The paths are {glue:text}`gpu_densenet_path`
# (DenseNet121; {glue:text}`gpu_densenet_here` on the machine that built this page) and
# {glue:text}`gpu_effnet_path` (EfficientNet-B3; {glue:text}`gpu_effnet_here`), where `TORCH_HOME` is
# torch's cache folder; set it to move the cache.

# %% tags=["hide-input"]
lo, hi = G.UTILISATION
glue("gpu_factor", str(G.TRAIN_FACTOR), display=False)
glue("gpu_util", f"{lo:.0%} to {hi:.0%}", display=False)
glue("gpu_op_us", f"{G.OP_OVERHEAD_US:g} µs", display=False)
cpu_plan = G.plan_table("cpu", seed, gpu=False)
check = G.cpu_check_table(cpu_plan)
ratio = check["estimate / recorded"]
glue("gpu_cpu_check", f"{ratio.min():.2f} to {ratio.max():.2f}", display=False)
glue("gpu_cpu_check_n", str(len(check)), display=False)
glue("gpu_cpu_total", hours(plan["CPU hours (estimate)"].sum(min_count=1)), display=False)
glue("gpu_cpu_jobs", f"{int(plan['CPU images/s (measured)'].notna().sum())} of {len(plan)}", display=False)
glue("gpu_cpu_same", str(int(plan["CPU same model and input"].sum())), display=False)

# %% [markdown]
# ## How the durations are estimated
#
# * **Arithmetic.** A training image costs {glue:text}`gpu_factor` times its forward FLOPs (forward plus
#   backward; `FlopCounterMode`'s own backward count is not used, it over-counts grouped and
#   depthwise convolutions), a validation image one forward pass after every epoch. Epochs are the
#   maxima; the one-off test passes and the predictions made after training are left out.
# * **CPU.** The job's FLOPs divided by the FLOP rate the recorded `cpu` runs of the same chapter
#   configuration achieved (median over those records; the rate the engine stores is the same
#   {glue:text}`gpu_factor` times forward FLOPs per training image times images per second). Where the
#   `full` model or input differs from the recorded one, the same FLOP rate is assumed at the new
#   size. Recorded speeds exist for {glue:text}`gpu_cpu_jobs` jobs, {glue:text}`gpu_cpu_same` of them with the
#   same model and input as at `full`. The recorded runs used few threads of a shared machine
#   (column `CPU threads`), so a larger CPU is faster.
# * **GPU, compute-bound.** FLOPs divided by the datasheet's dense peak for the precision the engine
#   uses on that GPU (table below) times an assumed utilisation of {glue:text}`gpu_util`.
# * **GPU, per-step floor.** The engine runs eagerly, one step after another, so a step cannot take
#   less than its operations times the host time to issue each one, however fast the GPU; the
#   floor counts the aten operations of a forward pass and the nodes of its autograd graph and
#   assumes {glue:text}`gpu_op_us` each (an optimistic figure). Small models at FER2013's native size
#   hit this floor, not the compute bound. The estimate is the larger of the two.
#
# Both GPU figures are optimistic: memory-bound layers (DenseNet's concatenations, the depthwise
# convolutions of EfficientNet-B3) run below the assumed utilisation, deterministic cuDNN algorithms
# can be slower, and the floor leaves out the optimizer, the data preparation and the engine's
# waits for the GPU in every step.

# %% tags=["hide-input"]
peaks = G.peaks_table()
display(tables.show(peaks, formats=dict.fromkeys(["FP32", "TF32 tensor", "FP16 tensor", "BF16 tensor"], "{:,.1f}"),
                    na_rep="n/a", caption="Datasheet peaks (dense TFLOP/s) and the peak each precision uses"))

# %% [markdown]
# The CPU rule applied to the `cpu` budget reproduces the recorded training times of the
# {glue:text}`gpu_cpu_check_n` jobs whose runs are all recorded to a ratio of {glue:text}`gpu_cpu_check`
# (estimate over recorded). The speed comes from those same records, so this checks the
# bookkeeping (validation passes, per-epoch overheads), not the extrapolation to `full` sizes.

# %% tags=["hide-input"]
display(tables.show(check))

# %% [markdown]
# ## Estimated durations per job
#
# Measured CPU speed (from the records named in the last column) and the estimated time of each
# job on that CPU and on each GPU (compute-bound range from the high to the low utilisation,
# raised to the per-step floor where the floor is higher). All are **estimates**.

# %% tags=["hide-input"]
rows = []
for _, r in plan.iterrows():
    row = {"chapter": r["chapter"], "job": r["job"], "CPU reference": r["CPU reference"],
           "CPU threads": r["CPU threads"], "CPU images/s (measured)": r["CPU images/s (measured)"],
           "CPU GFLOP/s (measured)": r["CPU GFLOP/s (measured)"],
           "CPU (estimate)": hours(r["CPU hours (estimate)"]),
           "per-step floor (estimate)": hours(r["floor hours (estimate)"])}
    for g in GPU_NAMES:
        row[f"{g} (estimate)"] = span(r[f"{g} hours low (estimate)"], r[f"{g} hours high (estimate)"])
        row[f"{g} bound at {G.UTILISATION[1]:.0%}"] = (
            "per-step floor" if r["floor hours (estimate)"] >= r[f"{g} compute hours low"] else "compute")
    row["CPU records"] = r["CPU records"]
    rows.append(row)
est = pd.DataFrame(rows).set_index(["chapter", "job"])
display(tables.show(est, na_rep="n/a"))

# %% tags=["hide-input"]
tot = {g: (plan[f"{g} hours low (estimate)"].sum(), plan[f"{g} hours high (estimate)"].sum()) for g in GPU_NAMES}
for g, key in zip(GPU_NAMES, ("t4", "a100", "h100"), strict=True):
    glue(f"gpu_total_{key}", span(*tot[g]), display=False)
slow = by_chapter[f"{GPU_NAMES[0]} hours high (estimate)"].idxmax()
glue("gpu_slowest", f"{slow} ({span(by_chapter.loc[slow, f'{GPU_NAMES[0]} hours low (estimate)'], by_chapter.loc[slow, f'{GPU_NAMES[0]} hours high (estimate)'])} on a {GPU_NAMES[0]})", display=False)
n_floor = int((plan["floor hours (estimate)"] >= plan[f"{GPU_NAMES[1]} compute hours low"]).sum())
glue("gpu_floor_bound", f"{n_floor} of {len(plan)}", display=False)
glue("gpu_mid", GPU_NAMES[1], display=False)

# %% [markdown]
# ## Per chapter, and the commands
#
# All chapters together: {glue:text}`gpu_total_t4` on a T4, {glue:text}`gpu_total_a100` on an A100 and
# {glue:text}`gpu_total_h100` on an H100 (estimates), against {glue:text}`gpu_cpu_total` on the book's CPU.
# The longest chapter on the smallest GPU is {glue:text}`gpu_slowest`. On the {glue:text}`gpu_mid`,
# {glue:text}`gpu_floor_bound` jobs are bound by the per-step floor rather than by arithmetic at the
# high utilisation: there, a faster GPU does not help, and the estimate is a lower bound.

# %% tags=["hide-input"]
view = pd.DataFrame({"jobs": by_chapter["jobs"], "runs": by_chapter["runs"],
                     "CPU (estimate)": by_chapter["CPU hours (estimate)"].map(hours)})
for g in GPU_NAMES:
    view[f"{g} (estimate)"] = [span(a, b) for a, b in zip(by_chapter[f"{g} hours low (estimate)"],
                                                          by_chapter[f"{g} hours high (estimate)"], strict=True)]
view["command"] = by_chapter["command"]
view = view.fillna({"jobs": 0, "runs": 0}).astype({"jobs": int, "runs": int})
view.loc[view["jobs"] == 0, [c for c in view.columns if c.endswith("(estimate)")]] = "no training"
display(tables.show(view))

# %% [markdown]
# Run the chapters from the repository root, with the environment active, in this order (the
# leakage chapter reads the FastCNN-SE record of the Suwartono chapter and trains ResEmoteNet's
# `full` run itself when it is missing; the AMACNN and DLFER chapters read the leakage records; the
# overview reads them all):

# %% tags=["hide-input"]
display(Markdown("```bash\n" + "\n".join(by_chapter["command"]) + "\n```"))

# %% tags=["hide-input"]
cpu_only = G.cpu_only_table(PLAN)
glue("gpu_cpu_only", hours(cpu_only["recorded hours"].sum(min_count=1)), display=False)

# %% [markdown]
# `compute` stays `auto`: a run already recorded with the same configuration is read, not
# repeated, and an interrupted chapter continues where it stopped. Do not set
# `FER_REPRO_COMPUTE=never` (it makes every chapter read-only). Besides the networks, `full` also
# repeats some CPU-only scikit-learn work; its settings equal the `cpu` budget's, whose recorded
# wall time for it totals {glue:text}`gpu_cpu_only`:

# %% tags=["hide-input"]
display(tables.show(cpu_only.set_index(["chapter", "work"]), formats={"recorded hours": "{:,.3f}"}, na_rep="n/a"))

# %% [markdown]
# ## Afterwards: commit the runs
#
# Each new run is written to `results/<experiment>/<key>/` (`record.json` with the configuration,
# metrics, library versions, git commit and device; `predictions.npz`; `history.csv`), where the
# key is a hash of the configuration and the code version, not of the machine. Commit them
# (`git add results/` and commit; the `checkpoints/` folders are ignored by git): with the records
# in the repository, anyone who executes a chapter with `-p budget full` reads the runs instead of
# training them again.
