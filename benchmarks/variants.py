"""Where a CPU training step's time goes, and which execution variant is fastest, per model.

Measured in one process on one machine (the record names its CPU and bf16/AMX support):

* ``phases``: the engine's own training step for each chapter's ``cpu`` configuration, split into
  its parts (batch indexing + conversion + augmentation, forward, loss, backward, optimizer),
  each timed with the engine's own functions; against a *bare* step (random input, cross-entropy,
  SGD) of the same model, precision and memory format;
* ``variants``: that engine step under eager vs ``torch.compile`` (inductor), channels-last vs
  contiguous memory, 1 vs 2 threads, fp32 vs bf16 autocast;
* ``peer``: the released ResEmoteNet model trained by a loop rebuilt from the description of its
  official training script (per-image torchvision pipeline: Resize 64, Grayscale to 3 channels,
  RandomHorizontalFlip, ToTensor, Normalize; DataLoader batch 16, shuffled; SGD), against the
  engine on the same model, batch, input and machine.

    python benchmarks/variants.py [--steps 12] [--models M ...] [--force]

The record lands in ``results/benchmark_variants/``; the performance page reads it.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from performance import MODELS, chapter_config
from throughput import loader_images_per_s, write_image_folder

from fer_repro import runs
from fer_repro import train as T
from fer_repro.data.augment import Augment
from fer_repro.losses import make_loss
from fer_repro.models import create_model

PHASES = ("data", "forward", "loss", "backward", "optimizer")


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def engine_step_timer(cfg: T.TrainConfig, images: torch.Tensor, labels: np.ndarray,
                      compile_model: bool = False):
    """A closure that runs one engine training step of `cfg` and returns the seconds of each
    phase (the same functions, in the same order, as :func:`fer_repro.train.fit`)."""
    dev = T.device()
    T.seed_everything(cfg.seed)
    model = create_model(cfg.model, num_classes=7, in_chans=cfg.in_chans,
                         **cfg.model_kwargs).to(dev)
    if cfg.channels_last:
        model = model.to(memory_format=torch.channels_last)
    fwd = torch.compile(model) if compile_model else model
    opt = T.build_optimizer(cfg, model.parameters())
    w = T.class_weight_tensor(cfg, labels, 7)
    loss_fn = make_loss(cfg.loss, weight=w, **cfg.loss_kwargs)
    aug = Augment(**cfg.augment)
    yt = torch.as_tensor(labels, dtype=torch.long)
    g = torch.Generator().manual_seed(0)
    model.train()

    def step() -> dict[str, float]:
        t = [time.perf_counter()]
        idx = torch.randint(len(yt), (cfg.batch_size,), generator=g)
        xb = T.to_input(images[idx], cfg, dev)
        tb = T.soft_targets(yt[idx], 7, cfg.label_smoothing)
        xb, tb = aug(xb, tb, g)
        t.append(time.perf_counter())
        with T.autocast_ctx(cfg, dev):
            logits = fwd(xb)
        _sync()
        t.append(time.perf_counter())
        loss = loss_fn(logits.float(), tb)
        t.append(time.perf_counter())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        _sync()
        t.append(time.perf_counter())
        opt.step()
        t.append(time.perf_counter())
        return dict(zip(PHASES, np.diff(t)))

    return step


def bare_step_timer(cfg: T.TrainConfig):
    """One step of the same model on random input: forward, cross-entropy, backward, SGD."""
    dev = T.device()
    torch.manual_seed(0)
    model = create_model(cfg.model, num_classes=7, in_chans=cfg.in_chans,
                         **cfg.model_kwargs).to(dev)
    fmt = torch.channels_last if cfg.channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    x = torch.randn(cfg.batch_size, cfg.in_chans, cfg.input_size, cfg.input_size,
                    device=dev).contiguous(memory_format=fmt)
    y = torch.randint(0, 7, (cfg.batch_size,), device=dev)
    model.train()

    def step() -> dict[str, float]:
        t0 = time.perf_counter()
        with T.autocast_ctx(cfg, dev):
            loss = torch.nn.functional.cross_entropy(model(x).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        _sync()
        return {"total": time.perf_counter() - t0}

    return step


def timed(step, steps: int, warmup: int = 3) -> dict[str, float]:
    """Median seconds per phase over `steps` steps after `warmup` untimed ones."""
    for _ in range(warmup):
        step()
    rows = [step() for _ in range(steps)]
    out = {k: float(np.median([r[k] for r in rows])) for k in rows[0]}
    out["total"] = out.get("total", sum(out.values()))
    return out


@contextlib.contextmanager
def threads(n: int):
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def official_loop_ips(images: np.ndarray, labels: np.ndarray, steps: int) -> float:
    """Images/s of the released ResEmoteNet script's training loop, rebuilt from its
    description: a per-image torchvision pipeline from image files, DataLoader batch 16
    (shuffled), the released model, cross-entropy and SGD."""
    import tempfile

    from torchvision import datasets, transforms

    with tempfile.TemporaryDirectory() as tmp:
        write_image_folder(images, labels, Path(tmp))
        tf = transforms.Compose([
            transforms.Resize((64, 64)), transforms.Grayscale(num_output_channels=3),
            transforms.RandomHorizontalFlip(), transforms.ToTensor(),
            transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
        loader = torch.utils.data.DataLoader(datasets.ImageFolder(tmp, tf), batch_size=16,
                                             shuffle=True)
        torch.manual_seed(0)
        model = create_model("resemotenet_code", num_classes=7, in_chans=3)
        opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
        return loader_images_per_s(model, opt, loader, steps + 3, warmup=3)


def measure(config: dict[str, Any]) -> runs.Outcome:
    from fer_repro.data import load_fer2013
    from fer_repro.experiments import resemotenet

    ds = load_fer2013()
    train = np.flatnonzero(ds.split_mask("Training"))
    rng = np.random.default_rng(0)
    idx = np.sort(rng.choice(train, 4096, replace=False))
    x = torch.from_numpy(np.ascontiguousarray(ds.images[idx]))
    y = ds.labels[idx]
    steps = config["steps"]
    peaks = {"fp32": T.matmul_peak_gflops(), "bf16": T.matmul_peak_gflops(dtype=torch.bfloat16)}
    rows: list[dict[str, Any]] = []
    for model in config["models"]:
        base = chapter_config(model)
        fwd = T.forward_flops(create_model(model, num_classes=7, in_chans=base.in_chans,
                                           **base.model_kwargs), base) / 1e9
        combos = itertools.product((False, True), ("fp32", "bf16"), (True, False), (1, 2))
        for comp, prec, cl, nt in combos:
            if comp and (nt == 1 or not cl):  # compile only at the default layout and threads
                continue
            cfg = base.replace(precision=prec, channels_last=cl)
            with threads(nt):
                t0 = time.perf_counter()
                eng = timed(engine_step_timer(cfg, x, y, compile_model=comp), steps)
                compile_s = time.perf_counter() - t0 - eng["total"] * steps if comp else 0.0
                bare = (timed(bare_step_timer(cfg), steps) if not comp else {"total": np.nan})
            ips = cfg.batch_size / eng["total"]
            rows.append({
                "model": model, "batch": cfg.batch_size, "input": f"{cfg.input_size}x"
                f"{cfg.input_size}x{cfg.in_chans}", "mode": "compile" if comp else "eager",
                "precision": prec, "channels_last": cl, "threads": nt,
                "engine_images_per_s": ips,
                "bare_images_per_s": cfg.batch_size / bare["total"],
                **{f"share_{p}": eng[p] / eng["total"] for p in PHASES},
                "achieved_gflops": 3 * fwd * ips, "share_of_peak": 3 * fwd * ips / peaks[prec],
                "chapter_default": (not comp and prec == base.precision
                                    and cl == base.channels_last and nt == 2),
                "compile_s": compile_s})
            print(rows[-1]["model"], rows[-1]["mode"], prec, cl, nt, f"{ips:.1f} img/s",
                  flush=True)
    # the released ResEmoteNet: its official loop against the engine, same model, batch and
    # threads; the engine at its default layout (channels-last), contiguous, and in bf16
    code_cfg = resemotenet.config("full")
    engine: dict[str, float] = {}
    with threads(2):
        peer = official_loop_ips(ds.images[idx[:1024]], y[:1024], steps)
        for prec, cl in (("fp32", True), ("fp32", False), ("bf16", True), ("bf16", False)):
            c = code_cfg.replace(precision=prec, channels_last=cl)
            engine[f"{prec} {'channels-last' if cl else 'contiguous'}"] = (
                c.batch_size / timed(engine_step_timer(c, x, y), steps)["total"])
    fp32 = engine["fp32 channels-last"]
    peer_row = {"official_loop_images_per_s": peer, "engine": engine,
                "engine_images_per_s": fp32, "ratio": fp32 / peer,
                "ratio_by_variant": {k: v / peer for k, v in engine.items()},
                "model": "resemotenet_code", "batch": code_cfg.batch_size,
                "input": "64x64x3", "precision": "fp32", "threads": 2}
    feats = T.cpu_features()
    return runs.Outcome({"fp32_peak_gflops": peaks["fp32"], "bf16_peak_gflops": peaks["bf16"],
                         "peer_ratio": peer_row["ratio"]},
                        extra={"rows": rows, "peer": peer_row, "cpu_model": T.cpu_model(),
                               "cpu_features": feats,
                               "load_average_1min": os.getloadavg()[0]})


def main(argv: list[str] | None = None) -> runs.Record:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS, metavar="MODEL",
                    help=f"models to measure (default: every chapter model, {', '.join(MODELS)})")
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args(argv)
    cfg = {"steps": a.steps, "models": list(a.models), "cpu_model": T.cpu_model()}
    return runs.run("benchmark_variants", cfg, lambda c, w: measure(c), force=a.force)


if __name__ == "__main__":
    main()
