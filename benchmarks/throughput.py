"""Training throughput: the engine versus a plain torchvision ImageFolder + PIL DataLoader loop.

Both train the same model on the same FER2013 Training images with the same augmentation
(flip, rotation, scale, shift), batch 64, Adam, in the same process. The naive loop decodes PNG
files from disk and augments each image with PIL in a default DataLoader (fp32, NCHW); the engine
keeps uint8 tensors in memory, augments whole batches as tensors, and uses channels-last memory
and, where configured, bfloat16 autocast. The result is recorded in the run store
(results/benchmark_throughput/) with the machine's measured matmul peak.

    python benchmarks/throughput.py --model suwartono_attention_cnn --steps 30
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from fer_repro import runs
from fer_repro.data import load_fer2013
from fer_repro.models import create_model
from fer_repro.train import TrainConfig, fit, forward_flops, matmul_peak_gflops

AUG = {"hflip": 0.5, "degrees": 15.0, "scale": (0.9, 1.1), "translate": 0.1}


def write_image_folder(images: np.ndarray, labels: np.ndarray, root: Path) -> None:
    """Write uint8 images as PNG files in one folder per class (torchvision's ImageFolder)."""
    from PIL import Image

    for i, (img, y) in enumerate(zip(images, labels)):
        d = root / f"c{y}"
        d.mkdir(exist_ok=True)
        Image.fromarray(img).save(d / f"{i}.png")


def naive_loop(model_name: str, images: np.ndarray, labels: np.ndarray, steps: int,
               batch: int) -> float:
    """Images/s of a plain ImageFolder + PIL + DataLoader training loop (baseline only)."""
    from torchvision import datasets, transforms

    with tempfile.TemporaryDirectory() as tmp:
        write_image_folder(images, labels, Path(tmp))
        tf = transforms.Compose([
            transforms.Grayscale(1),
            transforms.RandomHorizontalFlip(),
            transforms.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1)),
            transforms.ToTensor(),
        ])
        loader = torch.utils.data.DataLoader(datasets.ImageFolder(tmp, tf), batch_size=batch,
                                             shuffle=True)
        torch.manual_seed(0)
        model = create_model(model_name, num_classes=7, in_chans=1)
        opt = torch.optim.Adam(model.parameters(), 1e-3)
        return loader_images_per_s(model, opt, loader, steps, warmup=2)


def loader_images_per_s(model: torch.nn.Module, opt: torch.optim.Optimizer, loader,
                        steps: int, warmup: int) -> float:
    """Images/s of `steps` cross-entropy training steps drawn from `loader` (cycled), the
    first `warmup` of them untimed."""
    model.train()
    done, t0, n = 0, time.perf_counter(), 0
    while done < steps:
        for x, y in loader:
            if done == warmup:
                t0, n = time.perf_counter(), 0
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            done += 1
            n += len(y)
            if done >= steps:
                break
    return n / (time.perf_counter() - t0)


def measure(model: str, steps: int, batch: int, precision: str, seed: int = 0) -> runs.Outcome:
    ds = load_fer2013()
    train = np.flatnonzero(ds.split_mask("Training"))
    rng = np.random.default_rng(seed)
    idx = np.sort(rng.choice(train, steps * batch, replace=False))
    val = np.flatnonzero(ds.split_mask("PublicTest"))[:256]
    peak = matmul_peak_gflops()
    naive = naive_loop(model, ds.images[idx], ds.labels[idx], steps, batch)
    cfg = TrainConfig(model=model, epochs=1, batch_size=batch, augment=AUG, precision=precision,
                      early_stop=None, seed=seed)
    x = torch.from_numpy(ds.images)
    res = fit(cfg, x[idx], ds.labels[idx], x[val], ds.labels[val], 7)
    fwd = forward_flops(res.model, cfg)
    ips = res.throughput["train_images_per_s"]
    metrics = {
        "naive_images_per_s": naive, "engine_images_per_s": ips, "speedup": ips / naive,
        "engine_data_share": res.throughput["data_share"],
        "engine_achieved_gflops": 3 * fwd * ips / 1e9, "matmul_peak_gflops": peak,
        "forward_gflops_per_image": fwd / 1e9, "threads": float(torch.get_num_threads()),
    }
    return runs.Outcome(metrics)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="suwartono_attention_cnn")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--precision", default="bf16")
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    cfg = {"model": a.model, "steps": a.steps, "batch": a.batch, "precision": a.precision,
           "seed": 0}
    rec = runs.run("benchmark_throughput", cfg,
                   lambda c, w: measure(c["model"], c["steps"], c["batch"], c["precision"]),
                   force=a.force)
    for k, v in rec.metrics.items():
        print(f"{k:>26}: {v:.3f}")


if __name__ == "__main__":
    main()
