"""The training engine (fer_repro.train) on a tiny registered CNN and small synthetic data.

Everything runs on CPU with one thread and images of 16x16 pixels; no real data set is touched.
The synthetic class is learnable: class k has mean brightness 30 + 30 k (plus pixel noise), so a
conv -> BN -> ReLU -> global-average-pool -> linear network separates it in a few epochs.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fer_repro import losses
from fer_repro import train as T
from fer_repro.models import create_model, is_model, register
from fer_repro.runs import Outcome

MODEL = "test_tiny_cnn"
K = 7
SIZE = 16


class TinyCNN(nn.Module):
    def __init__(self, num_classes: int = 7, in_chans: int = 1, width: int = 16, bn: bool = True,
                 drop: float = 0.0) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_chans, width, 3, stride=2, padding=1, bias=not bn)
        self.bn = nn.BatchNorm2d(width) if bn else nn.Identity()
        self.drop = nn.Dropout(drop)
        self.fc = nn.Linear(width, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.bn(self.conv(x))).mean(dim=(2, 3))
        return self.fc(self.drop(x))


def _tiny_cnn(num_classes: int = 7, in_chans: int = 1, **kw) -> nn.Module:
    return TinyCNN(num_classes, in_chans, **kw)


if not is_model(MODEL):  # guard re-registration (re-import under another module name)
    register(MODEL)(_tiny_cnn)


# ------------------------------------------------------------------------------- fixtures


pytestmark = pytest.mark.usefixtures("one_thread")


def make_images(y: np.ndarray, seed: int, size: int = SIZE) -> np.ndarray:
    """uint8 (N, size, size): class k has brightness 30 + 30 k, plus uniform noise of +-20."""
    rng = np.random.default_rng(seed)
    base = 30 + 30 * y.astype(np.float64)
    noise = rng.uniform(-20, 20, size=(len(y), size, size))
    return np.clip(base[:, None, None] + noise, 0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def data():
    """300 train / 100 val / 100 test images with balanced-ish random labels."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, K, size=500)
    x = make_images(y, seed=1)
    return {
        "images": x, "labels": y,
        "train": np.arange(300), "val": np.arange(300, 400), "test": np.arange(400, 500),
        "xtr": torch.from_numpy(x[:300]), "ytr": y[:300],
        "xva": torch.from_numpy(x[300:400]), "yva": y[300:400],
    }


def cfg(**kw) -> T.TrainConfig:
    base = {"model": MODEL, "input_size": SIZE, "epochs": 4, "batch_size": 32, "lr": 3e-2,
            "schedule": "none", "early_stop": None, "seed": 0}
    base.update(kw)
    return T.TrainConfig(**base)


def fit(c: T.TrainConfig, d, **kw) -> T.FitResult:
    return T.fit(c, d["xtr"], d["ytr"], d["xva"], d["yva"], K, **kw)


def hist(h: list[dict[str, float]]) -> list[dict[str, float]]:
    """History without the wall-clock column."""
    return [{k: v for k, v in r.items() if k != "epoch_s"} for r in h]


def same_state(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


class Interrupt(Exception):
    pass


# ------------------------------------------------------------------------------- learning


def test_fit_learns_the_synthetic_task(data):
    res = fit(cfg(epochs=20, schedule="cosine"), data)
    assert len(res.history) == 20
    assert [r["epoch"] for r in res.history] == list(range(1, 21))
    assert res.history[-1]["val_accuracy"] > 0.8  # chance is 1/7
    assert res.history[-1]["train_loss"] < res.history[0]["train_loss"]
    assert res.resumed_from == 0
    assert 1 <= res.best_epoch <= 20


def test_train_and_test_returns_a_complete_outcome(data):
    c = cfg(epochs=20, schedule="cosine")
    out = T.train_and_test(c, data["images"], data["labels"], data["train"], data["val"],
                           data["test"], tuple(f"c{i}" for i in range(K)))
    assert isinstance(out, Outcome)
    n_test = len(data["test"])
    np.testing.assert_array_equal(out.y_true, data["labels"][data["test"]])
    assert out.y_pred.shape == (n_test,) and out.proba.shape == (n_test, K)
    np.testing.assert_array_equal(out.y_pred, out.proba.argmax(1))
    np.testing.assert_allclose(out.proba.sum(1), 1.0, atol=1e-5)
    assert (out.proba >= 0).all()
    assert out.metrics["accuracy"] == pytest.approx((out.y_pred == out.y_true).mean())
    assert out.metrics["accuracy"] > 0.8
    for key in ("macro_f1", "ece", "best_epoch", "epochs_run", "n_parameters", "train_s",
                "achieved_gflops", "matmul_peak_gflops", "forward_gflops_per_image"):
        assert math.isfinite(out.metrics[key]), key
    assert out.metrics["epochs_run"] == 20 and len(out.history) == 20
    assert {"epoch", "train_loss", "val_loss", "val_accuracy", "val_macro_f1", "lr",
            "epoch_s"} <= set(out.history[0])
    assert out.metrics["train_images_per_s"] > 0
    assert 0 <= out.metrics["data_share"] < 1
    assert out.metrics["n_parameters"] == sum(p.numel() for p in TinyCNN().parameters())
    assert out.extra["n_train"] == 300 and out.extra["n_val"] == 100 and out.extra["n_test"] == 100
    assert out.extra["resumed_from_epoch"] == 0


def test_train_and_test_max_train_subsamples(data):
    out = T.train_and_test(cfg(epochs=1, max_train=140), data["images"], data["labels"],
                           data["train"], data["val"], data["test"],
                           tuple(f"c{i}" for i in range(K)))
    assert out.extra["n_train"] == 140


# ------------------------------------------------------------------------------- determinism


def test_same_seed_is_bitwise_repeatable_and_other_seed_differs(data):
    c = cfg(epochs=2, augment={"hflip": 0.5, "mixup_alpha": 0.4, "mix_prob": 0.5})
    a, b = fit(c, data), fit(c, data)
    assert hist(a.history) == hist(b.history)
    assert same_state(a.model, b.model)
    pa, pb = T.predict_proba(a.model, data["xva"], c), T.predict_proba(b.model, data["xva"], c)
    np.testing.assert_array_equal(pa, pb)
    other = fit(c.replace(seed=1), data)
    assert hist(other.history) != hist(a.history)
    assert not np.array_equal(T.predict_proba(other.model, data["xva"], c), pa)


# ------------------------------------------------------------------------------- resume


@pytest.mark.parametrize("drop", [0.0, 0.5])
def test_resume_after_interruption_matches_an_uninterrupted_run(data, tmp_path, drop):
    c = cfg(epochs=4, schedule="cosine", early_stop=3, model_kwargs={"drop": drop},
            augment={"mixup_alpha": 0.4, "mix_prob": 0.5})
    full = fit(c, data, workdir=tmp_path / "full")
    assert full.resumed_from == 0

    k = 2

    def stop_after_k(row):
        if row["epoch"] == k:
            raise Interrupt

    with pytest.raises(Interrupt):
        fit(c, data, workdir=tmp_path / "cut", on_epoch=stop_after_k)
    assert (tmp_path / "cut" / "checkpoints" / "last.pt").exists()

    seen = []
    res = fit(c, data, workdir=tmp_path / "cut", on_epoch=lambda r: seen.append(r["epoch"]))
    assert res.resumed_from == k
    assert seen == list(range(k + 1, c.epochs + 1))  # finished epochs are not redone
    assert hist(res.history) == hist(full.history)
    assert res.best_epoch == full.best_epoch
    assert same_state(res.model, full.model)

    # a finished run resumes at its end and trains nothing
    again = fit(c, data, workdir=tmp_path / "cut", on_epoch=lambda r: seen.append(-1))
    assert again.resumed_from == c.epochs and -1 not in seen
    assert hist(again.history) == hist(full.history)
    assert same_state(again.model, full.model)


def test_changed_config_does_not_resume_from_a_stale_checkpoint(data, tmp_path):
    c = cfg(epochs=2)
    fit(c, data, workdir=tmp_path / "w")
    changed = c.replace(lr=3e-3)
    res = fit(changed, data, workdir=tmp_path / "w")
    assert res.resumed_from == 0 and len(res.history) == 2
    fresh = fit(changed, data)
    assert hist(res.history) == hist(fresh.history)
    assert same_state(res.model, fresh.model)
    # the checkpoint now belongs to the changed config
    assert fit(changed, data, workdir=tmp_path / "w").resumed_from == 2


# ------------------------------------------------------------------------------- early stopping


def test_early_stopping_uses_validation_and_restores_best_weights(data):
    rng = np.random.default_rng(5)
    d = dict(data, yva=rng.integers(0, K, size=len(data["yva"])))  # val labels are noise
    c = cfg(epochs=20, early_stop=2)
    res = fit(c, d)
    n = len(res.history)
    assert n < c.epochs  # stopped early
    best = res.best_epoch
    assert n == best + 2  # exactly `early_stop` epochs without improvement
    losses_ = [r["val_loss"] for r in res.history]
    assert losses_[best - 1] == min(losses_)
    assert all(v >= losses_[best - 1] - 1e-6 for v in losses_[best:])
    # the returned model is the best epoch's, not the last one's
    p = T.predict_proba(res.model, d["xva"], c)
    row = res.history[best - 1]
    nll = float(-np.log(np.clip(p[np.arange(len(p)), d["yva"]], 1e-12, None)).mean())
    assert nll == pytest.approx(row["val_loss"], rel=1e-5, abs=1e-6)
    assert float((p.argmax(1) == d["yva"]).mean()) == pytest.approx(row["val_accuracy"])
    # and the very weights of a run stopped by hand at the best epoch (constant lr)
    ref = fit(c.replace(epochs=best, early_stop=None), d)
    assert same_state(res.model, ref.model)


def test_early_stopping_on_accuracy_monitor(data):
    rng = np.random.default_rng(6)
    d = dict(data, yva=rng.integers(0, K, size=len(data["yva"])))
    res = fit(cfg(epochs=20, early_stop=2, monitor="val_accuracy"), d)
    accs = [r["val_accuracy"] for r in res.history]
    assert len(accs) < 20 and len(accs) == res.best_epoch + 2
    assert accs[res.best_epoch - 1] == max(accs)
    assert accs.index(max(accs)) == res.best_epoch - 1  # first epoch reaching the maximum


def test_early_stopping_on_the_training_criterion(data):
    """``monitor="val_criterion"``: the training loss itself (class weights and label smoothing
    as in training) on the validation split, lower is better; the returned model is the best
    epoch's, whose criterion the history holds."""
    rng = np.random.default_rng(7)
    d = dict(data, yva=rng.integers(0, K, size=len(data["yva"])))
    c = cfg(epochs=20, early_stop=2, monitor="val_criterion", loss="focal", label_smoothing=0.1,
            class_weights="balanced", loss_kwargs={"gamma": 2.0})
    res = fit(c, d)
    crit = [r["val_criterion"] for r in res.history]
    assert len(crit) == res.best_epoch + 2 < c.epochs and crit[res.best_epoch - 1] == min(crit)
    weight = T.class_weight_tensor(c, d["ytr"], K)
    p = torch.as_tensor(T.predict_proba(res.model, d["xva"], c)).clamp_min(1e-12)
    t = T.soft_targets(torch.as_tensor(d["yva"]), K, 0.1)
    ref = losses.focal_loss(torch.log(p), t, gamma=2.0, weight=weight)  # log-softmax == logits
    assert float(ref) == pytest.approx(crit[res.best_epoch - 1], rel=1e-4)
    assert res.history[0]["val_criterion"] != pytest.approx(res.history[0]["val_loss"])


# ------------------------------------------------------------------------------- schedules


def test_cosine_schedule_decays_to_zero(data):
    c = cfg(epochs=8, schedule="cosine", lr=1e-2)
    lrs = [r["lr"] for r in fit(c, data).history]
    want = [0.5 * c.lr * (1 + math.cos(math.pi * e / c.epochs)) for e in range(c.epochs)]
    np.testing.assert_allclose(lrs, want, rtol=1e-6)
    assert all(a > b for a, b in itertools.pairwise(lrs))
    assert lrs[0] == pytest.approx(c.lr)
    assert lrs[-1] < 0.05 * c.lr  # the last epoch trains with ~0 lr; 0 after the final step


def test_step_schedule_halves_at_step_size(data):
    c = cfg(epochs=7, schedule="step", step_size=3, step_gamma=0.5, lr=1e-2)
    lrs = [r["lr"] for r in fit(c, data).history]
    np.testing.assert_allclose(lrs, [1e-2] * 3 + [5e-3] * 3 + [2.5e-3], rtol=1e-9)


def test_plateau_schedule_reduces_after_patience(data):
    # no BN and a negligible SGD step: the validation loss is flat, every epoch after the
    # first is a plateau epoch
    c = cfg(epochs=8, schedule="plateau", plateau_patience=2, optimizer="sgd", momentum=0.0,
            lr=1e-6, model_kwargs={"bn": False})
    res = fit(c, data)
    lrs = [r["lr"] for r in res.history]
    np.testing.assert_allclose(lrs, [1e-6] * 4 + [1e-7] * 3 + [1e-8], rtol=1e-9)
    # a learning run: the lr follows ReduceLROnPlateau's rule on the recorded val_loss
    res = fit(cfg(epochs=12, schedule="plateau", plateau_patience=1), data)
    lr, best, bad, want = 3e-2, math.inf, 0, []
    for r in res.history:
        want.append(lr)
        if r["val_loss"] < best * (1 - 1e-4):
            best, bad = r["val_loss"], 0
        else:
            bad += 1
        if bad > 1:
            lr, bad = lr * 0.1, 0
    np.testing.assert_allclose([r["lr"] for r in res.history], want, rtol=1e-9)


def test_unknown_schedule_optimizer_and_weights_raise(data):
    for bad in ({"schedule": "linear"}, {"optimizer": "lion"}, {"class_weights": "sqrt"}):
        with pytest.raises(ValueError):
            fit(cfg(epochs=1, **bad), data)


def test_optimizers_are_built_as_configured():
    params = [nn.Parameter(torch.zeros(2))]
    opt = T.build_optimizer(cfg(optimizer="sgd", lr=0.1, momentum=0.8, weight_decay=1e-4), params)
    assert isinstance(opt, torch.optim.SGD)
    g = opt.param_groups[0]
    assert (g["lr"], g["momentum"], g["weight_decay"]) == (0.1, 0.8, 1e-4)
    assert isinstance(T.build_optimizer(cfg(optimizer="adamw"), params), torch.optim.AdamW)
    assert type(T.build_optimizer(cfg(optimizer="adam"), params)) is torch.optim.Adam


# ------------------------------------------------------------------------------- class weights


def test_class_weight_tensor_matches_the_loss_module():
    y = np.array([0] * 50 + [1] * 20 + [2] * 5 + [3] * 1)
    counts = np.bincount(y, minlength=4)
    assert T.class_weight_tensor(cfg(), y, 4) is None
    wb = T.class_weight_tensor(cfg(class_weights="balanced", cb_beta=0.99), y, 4)
    torch.testing.assert_close(wb, losses.class_balanced_weights(counts, 0.99))
    assert not torch.allclose(wb, losses.class_balanced_weights(counts, 0.999))  # beta is used
    wi = T.class_weight_tensor(cfg(class_weights="inverse"), y, 4)
    torch.testing.assert_close(wi, losses.inverse_frequency_weights(counts))
    # N / (C n_i) by hand
    torch.testing.assert_close(wi, torch.tensor([76 / 200, 76 / 80, 76 / 20, 76 / 4]))
    assert all(a < b for a, b in itertools.pairwise(wb.tolist()))  # rarer class, more weight
    with pytest.raises(ValueError):
        T.class_weight_tensor(cfg(class_weights="sqrt"), y, 4)


def test_fit_passes_the_class_weights_to_the_loss(data, monkeypatch):
    seen = {}
    real = losses.make_loss

    def spy(name, **kw):
        seen.update(kw, name=name)
        return real(name, **kw)

    monkeypatch.setattr(losses, "make_loss", spy)
    c = cfg(epochs=1, class_weights="inverse", loss="focal", loss_kwargs={"gamma": 1.0})
    res = fit(c, data)
    assert seen["name"] == "focal" and seen["gamma"] == 1.0
    counts = np.bincount(data["ytr"], minlength=K)
    torch.testing.assert_close(seen["weight"], losses.inverse_frequency_weights(counts))
    assert math.isfinite(res.history[0]["train_loss"])


# ------------------------------------------------------------------------------- targets, MixUp


@pytest.mark.parametrize("eps", [0.0, 0.05, 0.3])
def test_soft_targets_label_smoothing(eps):
    y = torch.tensor([0, 3, 6, 3])
    t = T.soft_targets(y, K, eps)
    assert t.shape == (4, K) and t.dtype == torch.float32
    torch.testing.assert_close(t.sum(1), torch.ones(4))
    torch.testing.assert_close(t[torch.arange(4), y], torch.full((4,), 1 - eps + eps / K))
    off = t.clone()
    off[torch.arange(4), y] = float("nan")
    vals = off[~off.isnan()]
    torch.testing.assert_close(vals, torch.full_like(vals, eps / K))
    torch.testing.assert_close(t, losses.smooth_targets(y, K, eps))


@pytest.mark.parametrize("augment", [
    {"mixup_alpha": 0.2, "mix_prob": 1.0},
    {"cutmix_alpha": 1.0, "mix_prob": 1.0},
])
def test_training_with_mixup_or_cutmix_is_finite_and_differs(data, augment):
    plain = fit(cfg(epochs=2, label_smoothing=0.1), data)
    mixed = fit(cfg(epochs=2, label_smoothing=0.1, augment=augment), data)
    for r in mixed.history:
        assert all(math.isfinite(r[k]) for k in ("train_loss", "val_loss", "val_accuracy"))
    # the mixing is applied: targets are no longer (smoothed) one-hot, so the loss changes
    assert mixed.history[0]["train_loss"] != plain.history[0]["train_loss"]
    assert mixed.history[0]["train_loss"] > plain.history[0]["train_loss"] - 0.5


# ------------------------------------------------------------------------------- Poly-Focal


def test_paper_poly_focal_is_refused_but_the_fix_trains(data):
    paper = cfg(epochs=2, loss="poly_focal", output="sparsemax", label_smoothing=0.05,
                class_weights="balanced")
    with pytest.raises(FloatingPointError, match=r"epoch 1, step 0 .*poly_focal"):
        fit(paper, data)
    fixed = fit(paper.replace(loss="poly_focal_fixed", epochs=4), data)
    assert all(math.isfinite(r["train_loss"]) and math.isfinite(r["val_loss"])
               for r in fixed.history)
    assert fixed.history[-1]["train_loss"] < fixed.history[0]["train_loss"]
    assert fixed.history[-1]["val_accuracy"] > 3 / K
    p = T.predict_proba(fixed.model, data["xva"], paper)
    np.testing.assert_allclose(p.sum(1), 1.0, atol=1e-5)
    assert (p == 0).any()  # sparsemax output: exact zeros


# ------------------------------------------------------------------------------- precision


def test_bf16_autocast_runs_on_cpu_and_matches_fp32_at_init(data):
    c32 = cfg(epochs=1)
    c16 = c32.replace(precision="bf16")
    torch.manual_seed(0)
    model = create_model(MODEL, num_classes=K).eval()
    dev = torch.device("cpu")
    p32 = T.predict_proba(model, data["xva"], c32, dev)
    p16 = T.predict_proba(model, data["xva"], c16, dev)
    assert p16.dtype == np.float32
    assert not np.array_equal(p32, p16)  # autocast is really on
    np.testing.assert_allclose(p16, p32, atol=2e-2)
    assert (p16.argmax(1) == p32.argmax(1)).mean() > 0.9
    with T.autocast_ctx(c16, dev):
        assert model(T.to_input(data["xva"][:4], c16, dev)).dtype == torch.bfloat16
    res = T.fit(c16, data["xtr"], data["ytr"], data["xva"], data["yva"], K)
    assert math.isfinite(res.history[0]["train_loss"])
    assert next(res.model.parameters()).dtype == torch.float32  # master weights stay fp32


# ------------------------------------------------------------------------------- to_input


def test_to_input_resizes_and_normalises():
    dev = torch.device("cpu")
    x = torch.from_numpy(np.random.default_rng(0).integers(0, 256, (5, 48, 48), dtype=np.uint8))
    x[0] = 0
    x[1] = 255
    c = T.TrainConfig(model=MODEL, input_size=24, normalize="unit", channels_last=False)
    u = T.to_input(x, c, dev)
    assert x.dtype == torch.uint8 and u.dtype == torch.float32
    assert u.shape == (5, 1, 24, 24)
    assert 0 <= float(u.min()) and float(u.max()) <= 1
    assert torch.all(u[0] == 0) and torch.allclose(u[1], torch.ones_like(u[1]))
    # resizing 48 -> 24 with antialiasing keeps the mean
    torch.testing.assert_close(u.mean((1, 2, 3)), x.float().div(255).mean((1, 2)), atol=2e-3,
                               rtol=0)
    # (N, 1, H, W) input and no resize
    same = T.to_input(x[:, None], c.replace(input_size=48), dev)
    torch.testing.assert_close(same, x[:, None].float() / 255)

    cc = T.to_input(x, c.replace(normalize="centered"), dev)
    torch.testing.assert_close(cc, u * 2 - 1)
    assert float(cc[0].max()) == -1 and float(cc[1].min()) == 1

    ci = T.to_input(x, c.replace(in_chans=3, normalize="imagenet"), dev)
    assert ci.shape == (5, 3, 24, 24)
    mean, std = T._IMAGENET
    for ch in range(3):
        torch.testing.assert_close(ci[:, ch], (u[:, 0] - mean[ch]) / std[ch])
    torch.testing.assert_close(ci[0, :, 0, 0], torch.tensor([-m / s for m, s in zip(mean, std)]))


def test_to_input_channels_last():
    dev = torch.device("cpu")
    x = torch.zeros(2, 16, 16, dtype=torch.uint8)
    c = T.TrainConfig(model=MODEL, input_size=16, in_chans=3, channels_last=True)
    cl = T.to_input(x, c, dev)
    assert cl.shape == (2, 3, 16, 16)
    assert cl.is_contiguous(memory_format=torch.channels_last) and not cl.is_contiguous()
    plain = T.to_input(x, c.replace(channels_last=False), dev)
    assert not plain.is_contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(plain, cl)


# ------------------------------------------------------------------------------- subsampling


def test_stratified_subsample_keeps_proportions_and_is_seeded():
    y = np.repeat(np.arange(4), [400, 200, 100, 300])
    idx = T.stratified_subsample(y, 100, seed=0)
    assert len(idx) == 100 and len(np.unique(idx)) == 100
    assert np.all(np.diff(idx) > 0)  # sorted
    np.testing.assert_array_equal(np.bincount(y[idx], minlength=4), [40, 20, 10, 30])
    np.testing.assert_array_equal(idx, T.stratified_subsample(y, 100, seed=0))
    assert not np.array_equal(idx, T.stratified_subsample(y, 100, seed=1))
    np.testing.assert_array_equal(T.stratified_subsample(y, None, 0), np.arange(len(y)))
    np.testing.assert_array_equal(T.stratified_subsample(y, 5000, 0), np.arange(len(y)))


def test_fit_flushes_denormals_and_the_record_says_so(data):
    """Denormal floats slow CPU training several-fold once weights or Adam's moments underflow:
    the engine flushes them to zero, and a record's environment reports whether it was on."""
    from fer_repro import runs

    torch.set_flush_denormal(False)
    assert not runs.flushes_denormals() and runs.environment()["flush_denormal"] == "off"
    fit(cfg(epochs=1), data)
    assert runs.flushes_denormals() and runs.environment()["flush_denormal"] == "on"
    assert torch.tensor([1e-39]).mul(1.0).item() == 0.0  # a denormal is read as zero
