"""Performance of the book's machinery, measured in one process and recorded as one run-store record.

In one run, on one machine, this script measures

* the machine's matmul peak (fp32 and bf16), once;
* for each model of the book, at its chapter's ``cpu``-budget configuration (input size,
  channels, batch, precision, loss, augmentation; see :func:`chapter_config`): the training
  engine's images/s over ``--steps`` timed steps on FER2013 Training images (after
  :data:`WARMUP` untimed steps), its data share of step time, its achieved GFLOP/s (three times
  the forward FLOPs per image, times images/s) and that as a share of the matmul peak of the
  precision it trains in; for the models trained at 48x48x1, also the plain torchvision
  ``ImageFolder`` + PIL ``DataLoader`` loop of ``benchmarks/throughput.py`` (fp32, plain
  cross-entropy, same images, same batch) and the engine's speed-up over it;
* the time to build the whole book into a temporary folder (``jupyter-book build``, chapters
  read the run store: ``FER_REPRO_COMPUTE=never``) and the time to re-execute one chapter from
  the run store (``papermill ... -p budget cpu -p compute never``);

and records everything, with the machine's facts, as one record of the experiment
``performance`` (``results/performance/<key>/``), so that ``notebooks/performance.ipynb`` renders
from the record and never measures. Run it on an otherwise idle machine::

    python benchmarks/performance.py      # everything: roughly 15-25 min on 2 idle cores
    python benchmarks/performance.py --steps 2 --models amacnn --skip-book   # a quick check

The engine measurement reuses ``throughput.py``'s naive loop; the engine side is not
``throughput.measure`` because that one trains every model at 48x48x1 with one fixed recipe and
measures the peak on every call.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # benchmarks/ is not a package
import throughput

from fer_repro import runs
from fer_repro.train import (
    TrainConfig,
    cpu_features,
    cpu_model,
    fit,
    forward_flops,
    matmul_peak_gflops,
    stratified_subsample,
)

NAME = "performance"
#: the book's architectures, in chapter order
MODELS = ("suwartono_attention_cnn", "suwartono_fastcnn_se", "suwartono_convformer",
          "resemotenet_paper", "amacnn", "dcrnet", "dlfer_effnet_b3")
#: untimed steps before the timed ones (the engine and the naive loop both skip two)
WARMUP = 2
#: the engine's design target: this many times the naive loop's images/s
TARGET_SPEEDUP = 3.0
DEFAULT_CHAPTER = "suwartono2025"


# --------------------------------------------------------------------------------------------
# what is measured


def chapter_config(model: str, seed: int = 0) -> TrainConfig:
    """The training configuration a chapter uses for `model` at the ``cpu`` budget (the book's
    recorded runs), cut to one epoch without early stopping or subsampling."""
    from fer_repro.experiments import amacnn, dcrnet, dlfer, resemotenet, suwartono2025

    if model == "suwartono_attention_cnn":
        cfg = suwartono2025.attention_cnn_config("cpu", seed)
    elif model == "suwartono_fastcnn_se":
        cfg = suwartono2025.fastcnn_config("cpu", seed)
    elif model == "suwartono_convformer":  # no chapter trains it: the attention CNN's recipe
        cfg = suwartono2025.attention_cnn_config("cpu", seed, model="suwartono_convformer")
    elif model == "resemotenet_paper":
        cfg = resemotenet.config("cpu", seed)
    elif model == "amacnn":
        cfg = amacnn.amacnn_config("cpu", seed)
    elif model == "dcrnet":  # speed does not depend on the starting weights: no backbone file
        cfg = dcrnet.ckplus_config("cpu", seed)
        cfg = cfg.replace(model_kwargs={**cfg.model_kwargs, "pretrained": False})
    elif model == "dlfer_effnet_b3":
        cfg = dlfer.scratch_b3_config("cpu", seed)
    else:
        raise ValueError(f"no chapter configuration for model {model!r}; known: {MODELS}")
    return cfg.replace(epochs=1, early_stop=None, max_train=None, seed=seed)


def achieved_gflops(forward_flops_per_image: float, images_per_s: float) -> float:
    """Training GFLOP/s: forward + backward ~ 3x the forward FLOPs of each image."""
    return 3.0 * forward_flops_per_image * images_per_s / 1e9


def naive_supported(cfg: TrainConfig) -> bool:
    """throughput.naive_loop feeds 48x48 grey images (ToTensor, in_chans=1) to the model."""
    return cfg.input_size == 48 and cfg.in_chans == 1


def measure_model(cfg: TrainConfig, images: np.ndarray, labels: np.ndarray,
                  val_images: np.ndarray, val_labels: np.ndarray, steps: int,
                  peaks: dict[str, float], naive: bool = True, n_classes: int = 7) -> dict[str, Any]:
    """One row of the performance table: the engine (and the naive loop where supported) on
    ``(steps + WARMUP) * batch`` images of `images`, stratified by `labels`."""
    batch = cfg.batch_size
    n = (steps + WARMUP) * batch
    if n > len(labels):
        raise ValueError(f"{cfg.model}: {steps} steps of batch {batch} need {n} images, "
                         f"have {len(labels)}")
    idx = stratified_subsample(labels, n, cfg.seed)
    x = torch.from_numpy(np.ascontiguousarray(images[idx]))
    res = fit(cfg, x, labels[idx], torch.from_numpy(np.ascontiguousarray(val_images)),
              val_labels, n_classes)
    fwd = forward_flops(res.model, cfg)
    ips = res.throughput["train_images_per_s"]
    gflops = achieved_gflops(fwd, ips)
    peak = peaks["bf16" if cfg.precision == "bf16" else "fp32"]
    row: dict[str, Any] = {
        "model": cfg.model, "input_size": cfg.input_size, "in_chans": cfg.in_chans,
        "batch": batch, "precision": cfg.precision, "steps": steps,
        "timed_images": res.throughput["timed_images"],
        "images_per_s": ips, "data_share": res.throughput["data_share"],
        "forward_gflops_per_image": fwd / 1e9, "achieved_gflops": gflops,
        "peak_gflops": peak, "share_of_peak": gflops / peak,
        "n_parameters": int(sum(p.numel() for p in res.model.parameters())),
        "naive_images_per_s": None, "speedup": None,
    }
    if naive and naive_supported(cfg):
        nv = throughput.naive_loop(cfg.model, images[idx], labels[idx], steps + WARMUP, batch)
        row["naive_images_per_s"] = nv
        row["speedup"] = ips / nv
    return row


def timed(cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None,
          timeout: float | None = None) -> dict[str, Any]:
    """Wall time of a command (seconds), its exit code and the tail of its output."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(list(cmd), env=env, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, check=False)
        rc, out = p.returncode, (p.stdout or "") + (p.stderr or "")
    except subprocess.TimeoutExpired as e:
        rc, out = -1, f"timed out after {timeout} s: {e}"
    return {"seconds": time.perf_counter() - t0, "returncode": rc, "command": " ".join(cmd),
            "tail": out[-2000:]}


def _tool_env() -> dict[str, str]:
    """The environment of the book's own render: records only, this venv first on PATH."""
    env = dict(os.environ, FER_REPRO_COMPUTE="never", FER_REPRO_QUIET="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def time_book_build(out_dir: Path) -> dict[str, Any]:
    """A full `jupyter-book build` of this repository into `out_dir` (as `make book` runs it)."""
    jb = str(Path(sys.executable).with_name("jupyter-book"))
    return timed([jb, "build", str(ROOT), "--path-output", str(out_dir), "--all", "-W",
                  "--keep-going"], env=_tool_env(), cwd=ROOT)


def time_chapter(chapter: str, out_dir: Path) -> dict[str, Any]:
    """Re-execution of one chapter from the run store with papermill (budget cpu, compute never)."""
    pm = str(Path(sys.executable).with_name("papermill"))
    return timed([pm, str(ROOT / "notebooks" / f"{chapter}.ipynb"), str(out_dir / "chapter.ipynb"),
                  "-p", "budget", "cpu", "-p", "compute", "never", "--cwd", str(ROOT / "notebooks"),
                  "--log-level", "ERROR"], env=_tool_env(), cwd=ROOT)


def machine() -> dict[str, Any]:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        affinity = os.cpu_count()
    return {
        "cpu_count": os.cpu_count(), "cpus_usable": affinity,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "torch_version": torch.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        # the CPU and the instructions that decide bf16 speed, recorded with every timing
        "cpu_model": cpu_model(), **cpu_features(),
        "processor": platform.processor() or platform.machine(), "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_start": list(os.getloadavg()),
    }


def measure(config: dict[str, Any], data=None, log=print) -> runs.Outcome:
    """Everything, in this process. `data` = (images, labels, val_images, val_labels) replaces
    FER2013 (the tests use synthetic images)."""
    facts = machine()
    if facts["load_average_start"][0] > 0.5 * (facts["cpus_usable"] or 1):
        log(f"warning: load average {facts['load_average_start'][0]:.2f} at start: the machine "
            "is not idle; the numbers will be low")
    if data is None:
        from fer_repro.data import load_fer2013

        ds = load_fer2013()
        train = np.flatnonzero(ds.split_mask("Training"))
        val = np.flatnonzero(ds.split_mask("PublicTest"))[:64]
        data = ds.images[train], ds.labels[train], ds.images[val], ds.labels[val]
    images, labels, val_images, val_labels = data
    t0 = time.perf_counter()
    peaks = {"fp32": matmul_peak_gflops(dtype=torch.float32),
             "bf16": matmul_peak_gflops(dtype=torch.bfloat16)}
    log(f"matmul peak: fp32 {peaks['fp32']:.1f} GFLOP/s, bf16 {peaks['bf16']:.1f} GFLOP/s")
    rows = []
    for name in config["models"]:
        cfg = chapter_config(name, config["seed"])
        if config["precision"] != "chapter":
            cfg = cfg.replace(precision=config["precision"])
        if config.get("batch"):
            cfg = cfg.replace(batch_size=config["batch"])
        t = time.perf_counter()
        row = measure_model(cfg, images, labels, val_images, val_labels, config["steps"], peaks,
                            naive=config["naive"])
        row["wall_s"] = time.perf_counter() - t
        rows.append(row)
        naive = (f", naive {row['naive_images_per_s']:.1f} img/s (x{row['speedup']:.2f})"
                 if row["speedup"] is not None else "")
        log(f"{name:>24}: {row['images_per_s']:.1f} img/s, {row['achieved_gflops']:.1f} GFLOP/s "
            f"({row['share_of_peak']:.1%} of peak), data {row['data_share']:.1%}{naive}")
    models_s = time.perf_counter() - t0
    book = chapter = None
    if config["book"]:
        with tempfile.TemporaryDirectory(prefix="fer_perf_") as tmp:
            log("building the book ...")
            book = time_book_build(Path(tmp) / "book")
            log(f"book build: {book['seconds']:.0f} s (exit {book['returncode']})")
            log(f"re-executing notebooks/{config['chapter']}.ipynb ...")
            chapter = time_chapter(config["chapter"], Path(tmp))
            log(f"chapter: {chapter['seconds']:.0f} s (exit {chapter['returncode']})")
    facts["load_average_end"] = list(os.getloadavg())
    speedups = [r["speedup"] for r in rows if r["speedup"] is not None]
    nan = float("nan")
    metrics = {
        "matmul_peak_gflops_fp32": peaks["fp32"], "matmul_peak_gflops_bf16": peaks["bf16"],
        "models_s": models_s,
        "book_build_s": book["seconds"] if book else nan,
        "chapter_s": chapter["seconds"] if chapter else nan,
        "min_speedup": min(speedups) if speedups else nan,
        "max_speedup": max(speedups) if speedups else nan,
    }
    extra = {"models": rows, "machine": facts, "book": book, "chapter": chapter,
             "target_speedup": TARGET_SPEEDUP, "warmup_steps": WARMUP}
    return runs.Outcome(metrics, extra=extra)


# --------------------------------------------------------------------------------------------
# command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=30,
                    help=f"timed training steps per model, after {WARMUP} untimed ones (default 30)")
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS, metavar="MODEL",
                    help=f"models to measure (default: all of {', '.join(MODELS)})")
    ap.add_argument("--batch", type=int, default=None,
                    help="batch size for every model (default: each chapter's own)")
    ap.add_argument("--precision", default="chapter", choices=("chapter", "fp32", "bf16"),
                    help="engine precision: each chapter's own (default) or one for all")
    ap.add_argument("--no-naive", dest="naive", action="store_false",
                    help="skip the naive ImageFolder + PIL loop")
    ap.add_argument("--chapter", default=DEFAULT_CHAPTER,
                    help=f"chapter re-executed from the run store (default {DEFAULT_CHAPTER})")
    ap.add_argument("--skip-book", action="store_true",
                    help="skip the book timings (the book build and the chapter re-execution)")
    ap.add_argument("--force", action="store_true",
                    help="measure again even when this configuration is recorded")
    a = ap.parse_args(argv)
    if a.steps < 1:
        ap.error("--steps must be at least 1")
    if a.batch is not None and a.batch < 1:
        ap.error("--batch must be at least 1")
    if not a.skip_book and not (ROOT / "notebooks" / f"{a.chapter}.ipynb").exists():
        ap.error(f"--chapter {a.chapter}: notebooks/{a.chapter}.ipynb does not exist")
    return a


def config_of(a: argparse.Namespace) -> dict[str, Any]:
    """The record's configuration (its key): what was measured, not the machine."""
    return {"models": list(a.models), "steps": a.steps, "warmup": WARMUP, "batch": a.batch,
            "precision": a.precision, "naive": a.naive, "book": not a.skip_book,
            "chapter": a.chapter if not a.skip_book else None, "budget": "cpu", "seed": 0}


def main(argv: Sequence[str] | None = None) -> runs.Record:
    a = parse_args(argv)
    if not a.skip_book and not (ROOT / "book" / "_vendor" / ".complete").exists():
        sys.exit("the book build needs the offline browser assets: run ./tools/fetch_static.sh "
                 "(or make book) first, or pass --skip-book")
    cfg = config_of(a)
    rec = runs.fetch(NAME, cfg, lambda c, w: measure(c), mode="force" if a.force else "auto")
    print(f"record: {rec.path} (finished {rec.info['finished']}, wall {rec.info['wall_time_s']} s)")
    return rec


if __name__ == "__main__":
    main()
