"""One training engine for every model in the book.

Data stay in memory as uint8 tensors; each batch is indexed, converted and augmented as a tensor
(:mod:`fer_repro.data.augment`), so there is no per-image Python work in the loop. The engine
supports Adam/AdamW/SGD, cosine/step/plateau schedules, early stopping on the validation split
only, class weights, label smoothing, MixUp/CutMix, mixed precision (CUDA AMP; bfloat16 autocast on
CPU when asked), gradient clipping, seeded determinism, a checkpoint every epoch and resumption
after interruption. It measures its own throughput: images/s, the share of step time spent outside
forward/backward/optimizer, and achieved GFLOP/s beside the machine's matmul peak.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from .data.augment import Augment
from .metrics import summary

# --------------------------------------------------------------------------------------------
# configuration


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a training run (recorded with every result)."""

    model: str
    model_kwargs: dict[str, Any] = field(default_factory=dict)
    input_size: int = 48
    in_chans: int = 1
    normalize: str = "unit"  # "unit": [0, 1]; "centered": [-1, 1]; "imagenet": ImageNet mean/std
    epochs: int = 30
    batch_size: int = 64
    eval_batch_size: int = 512
    optimizer: str = "adam"  # adam | adamw | sgd
    lr: float = 1e-3
    weight_decay: float = 0.0
    momentum: float = 0.9
    schedule: str = "cosine"  # cosine | step | plateau | none
    step_size: int = 10
    step_gamma: float = 0.1
    plateau_patience: int = 3
    early_stop: int | None = 8  # epochs without improvement of `monitor` on the validation split
    # val_loss | val_accuracy | val_macro_f1 | val_criterion (the training loss itself on the
    # validation split: class weights and label smoothing as in training, no MixUp or CutMix)
    monitor: str = "val_loss"
    loss: str = "ce"
    loss_kwargs: dict[str, Any] = field(default_factory=dict)
    class_weights: str | None = None  # None | "balanced" (effective number) | "inverse" (N/(C n_i))
    cb_beta: float = 0.999
    label_smoothing: float = 0.0
    augment: dict[str, Any] = field(default_factory=dict)  # fer_repro.data.Augment fields
    output: str = "softmax"  # softmax | sparsemax: how probabilities are read at evaluation
    precision: str = "fp32"  # fp32 | bf16 (CPU autocast) | amp (CUDA fp16/bf16 autocast)
    grad_clip: float | None = None
    channels_last: bool = True
    max_train: int | None = None  # seeded stratified subsample of the training part
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def replace(self, **kw: Any) -> TrainConfig:
        return replace(self, **kw)


class NonFiniteLoss(FloatingPointError):
    """The training loss became inf/nan; the engine stops rather than train on silently."""

    def __init__(self, value: float, epoch: int, step: int, cfg: TrainConfig) -> None:
        super().__init__(f"non-finite training loss {value} at epoch {epoch}, step {step} "
                         f"(loss={cfg.loss}, output={cfg.output})")
        self.value, self.epoch, self.step = value, epoch, step


# --------------------------------------------------------------------------------------------
# devices, precision, determinism


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed_everything(seed: int) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed % 2**32)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True


def autocast_ctx(cfg: TrainConfig, dev: torch.device):
    if dev.type == "cuda" and cfg.precision in ("amp", "bf16"):
        dtype = torch.bfloat16 if cfg.precision == "bf16" else torch.float16
        return torch.autocast("cuda", dtype=dtype)
    if dev.type == "cpu" and cfg.precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return torch.autocast(dev.type, enabled=False)


def quiet() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("FER_REPRO_QUIET")) or not sys.stderr.isatty()


# --------------------------------------------------------------------------------------------
# batches as tensors

_IMAGENET = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def to_input(xb: torch.Tensor, cfg: TrainConfig, dev: torch.device) -> torch.Tensor:
    """uint8 (N, H, W) or (N, 1, H, W) -> float model input on `dev` (resize, channels, norm)."""
    if xb.dim() == 3:
        xb = xb.unsqueeze(1)
    x = xb.to(dev, non_blocking=True).float().div_(255.0)
    if x.shape[-1] != cfg.input_size or x.shape[-2] != cfg.input_size:
        x = F.interpolate(x, size=(cfg.input_size, cfg.input_size), mode="bilinear",
                          align_corners=False, antialias=x.shape[-1] > cfg.input_size)
    if cfg.in_chans == 3 and x.shape[1] == 1:
        x = x.expand(-1, 3, -1, -1)
    if cfg.normalize == "centered":
        x = x.sub(0.5).div(0.5)
    elif cfg.normalize == "imagenet":
        mean = torch.tensor(_IMAGENET[0][: x.shape[1]], device=dev).view(1, -1, 1, 1)
        std = torch.tensor(_IMAGENET[1][: x.shape[1]], device=dev).view(1, -1, 1, 1)
        x = (x - mean) / std
    if cfg.channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x


def soft_targets(y: torch.Tensor, n_classes: int, smoothing: float) -> torch.Tensor:
    t = F.one_hot(y, n_classes).float()
    return t * (1 - smoothing) + smoothing / n_classes if smoothing > 0 else t


# --------------------------------------------------------------------------------------------
# building blocks of a run


def class_weight_tensor(cfg: TrainConfig, y: np.ndarray, n_classes: int) -> torch.Tensor | None:
    from . import losses

    counts = np.bincount(y, minlength=n_classes)
    if cfg.class_weights is None:
        return None
    if cfg.class_weights == "balanced":
        return losses.class_balanced_weights(counts, cfg.cb_beta)
    if cfg.class_weights == "inverse":
        return losses.inverse_frequency_weights(counts)
    raise ValueError(f"class_weights={cfg.class_weights!r}")


def build_optimizer(cfg: TrainConfig, params) -> torch.optim.Optimizer:
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum,
                               weight_decay=cfg.weight_decay)
    raise ValueError(f"optimizer={cfg.optimizer!r}")


def build_scheduler(cfg: TrainConfig, opt: torch.optim.Optimizer):
    if cfg.schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(cfg.epochs, 1))
    if cfg.schedule == "step":
        return torch.optim.lr_scheduler.StepLR(opt, cfg.step_size, cfg.step_gamma)
    if cfg.schedule == "plateau":
        mode = "min" if cfg.monitor in LOSS_MONITORS else "max"
        return torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode=mode,
                                                          patience=cfg.plateau_patience)
    if cfg.schedule == "none":
        return None
    raise ValueError(f"schedule={cfg.schedule!r}")


def stratified_subsample(y: np.ndarray, n: int | None, seed: int) -> np.ndarray:
    idx = np.arange(len(y))
    if n is None or n >= len(y):
        return idx
    from sklearn.model_selection import train_test_split

    keep, _ = train_test_split(idx, train_size=n, stratify=y, random_state=seed)
    return np.sort(keep)


# --------------------------------------------------------------------------------------------
# evaluation


@torch.no_grad()
def predict_proba(model: torch.nn.Module, x: torch.Tensor, cfg: TrainConfig,
                  dev: torch.device | None = None) -> np.ndarray:
    """Class probabilities (softmax or sparsemax, as configured) for uint8 images `x`."""
    from .losses import output_probs

    dev = dev or device()
    model.eval()
    out = []
    for i in range(0, len(x), cfg.eval_batch_size):
        xb = to_input(x[i:i + cfg.eval_batch_size], cfg, dev)
        with autocast_ctx(cfg, dev):
            logits = model(xb)
        out.append(output_probs(logits.float(), cfg.output).cpu())
    return torch.cat(out).numpy()


#: monitors that improve downwards
LOSS_MONITORS = ("val_loss", "val_criterion")


def _criterion_on(model, x, y, cfg, dev, n_classes, loss_fn) -> float:
    """The training criterion `loss_fn` over a split, evaluated batch by batch (of
    ``eval_batch_size``) and averaged with the batches' sizes as weights: the targets with the
    training's label smoothing, no MixUp or CutMix (``monitor="val_criterion"``)."""
    total = 0.0
    yt = torch.as_tensor(np.asarray(y), dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), cfg.eval_batch_size):
            xb = to_input(x[i:i + cfg.eval_batch_size], cfg, dev)
            with autocast_ctx(cfg, dev):
                logits = model(xb)
            tb = soft_targets(yt[i:i + cfg.eval_batch_size].to(dev), n_classes,
                              cfg.label_smoothing)
            total += float(loss_fn(logits.float(), tb)) * len(xb)
    return total / len(x)


def _eval_split(model, x, y, cfg, dev, n_classes) -> dict[str, float]:
    proba = predict_proba(model, x, cfg, dev)
    yt = torch.as_tensor(y)
    with torch.no_grad():
        logits = torch.log(torch.as_tensor(proba).clamp_min(1e-12))
        if cfg.output == "softmax":
            loss = float(F.nll_loss(logits, yt))
        else:  # sparsemax probabilities have exact zeros: report the Brier-type loss instead
            loss = float(((torch.as_tensor(proba) - F.one_hot(yt, n_classes)) ** 2).sum(1).mean())
    s = summary(y, proba.argmax(1), n_classes)
    return {"loss": loss, "accuracy": s["accuracy"], "macro_f1": s["macro_f1"]}


# --------------------------------------------------------------------------------------------
# checkpoints: checksummed, the previous one kept, the code they were made with fingerprinted

#: the source files whose behaviour every training run depends on (relative to the package): the
#: engine, losses, metrics, shared model blocks, and the data loading, splitting and augmentation
#: (not the data audit or duplicate search, which training never calls); the module that defines
#: the trained model is added per run (see :func:`code_fingerprint`)
TRAINING_CODE = ("train.py", "losses.py", "metrics.py", "models/blocks.py", "data/augment.py",
                 "data/datasets.py", "data/splits.py", "data/store.py")


def code_fingerprint(model: str | None = None) -> str:
    """SHA-256 over the training code (:data:`TRAINING_CODE`) and, when `model` is given, the
    module that defines it: a checkpoint made by other code is not resumed silently, while a new
    model elsewhere in the registry does not invalidate the checkpoints of the others.

    Each file is read once per process (the training code when this module is imported, a model's
    module at its first use), so a worker that runs across an edit of the source keeps naming the
    code it loaded, in its checkpoints and in the records it writes."""
    import hashlib
    import inspect

    root = Path(__file__).resolve().parent
    files = [root / name for name in TRAINING_CODE]
    if model is not None:
        from .models import model_entrypoint

        files.append(Path(inspect.getsourcefile(inspect.unwrap(model_entrypoint(model)))))
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(_source_bytes(f))
    return h.hexdigest()[:16]


@functools.cache
def _source_bytes(path: Path) -> bytes:
    """A source file's bytes as this process first read them."""
    return path.read_bytes()


for _name in TRAINING_CODE:  # pin the training code as imported
    _source_bytes(Path(__file__).resolve().parent / _name)
del _name


@dataclass(frozen=True)
class RunControl:
    """How :func:`fit` behaves inside a long, interruptible run (see :func:`control`).

    ``stop_at``: a ``time.time()`` deadline; at the first step past it the engine checkpoints and
    raises :class:`Interrupted`. ``checkpoint_every_s``: the longest time between checkpoints,
    mid-epoch included. ``on_code_change``: what to do with a checkpoint made by other training
    code: ``"refuse"`` (raise :class:`CodeChanged`) or ``"restart"`` (discard it, start afresh)."""

    stop_at: float | None = None
    checkpoint_every_s: float = 600.0
    on_code_change: str = "refuse"


_CONTROL: ContextVar[RunControl | None] = ContextVar("fer_repro_run_control", default=None)


@contextmanager
def control(**kw: Any) -> Iterator[RunControl]:
    """Run :func:`fit` calls inside this block under :class:`RunControl` ``(**kw)``."""
    ctl = RunControl(**kw)
    if ctl.on_code_change not in ("refuse", "restart"):
        raise ValueError(f"on_code_change must be 'refuse' or 'restart', not {ctl.on_code_change!r}")
    token = _CONTROL.set(ctl)
    try:
        yield ctl
    finally:
        _CONTROL.reset(token)


class Interrupted(RuntimeError):
    """Training stopped at the deadline of :func:`control` after saving a checkpoint."""

    def __init__(self, epoch: int, step: int) -> None:
        super().__init__(f"stopped at the deadline in epoch {epoch}, step {step}; "
                         "the checkpoint resumes it")
        self.epoch, self.step = epoch, step


class CodeChanged(RuntimeError):
    """A checkpoint was made by different training code than the code now loaded."""


def _commit() -> str:
    from .runs import git_commit

    return git_commit()


def _sha256(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def save_checkpoint(path: Path, state: dict[str, Any]) -> None:
    """Write `state` to `path` (``last.pt``) with a SHA-256 sidecar; the checkpoint it replaces
    becomes ``prev.pt``, so a write cut short never leaves no valid checkpoint."""
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    digest = _sha256(tmp)
    prev = path.with_name("prev.pt")
    if path.exists():
        path.replace(prev)
        side = path.with_suffix(".pt.sha256")
        if side.exists():
            side.replace(prev.with_suffix(".pt.sha256"))
    side_tmp = path.with_suffix(".sha256.tmp")
    side_tmp.write_text(digest + "\n")
    tmp.replace(path)
    side_tmp.replace(path.with_suffix(".pt.sha256"))


def remove_checkpoints(workdir: Path) -> None:
    """Delete a run's checkpoints (``last.pt``, ``prev.pt`` and their sidecars) once its record
    is the resume point; ``progress.json`` stays."""
    d = Path(workdir) / "checkpoints"
    for name in ("last.pt", "prev.pt", "last.pt.sha256", "prev.pt.sha256", "last.tmp"):
        (d / name).unlink(missing_ok=True)


def load_checkpoint(path: Path, dev: torch.device) -> dict[str, Any] | None:
    """The newest checkpoint at `path` (``last.pt``, else ``prev.pt``) whose SHA-256 matches its
    sidecar; a corrupt or truncated file is reported and skipped. None when there is none."""
    for p in (path, path.with_name("prev.pt")):
        if not p.exists():
            continue
        side = p.with_suffix(".pt.sha256")
        if side.exists() and side.read_text().strip() != _sha256(p):
            print(f"fer_repro: checkpoint {p} does not match its checksum; skipped",
                  file=sys.stderr)
            continue
        try:
            return torch.load(p, map_location=dev, weights_only=False)
        except Exception as e:  # noqa: BLE001  (a truncated file raises many kinds of error)
            print(f"fer_repro: checkpoint {p} cannot be read ({e!r}); skipped", file=sys.stderr)
    return None


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo where there is one)."""
    import platform

    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_features() -> dict[str, bool]:
    """Whether the CPU has the instructions that decide bf16 speed (AVX512-BF16, AMX)."""
    try:
        flags = set(next(line for line in Path("/proc/cpuinfo").read_text().splitlines()
                         if line.startswith("flags")).split(":", 1)[1].split())
    except (OSError, StopIteration):
        flags = set()
    return {"avx512_bf16": "avx512_bf16" in flags, "amx_bf16": "amx_bf16" in flags}


# --------------------------------------------------------------------------------------------
# the loop


@dataclass
class FitResult:
    model: torch.nn.Module
    history: list[dict[str, float]]
    best_epoch: int
    throughput: dict[str, float]
    resumed_from: int
    watch_preds: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (epochs, n)
    #: one entry per process that trained this run (a resumed run has several): when it started,
    #: on which CPU, with how many threads, and the seconds it trained
    segments: list[dict[str, Any]] = field(default_factory=list)


def _ckpt_path(workdir: Path | None) -> Path | None:
    if workdir is None:
        return None
    d = Path(workdir) / "checkpoints"
    d.mkdir(parents=True, exist_ok=True)
    return d / "last.pt"


def _improved(cfg: TrainConfig, value: float, best: float | None) -> bool:
    if best is None:
        return True
    return value < best - 1e-6 if cfg.monitor in LOSS_MONITORS else value > best + 1e-6


def fit(
    cfg: TrainConfig,
    x_train: torch.Tensor,
    y_train: np.ndarray,
    x_val: torch.Tensor,
    y_val: np.ndarray,
    n_classes: int,
    workdir: Path | None = None,
    on_epoch: Callable[[dict[str, float]], None] | None = None,
    watch: dict[str, tuple[torch.Tensor, np.ndarray]] | None = None,
) -> FitResult:
    """Train `cfg.model` on uint8 images; select the epoch on the validation split only.

    `watch` names further splits whose predictions are recorded after every epoch (history gets
    ``<name>_accuracy``; :attr:`FitResult.watch_preds` the predicted classes). They never
    influence training or selection: the leakage chapter uses them to measure what choosing an
    epoch by the test split would be worth."""
    from .losses import make_loss
    from .models import create_model

    dev = device()
    seed_everything(cfg.seed)
    # denormal floats make CPU training several times slower once weights or Adam's moments
    # underflow (the mini-Xception after eight epochs: 597 against 144 ms per step); flushing
    # them to zero changes nothing measurable. It stays on in this process (records report it:
    # environment "flush_denormal")
    torch.set_flush_denormal(True)
    model = create_model(cfg.model, num_classes=n_classes, in_chans=cfg.in_chans,
                         **cfg.model_kwargs).to(dev)
    if cfg.channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = build_optimizer(cfg, model.parameters())
    sched = build_scheduler(cfg, opt)
    scaler = torch.amp.GradScaler("cuda", enabled=dev.type == "cuda" and cfg.precision == "amp")
    weight = class_weight_tensor(cfg, y_train, n_classes)
    loss_fn = make_loss(cfg.loss, weight=None if weight is None else weight.to(dev),
                        **cfg.loss_kwargs)
    aug = Augment(**cfg.augment)
    pin = dev.type == "cuda"
    xt = x_train.pin_memory() if pin else x_train
    yt = torch.as_tensor(y_train, dtype=torch.long)
    yt = yt.pin_memory() if pin else yt

    history: list[dict[str, float]] = []
    watch = watch or {}
    watch_preds: dict[str, list[np.ndarray]] = {k: [] for k in watch}
    best, best_epoch, best_state, bad, start, start_step = None, -1, None, 0, 0, 0
    t_data = t_compute = 0.0
    n_images = 0
    mid: dict[str, Any] | None = None  # the state of an epoch interrupted part-way
    segments: list[dict[str, Any]] = []
    ctl = _CONTROL.get() or RunControl()
    code = code_fingerprint(cfg.model)  # the code this process loaded, read once
    ckpt = _ckpt_path(workdir)
    state = load_checkpoint(ckpt, dev) if ckpt is not None else None
    if (state is not None and state["config"] == cfg.to_dict()
            and state.get("code") != code):
        if ctl.on_code_change == "refuse":
            raise CodeChanged(
                f"the checkpoint in {ckpt.parent} was made by other training code "
                f"(fingerprint {state.get('code')}, now {code}, commit "
                f"{state.get('commit', 'unknown')}): check out that code to resume, or "
                "restart the run (campaign: --on-code-change restart)")
        state = None
    if state is not None and state["config"] == cfg.to_dict():
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        if sched is not None and state["sched"] is not None:
            sched.load_state_dict(state["sched"])
        history, best, best_epoch, bad = (state["history"], state["best"],
                                          state["best_epoch"], state["bad"])
        best_state, start = state["best_state"], state["epoch"] + 1
        watch_preds = state.get("watch_preds") or watch_preds
        segments = list(state.get("segments", []))
        t_data, t_compute, n_images = state.get("timing", (0.0, 0.0, 0))
        mid = state.get("mid")
        if mid is not None:
            start, start_step = mid["epoch"], mid["step"]
        if state.get("rng") is not None:
            torch.set_rng_state(state["rng"].cpu())
        if state.get("cuda_rng") is not None and dev.type == "cuda":
            torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda_rng"]])
    resumed_from = start
    seg = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpu": cpu_model(),
           "device": str(dev), "threads": torch.get_num_threads(), "from_epoch": start,
           "from_step": start_step, "train_s": 0.0}
    segments.append(seg)
    t_seg = last_save = time.perf_counter()

    def checkpoint(epoch: int, step: int | None, run_loss: float, epoch_s: float, ga) -> None:
        nonlocal last_save
        seg["train_s"] = time.perf_counter() - t_seg
        seg["to_epoch"], seg["to_step"] = epoch, step
        if ckpt is None:
            return
        save_checkpoint(ckpt, {
            "config": cfg.to_dict(), "code": code, "commit": _commit(),
            "model": model.state_dict(),
            "opt": opt.state_dict(), "sched": None if sched is None else sched.state_dict(),
            "history": history, "best": best, "best_epoch": best_epoch, "bad": bad,
            "best_state": best_state, "watch_preds": watch_preds, "segments": segments,
            "timing": (t_data, t_compute, n_images),
            # `epoch`: the last finished epoch; `mid`: where an unfinished one stands
            "epoch": epoch - 1 if step is not None else epoch,
            "mid": None if step is None else {"epoch": epoch, "step": step,
                                              "run_loss": run_loss, "epoch_s": epoch_s,
                                              "ga": ga.get_state()},
            # the global RNG drives dropout: restored on resume so that a resumed run equals an
            # uninterrupted one
            "rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if dev.type == "cuda" else None})
        ckpt.with_name("progress.json").write_text(json.dumps({
            "epoch": epoch + (step is None), "epochs": cfg.epochs, "step": step,
            "steps_per_epoch": steps_per_epoch, "best": best, "best_epoch": best_epoch,
            "monitor": cfg.monitor, "history": history, "segments": segments,
            "stopped_early": bool(best_epoch >= 0 and cfg.early_stop is not None
                                  and bad >= cfg.early_stop)}, default=float))
        last_save = time.perf_counter()

    steps_per_epoch = math.ceil(len(yt) / cfg.batch_size)
    from tqdm.auto import tqdm

    for epoch in range(start, cfg.epochs):
        if best_epoch >= 0 and cfg.early_stop is not None and bad >= cfg.early_stop:
            break
        model.train()
        g = torch.Generator(device="cpu").manual_seed(cfg.seed * 100_003 + epoch)
        ga = torch.Generator(device=dev).manual_seed(cfg.seed * 100_003 + epoch + 7)
        perm = torch.randperm(len(yt), generator=g)
        run_loss, t_epoch, first = 0.0, time.perf_counter(), 0
        if mid is not None and mid["epoch"] == epoch:
            ga.set_state(mid["ga"].cpu())
            run_loss, first = mid["run_loss"], mid["step"]
            t_epoch -= mid["epoch_s"]
        bar = tqdm(range(first, steps_per_epoch), desc=f"epoch {epoch + 1}/{cfg.epochs}",
                   disable=quiet(), leave=False)
        for step in bar:
            t0 = time.perf_counter()
            idx = perm[step * cfg.batch_size:(step + 1) * cfg.batch_size]
            xb = to_input(xt[idx], cfg, dev)
            tb = soft_targets(yt[idx].to(dev, non_blocking=True), n_classes, cfg.label_smoothing)
            xb, tb = aug(xb, tb, ga)
            if dev.type == "cuda":
                torch.cuda.synchronize()
            t1 = time.perf_counter()
            with autocast_ctx(cfg, dev):
                logits = model(xb)
            loss = loss_fn(logits.float(), tb)
            opt.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            if cfg.grad_clip:
                scaler.unscale_(opt)
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            scaler.step(opt)
            scaler.update()
            if dev.type == "cuda":
                torch.cuda.synchronize()
            t2 = time.perf_counter()
            if step >= first + 2 or epoch > start:  # skip warm-up steps in the timing
                t_data += t1 - t0
                t_compute += t2 - t1
                n_images += len(idx)
            lv = float(loss.detach())
            if not math.isfinite(lv):
                raise NonFiniteLoss(lv, epoch + 1, step, cfg)
            run_loss += lv * len(idx)
            if step + 1 < steps_per_epoch:
                past_deadline = ctl.stop_at is not None and time.time() >= ctl.stop_at
                if past_deadline or t2 - last_save >= ctl.checkpoint_every_s:
                    checkpoint(epoch, step + 1, run_loss, time.perf_counter() - t_epoch, ga)
                if past_deadline:
                    raise Interrupted(epoch + 1, step + 1)
        mid = None
        val = _eval_split(model, x_val, y_val, cfg, dev, n_classes)
        row = {"epoch": epoch + 1, "train_loss": run_loss / len(yt),
               "val_loss": val["loss"], "val_accuracy": val["accuracy"],
               "val_macro_f1": val["macro_f1"], "lr": opt.param_groups[0]["lr"],
               "epoch_s": time.perf_counter() - t_epoch}
        if cfg.monitor == "val_criterion":
            row["val_criterion"] = _criterion_on(model, x_val, y_val, cfg, dev, n_classes,
                                                 loss_fn)
        for name, (xw, yw) in watch.items():
            pw = predict_proba(model, xw, cfg, dev).argmax(1).astype(np.int16)
            watch_preds[name].append(pw)
            row[f"{name}_accuracy"] = float((pw == np.asarray(yw)).mean())
        history.append(row)
        if sched is not None:
            if cfg.schedule == "plateau":
                sched.step(row[cfg.monitor])
            else:
                sched.step()
        if _improved(cfg, row[cfg.monitor], best):
            best, best_epoch, bad = row[cfg.monitor], epoch + 1, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
        checkpoint(epoch, None, run_loss, row["epoch_s"], ga)
        if on_epoch:  # after the checkpoint: an exception here does not lose the epoch
            on_epoch(row)
        done = epoch + 1 == cfg.epochs or (cfg.early_stop is not None and bad >= cfg.early_stop)
        if ctl.stop_at is not None and time.time() >= ctl.stop_at and not done:
            raise Interrupted(epoch + 2, 0)
    seg["train_s"] = time.perf_counter() - t_seg
    if best_state is not None:
        model.load_state_dict(best_state)
    total = t_data + t_compute
    throughput = {
        "train_images_per_s": n_images / total if total else float("nan"),
        "data_share": t_data / total if total else float("nan"),
        "timed_images": float(n_images),
    }
    return FitResult(model, history, best_epoch, throughput, resumed_from,
                     {k: np.stack(v) for k, v in watch_preds.items() if v}, segments)


# --------------------------------------------------------------------------------------------
# machine peak and model FLOPs


def matmul_peak_gflops(n: int = 1024, repeats: int = 10, dtype: torch.dtype = torch.float32) -> float:
    """Measured fp32 matmul throughput of this process (GFLOP/s), best of `repeats`."""
    dev = device()
    a = torch.randn(n, n, device=dev, dtype=dtype)
    b = torch.randn(n, n, device=dev, dtype=dtype)
    best = float("inf")
    for _ in range(repeats):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        a @ b
        if dev.type == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best / 1e9


def forward_flops(model: torch.nn.Module, cfg: TrainConfig) -> float:
    """Forward FLOPs of one image (FlopCounterMode counts a multiply-add as 2 FLOPs)."""
    from torch.utils.flop_counter import FlopCounterMode

    x = torch.zeros(1, cfg.in_chans, cfg.input_size, cfg.input_size,
                    device=next(model.parameters()).device)
    model.eval()
    with FlopCounterMode(display=False) as fc, torch.no_grad():
        model(x)
    return float(fc.get_total_flops())


# --------------------------------------------------------------------------------------------
# one run for the run store


def train_and_test(
    cfg: TrainConfig,
    images: np.ndarray,
    labels: np.ndarray,
    train_idx: np.ndarray,
    val_idx: np.ndarray,
    test_idx: np.ndarray,
    class_names: tuple[str, ...],
    workdir: Path | None = None,
    watch: dict[str, np.ndarray] | None = None,
    after: Callable[[torch.nn.Module], dict[str, np.ndarray]] | None = None,
):
    """Fit on train_idx, select on val_idx, score test_idx once; a run-store Outcome.

    `watch` maps names to index arrays evaluated after every epoch (see :func:`fit`); their
    per-epoch predictions are kept as arrays ``watch_<name>``. `after(model)` runs on the selected
    model and returns further arrays to keep (e.g. predictions on flipped test images)."""
    from .runs import Outcome

    n_classes = len(class_names)
    tr = train_idx[stratified_subsample(labels[train_idx], cfg.max_train, cfg.seed)]
    x = torch.from_numpy(np.ascontiguousarray(images))
    t0 = time.perf_counter()
    w = {k: (x[v], labels[v]) for k, v in (watch or {}).items()}
    res = fit(cfg, x[tr], labels[tr], x[val_idx], labels[val_idx], n_classes, workdir, watch=w)
    # a run resumed over several processes trained for the sum of their segments
    train_s = (sum(s["train_s"] for s in res.segments[:-1])
               + time.perf_counter() - t0)
    proba = predict_proba(res.model, x[test_idx], cfg)
    y = labels[test_idx]
    pred = proba.argmax(1)
    metrics = summary(y, pred, n_classes, proba)
    fwd = forward_flops(res.model, cfg)
    peak = matmul_peak_gflops()
    ips = res.throughput["train_images_per_s"]
    metrics.update({
        "best_epoch": float(res.best_epoch),
        "epochs_run": float(len(res.history)),
        "train_images_per_s": ips,
        "data_share": res.throughput["data_share"],
        # training ~ 3x forward FLOPs (forward + backward); see toolchain notes for depthwise convs
        "achieved_gflops": 3 * fwd * ips / 1e9,
        "matmul_peak_gflops": peak,
        "forward_gflops_per_image": fwd / 1e9,
        "n_parameters": float(sum(p.numel() for p in res.model.parameters())),
        "train_s": train_s,
    })
    arrays = {f"watch_{k}": v for k, v in res.watch_preds.items()}
    if after is not None:
        arrays.update(after(res.model))
    return Outcome(metrics, y, pred, proba, history=res.history, arrays=arrays,
                   wall_s=sum(s["train_s"] for s in res.segments[:-1]) + time.perf_counter() - t0,
                   extra={"class_names": list(class_names), "n_train": len(tr),
                          "n_val": len(val_idx), "n_test": len(test_idx),
                          "resumed_from_epoch": res.resumed_from, "segments": res.segments,
                          "device": str(device()), "torch_threads": torch.get_num_threads()})
