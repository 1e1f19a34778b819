"""DCRNet (fer_repro.models.dcrnet) and its experiment module (fer_repro.experiments.dcrnet).

Parameter counts are checked against arithmetic on the layer shapes written out here (Huang et
al.'s DenseNet121 and the paper's Sec. 3 head), not against the model's own bookkeeping. Gamma
correction is checked against values computed by hand. The fold tests and the smoke run need
the CK+48 file and are skipped without it. One intra-op thread; no training beyond the smoke
budget (2 folds x 1 epoch on at most 200 images at 32x32).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from conftest import need

from fer_repro.experiments import dcrnet as X
from fer_repro.models import count_parameters, create_model, list_models
from fer_repro.models import dcrnet as D

pytestmark = pytest.mark.usefixtures("one_thread")


# ------------------------------------------------------------------ hand arithmetic


def conv_p(k: int, cin: int, cout: int, bias: bool = False) -> int:
    return k * k * cin * cout + (cout if bias else 0)


def bn_p(c: int) -> int:  # affine weight + bias (running statistics are buffers)
    return 2 * c


def linear_p(i: int, o: int) -> int:
    return i * o + o


def densenet121_features_p(in_chans: int = 3) -> int:
    """Huang et al. 2017: stem conv7x7(64) + BN; blocks (6, 12, 24, 16) of BN-conv1x1(128)-BN-
    conv3x3(32) with growth 32; transitions BN-conv1x1 halving the width; final BN."""
    c = 64
    n = conv_p(7, in_chans, c) + bn_p(c)
    for i, layers in enumerate((6, 12, 24, 16)):
        for _ in range(layers):
            n += bn_p(c) + conv_p(1, c, 128) + bn_p(128) + conv_p(3, 128, 32)
            c += 32
        if i < 3:
            n += bn_p(c) + conv_p(1, c, c // 2)
            c //= 2
    assert c == 1024
    return n + bn_p(c)


def cbam_p(c: int, r: int = 16, k: int = 7) -> int:
    h = c // r
    return linear_p(c, h) + linear_p(h, c) + 2 * k * k  # shared MLP + spatial conv (no bias)


def se_p(c: int, r: int = 16) -> int:
    h = c // r
    return linear_p(c, h) + linear_p(h, c)


def res_block_p(cin: int, cout: int) -> int:
    n = conv_p(3, cin, cout) + bn_p(cout) + conv_p(3, cout, cout) + bn_p(cout)
    if cin != cout:
        n += conv_p(1, cin, cout) + bn_p(cout)  # projection shortcut
    return n


def dcrnet_p(attention: str = "cbam", residual: bool = True, conv_blocks: bool = True,
             num_classes: int = 7, in_chans: int = 3) -> int:
    att = {"cbam": cbam_p, "se": se_p, "none": lambda c: 0}[attention]
    n = densenet121_features_p(in_chans)
    c = 1024
    if conv_blocks:
        n += conv_p(3, 1024, 256) + bn_p(256) + att(256)
        n += conv_p(3, 256, 512) + bn_p(512) + att(512)
        c = 512
    if residual:
        for w in (32, 64):
            for _ in range(3):
                n += res_block_p(c, w)
                c = w
        n += att(c)
    for w in (512, 256, 128):
        n += linear_p(c, w)
        c = w
    return n + linear_p(c, num_classes)


# ------------------------------------------------------------------ model


def test_registered() -> None:
    assert "dcrnet" in list_models("dcrnet*")


def test_parameter_count_matches_layer_arithmetic() -> None:
    assert densenet121_features_p() == 6_953_856
    net = create_model("dcrnet", num_classes=7, in_chans=3)
    assert count_parameters(net) == dcrnet_p() == 11_151_457
    # the paper's 11.6 M is not met exactly (-3.9 %)
    assert abs(count_parameters(net) / 11.6e6 - 1) > 0.03


@pytest.mark.parametrize("kw", [
    {"attention": "se"},
    {"attention": "none"},
    {"residual": False},
    {"attention": "none", "residual": False, "conv_blocks": False},
])
def test_ablation_variants(kw: dict) -> None:
    full = count_parameters(create_model("dcrnet", in_chans=3))
    net = create_model("dcrnet", in_chans=3, **kw)
    n = count_parameters(net)
    assert n == dcrnet_p(**kw)
    assert n < full
    if kw == {"attention": "se"}:  # SE = CBAM's channel MLP without the three spatial convs
        assert full - n == 3 * 2 * 7 * 7
    if kw == {"attention": "none"}:
        assert full - n == cbam_p(256) + cbam_p(512) + cbam_p(64)
    with torch.no_grad():
        assert net.eval()(torch.rand(2, 3, 64, 64)).shape == (2, 7)


def test_skip_false_keeps_the_convs_and_drops_only_the_projections() -> None:
    full = count_parameters(create_model("dcrnet", in_chans=3))
    plain = count_parameters(create_model("dcrnet", in_chans=3, skip=False))
    assert full - plain == conv_p(1, 512, 32) + bn_p(32) + conv_p(1, 32, 64) + bn_p(64)


@pytest.mark.parametrize("size,feat", [(224, 3), (64, 1), (32, 1)])
def test_output_shapes(size: int, feat: int) -> None:
    net = create_model("dcrnet", num_classes=7, in_chans=3).eval()
    x = torch.rand(2, 3, size, size)
    with torch.no_grad():
        assert net(x).shape == (2, 7)
        assert net.forward_features(x).shape == (2, 64, feat, feat)


def test_single_image_batch_trains_on_one_by_one_maps() -> None:
    """At 64x64 the residual modules see 1x1 maps: a last batch of one image must not raise."""
    net = create_model("dcrnet", in_chans=3).train()
    bn = net.residual[0].conv1[1]
    before = bn.running_mean.clone()
    net(torch.rand(1, 3, 64, 64)).sum().backward()
    torch.testing.assert_close(bn.running_mean, before)  # running statistics left alone
    net(torch.rand(2, 3, 64, 64))
    assert not torch.equal(bn.running_mean, before)  # two images: ordinary batch statistics
    assert all(type(m) is D.SingleValueSafeBatchNorm2d
               for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d))


def test_one_channel_input_and_class_count() -> None:
    net = create_model("dcrnet", num_classes=3, in_chans=1).eval()
    assert count_parameters(net) == dcrnet_p(num_classes=3, in_chans=1)
    with torch.no_grad():
        assert net(torch.rand(2, 1, 64, 64)).shape == (2, 3)


def test_flops_at_224() -> None:
    """3.01 G multiply-adds (6.02 GFLOPs as 2 x MACs) vs the paper's 4.2 'GFLOPs'."""
    from torch.utils.flop_counter import FlopCounterMode

    net = create_model("dcrnet", in_chans=3).eval()
    with FlopCounterMode(display=False) as fc, torch.no_grad():
        net(torch.zeros(1, 3, 224, 224))
    gmacs = fc.get_total_flops() / 2e9
    # the two conv blocks on the 7x7 map alone, by hand
    head = (conv_p(3, 1024, 256) + conv_p(3, 256, 512)) * 49 / 1e9
    assert 3.00 < gmacs < 3.02
    assert head == pytest.approx(0.1734, abs=1e-4)
    assert not (0.9 * 4.2 < gmacs < 1.1 * 4.2) and not (0.9 * 4.2 < 2 * gmacs < 1.1 * 4.2)


def test_backbone_from_a_saved_state_dict(tmp_path) -> None:
    from torchvision.models import densenet121

    torch.manual_seed(3)
    feats = densenet121(weights=None).features
    path = tmp_path / "features.pt"
    torch.save(feats.state_dict(), path)
    for kw in ({}, {"attention": "none", "residual": False, "conv_blocks": False}):
        m = create_model("dcrnet", in_chans=3, pretrained=str(path), **kw)
        got = m.backbone[0].state_dict()
        assert all(torch.equal(got[k], v) for k, v in feats.state_dict().items())
    # a one-channel stem sums the saved RGB filters, as with ImageNet weights
    m1 = create_model("dcrnet", in_chans=1, pretrained=path)
    torch.testing.assert_close(m1.backbone[0].conv0.weight,
                               feats.conv0.weight.sum(dim=1, keepdim=True))
    with pytest.raises(D.PretrainedWeightsUnavailable, match="no such file"):
        create_model("dcrnet", pretrained=str(tmp_path / "missing.pt"))


def test_bad_attention_and_missing_weights(tmp_path, monkeypatch) -> None:
    with pytest.raises(ValueError, match="attention"):
        create_model("dcrnet", attention="eca")
    old = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path))  # an empty cache: no weights, and no download attempted
    try:
        with pytest.raises(D.PretrainedWeightsUnavailable, match="never downloads"):
            create_model("dcrnet", in_chans=3, pretrained=True)
    finally:
        torch.hub.set_dir(old)


# ------------------------------------------------------------------ preprocessing


def test_gamma_against_hand_computed_values() -> None:
    # mean 111.75 -> mu 0.438235, gamma = ln 0.5 / ln mu = 0.693147 / 0.824999 = 0.840179;
    # 255 (64/255)^0.840179 = 79.82 -> 80; 255 (128/255)^0.840179 = 142.91 -> 143
    a = np.array([[0, 64], [128, 255]], np.uint8)
    assert X.gamma_values(a)[0] == pytest.approx(0.840179, abs=1e-6)
    np.testing.assert_array_equal(X.adaptive_gamma(a), [[0, 80], [143, 255]])
    # a dark image: ln 0.5 / ln(40/255) = 0.374 -> clipped to 0.6; 255 (40/255)^0.6 = 83.92 -> 84
    dark = np.full((3, 3), 40, np.uint8)
    assert X.gamma_values(dark)[0] == 0.6
    np.testing.assert_array_equal(X.adaptive_gamma(dark), np.full((3, 3), 84))
    # a bright one: ln 0.5 / ln(200/255) = 2.85 -> 1.4; 255 (200/255)^1.4 = 181.48 -> 181
    bright = np.full((2, 2), 200, np.uint8)
    np.testing.assert_array_equal(X.adaptive_gamma(bright), np.full((2, 2), 181))
    # mean exactly 127.5 -> gamma 1 -> unchanged
    mid = np.array([[0, 255], [100, 155]], np.uint8)
    assert X.gamma_values(mid)[0] == pytest.approx(1.0)
    np.testing.assert_array_equal(X.adaptive_gamma(mid), mid)


def test_gamma_is_per_image_and_accepts_tensors() -> None:
    a = np.array([[0, 64], [128, 255]], np.uint8)
    batch = np.stack([a, np.full((2, 2), 40, np.uint8), np.zeros((2, 2), np.uint8),
                      np.full((2, 2), 255, np.uint8)])
    out = X.adaptive_gamma(batch)
    assert out.dtype == np.uint8 and out.shape == batch.shape
    np.testing.assert_array_equal(out[0], X.adaptive_gamma(a))
    np.testing.assert_array_equal(out[1], 84)
    np.testing.assert_array_equal(out[2:], batch[2:])  # black and white stay as they are
    np.testing.assert_allclose(X.gamma_values(batch), [0.840179, 0.6, 0.6, 1.4], atol=1e-6)
    t = X.adaptive_gamma(torch.from_numpy(batch))
    assert isinstance(t, torch.Tensor) and t.dtype == torch.uint8
    np.testing.assert_array_equal(t.numpy(), out)
    with pytest.raises(TypeError):
        X.adaptive_gamma(batch.astype(np.float32))


def test_no_landmark_package() -> None:
    # documents the environment: the runs have no landmark step
    assert X.landmark_backend() is None
    assert X.protocol_complete("full") is False


def test_config_follows_the_paper() -> None:
    c = X.ckplus_config("full")
    assert (c.optimizer, c.lr, c.batch_size, c.weight_decay) == ("adam", 1e-4, 32, 1e-3)
    assert (c.epochs, c.early_stop, c.monitor, c.input_size) == (200, 50, "val_accuracy", 224)
    assert c.class_weights == "inverse" and c.model_kwargs["drop1"] == 0.4
    b = X.ckplus_config("cpu", variant="baseline")
    assert b.model_kwargs["conv_blocks"] is False and b.input_size == 64


# ------------------------------------------------------------------ real data


@pytest.fixture(scope="module")
def ckplus():
    from fer_repro.data import DataError, load_ckplus48

    try:
        return load_ckplus48()
    except DataError as e:
        pytest.skip(f"CK+48 is not available: {e}")


def test_subject_folds_share_no_subject_random_folds_do(ckplus) -> None:
    g = np.asarray(ckplus.groups)
    subj = X.folds(ckplus, "subject", 5, 0)
    rand = X.folds(ckplus, "random", 5, 0)
    for folds_ in (subj, rand):
        assert sorted(np.concatenate([f.test for f in folds_])) == list(range(len(ckplus)))
    for f in subj:
        tr, va, te = (set(g[i]) for i in (f.train, f.val, f.test))
        assert not (tr & te) and not (va & te) and not (tr & va)
    shared = [len(set(g[f.train]) & set(g[f.test])) for f in rand]
    assert min(shared) > 0  # image-level folds put the same subjects on both sides
    # ... and the same sequences: the paper's split is not sequence-disjoint either
    seq = ckplus.meta["sequence_ids"]
    assert all(set(seq[f.train]) & set(seq[f.test]) for f in rand)
    assert all(190 <= len(f.test) <= 200 for f in rand)  # the paper tests on 196 images


def test_smoke_run_end_to_end(ckplus, fer2013, tmp_path) -> None:
    from fer_repro import runs

    recs = X.ckplus_run("subject", "smoke", seed=0, mode="auto", root=tmp_path)
    assert len(recs) == X.BUDGETS["smoke"]["folds"] == 2
    assert len({r.key for r in recs}) == 2
    idx = np.concatenate([r.arrays()["test_idx"] for r in recs])
    assert len(idx) == len(np.unique(idx)) == X.BUDGETS["smoke"]["n_images"]
    for r in recs:
        a = r.arrays()
        assert set(a) >= {"y_true", "y_pred", "proba", "test_idx", "test_subject"}
        np.testing.assert_array_equal(a["y_true"], ckplus.labels[a["test_idx"]])
        np.testing.assert_array_equal(a["test_subject"], np.asarray(ckplus.groups)[a["test_idx"]])
        assert not (r.path / "checkpoints" / "last.pt").exists()
    # the fold test subjects are disjoint
    s0, s1 = (set(r.arrays()["test_subject"]) for r in recs)
    assert not s0 & s1
    # recorded: mode="never" reads the same records back
    again = X.ckplus_run("subject", "smoke", seed=0, mode="never", root=tmp_path)
    assert [r.key for r in again] == [r.key for r in recs]
    with pytest.raises(runs.RecordMissing):
        X.ckplus_run("random", "smoke", seed=0, mode="never", root=tmp_path)
    # every fold started from the FER2013 backbone of the budget, named in its config
    pre = X.pretrain_run("smoke", 0, mode="never", root=tmp_path)
    assert {r.config["backbone"] for r in recs} == {f"{pre.name}/{pre.key}"}
    assert {X.backbone_init(r) for r in recs} == {"FER2013"}
    assert {r.extra["backbone_sha256"] for r in recs} == {pre.extra["backbone_sha256"]}
    assert not any("backbone_recreated" in r.extra for r in recs)
    # a fresh clone has the record but not the weights: "never" says so, "auto" re-creates
    # them without touching the record, and on one CPU the re-run gives the recorded weights
    # bit for bit
    path = pre.path / "checkpoints" / X.BACKBONE_FILE
    record_json = (pre.path / "record.json").read_bytes()
    path.unlink()
    with pytest.raises(runs.RecordMissing, match="backbone weights"):
        X.backbone_file("smoke", 0, "never", root=tmp_path)
    assert X.backbone_file("smoke", 0, "auto", root=tmp_path) == path and path.is_file()
    assert X._sha256(path) == pre.extra["backbone_sha256"]
    assert (pre.path / "record.json").read_bytes() == record_json
    assert not path.with_name(X.RECREATED_NOTE).exists()
    assert not (path.parent / "recreate").exists()  # the scratch store is gone
    assert X.backbone_provenance(path) == {"backbone_sha256": pre.extra["backbone_sha256"]}
    with pytest.raises(ValueError, match="never re-run in place"):
        X.backbone_file("smoke", 0, "force", root=tmp_path)
    # other weights on the record's own CPU model, PyTorch and code: not deterministic, refused
    other = json.loads(record_json)
    other["extra"]["backbone_sha256"] = "0" * 64
    (pre.path / "record.json").write_text(json.dumps(other))
    path.unlink()
    with pytest.raises(RuntimeError, match="not deterministic"):
        X.backbone_file("smoke", 0, "auto", root=tmp_path)
    # a record made on another CPU model: the re-created weights are used and described beside
    # them, the record stays as it was
    other["info"]["environment"]["cpu_model"] = "another CPU"
    (pre.path / "record.json").write_text(json.dumps(other))
    got = X.backbone_file("smoke", 0, "auto", root=tmp_path)
    assert got == path and json.loads((pre.path / "record.json").read_text()) == other
    prov = X.backbone_provenance(got)
    assert prov["backbone_sha256"] == pre.extra["backbone_sha256"]
    made = prov["backbone_recreated"]
    assert made["record_sha256"] == "0" * 64 and made["cpu"] and 0 <= made[
        "publictest_accuracy"] <= 1
    assert made["differs"] == [f"CPU model (another CPU then, {made['cpu']} now)"]
    assert X.backbone_file("smoke", 0, "never", root=tmp_path) == got  # found again, by its note
    got.with_name(X.RECREATED_NOTE).write_text("{not json")  # a torn note is not trusted
    with pytest.raises(runs.RecordMissing, match="backbone weights"):
        X.backbone_file("smoke", 0, "never", root=tmp_path)
    assert "backbone_recreated" not in X.backbone_provenance(got)
    (pre.path / "record.json").write_bytes(record_json)
    # under the campaign's working folders the re-created weights are written outside the
    # record's folder and found there; a file whose checksum differs is not taken
    path.unlink()
    work = tmp_path / "work"
    with runs.workdirs_under(work):
        got = X.backbone_file("smoke", 0, "auto", root=tmp_path)
        assert got.is_file() and work in got.parents
        assert X.backbone_file("smoke", 0, "never", root=tmp_path) == got
        got.write_bytes(b"not the recorded weights")
        with pytest.raises(runs.RecordMissing, match="backbone weights"):
            X.backbone_file("smoke", 0, "never", root=tmp_path)
    ev = X.evidence("smoke", 0, {"ckplus_subject": recs}, n_boot=200)
    e = ev["dcrnet/ckplus_subject_accuracy"]
    assert e.ci_low <= e.estimate <= e.ci_high and e.complete is False
    assert "dcrnet/ckplus_test_accuracy" not in ev  # the random protocol was not run


def test_perturbations_are_seeded_and_do_what_they_say():
    from fer_repro.experiments.dcrnet import PERTURBATIONS, perturb

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (5, 48, 48)).astype(np.uint8)
    for kind in PERTURBATIONS:
        a, b = perturb(x, kind, seed=3), perturb(x, kind, seed=3)
        assert a.dtype == np.uint8 and a.shape == x.shape and np.array_equal(a, b)
        assert not np.array_equal(a, x)
    occ = perturb(x, "occlusion", seed=1)
    changed = (occ != x) | (occ == 128)
    assert all((occ[i] == 128).sum() >= 16 * 16 for i in range(5))
    assert all(changed[i].sum() <= 16 * 16 + (x[i] == 128).sum() for i in range(5))
    np.testing.assert_array_equal(perturb(x, "darker"), np.clip(np.rint(x * np.float32(0.8)), 0, 255))
    bright = perturb(x, "brighter")
    assert bright.max() == 255 and np.array_equal(bright[x < 200], np.rint(x[x < 200] * np.float32(1.2)))
    with pytest.raises(ValueError):
        perturb(x, "blur")


# ------------------------------------------------------------------ the chapter's tables


class _FakeRecord:
    """The parts of a run-store Record the chapter helpers read."""

    def __init__(self, fold: int, test_idx, y_true, y_pred, subject, extra_arrays=None):
        import pandas as pd

        self.name, self.key, self.budget = "fake", f"k{fold}", "smoke"
        self.extra = {"fold": fold, "class_names": ["a", "b", "c"], "n_train": 10, "n_val": 2,
                      "n_test": len(test_idx), "n_train_subjects": 4, "n_test_subjects": 2}
        yt, yp = np.asarray(y_true), np.asarray(y_pred)
        self.metrics = {"accuracy": float((yt == yp).mean()), "macro_f1": 0.5,
                        "epochs_run": 3.0, "best_epoch": 2.0}
        self._a = {"test_idx": np.asarray(test_idx), "y_true": yt, "y_pred": yp,
                   "test_subject": np.asarray(subject), **(extra_arrays or {})}
        self._h = pd.DataFrame({"epoch": [1, 2, 3], "val_accuracy": [0.3, 0.5, 0.4]})

    def arrays(self):
        return dict(self._a)

    def history(self):
        return self._h


def _fake_folds(pred_shift: int = 0, with_perturbed: bool = True):
    # 12 images, 6 subjects of 2 images, 2 folds given in reverse order of their indices
    y = np.arange(12) % 3
    subj = np.repeat([f"S{i}" for i in range(6)], 2)
    pred = y.copy()
    pred[:pred_shift] = (pred[:pred_shift] + 1) % 3  # the first pred_shift images wrong
    out = []
    for f, idx in enumerate((np.arange(6, 12), np.arange(0, 6))):
        extra = {}
        if with_perturbed:
            extra = {f"pred_{k}": pred[idx] for k in X.PERTURBATIONS}
            extra["pred_darker"] = (pred[idx] + 1) % 3  # darker: every image wrong
        out.append(_FakeRecord(f, idx, y[idx], pred[idx], subj[idx], extra))
    return out


def test_pooled_perturbed_orders_like_pooled() -> None:
    recs = _fake_folds(pred_shift=3)
    p = X.pooled_perturbed(recs)
    np.testing.assert_array_equal(p["test_idx"], np.arange(12))
    np.testing.assert_array_equal(p["pred_noise"], p["y_pred"])
    assert (p["pred_darker"] != p["y_true"]).all()
    assert "pred_noise" not in X.pooled_perturbed(_fake_folds(with_perturbed=False))


def test_robustness_table_drop_and_interval() -> None:
    t = X.robustness_table(_fake_folds(pred_shift=3), n_boot=200)
    assert list(t.index) == list(X.PERTURBATIONS)
    assert t.loc["noise", "drop"] == 0 and t.loc["noise", "clean"] == pytest.approx(9 / 12)
    assert t.loc["darker", "perturbed"] == 0 and t.loc["darker", "drop"] == pytest.approx(9 / 12)
    assert t.loc["darker", "drop low"] <= t.loc["darker", "drop"] <= t.loc["darker", "drop high"]
    assert X.robustness_table(_fake_folds(with_perturbed=False)).empty


def test_protocol_gap_and_ablation_summary_pair_the_same_images() -> None:
    good, bad = _fake_folds(pred_shift=0), _fake_folds(pred_shift=4)
    gap = X.protocol_gap(good, bad, n_boot=200)
    assert gap.estimate == pytest.approx(4 / 12) and gap.low <= gap.estimate <= gap.high
    assert X.protocol_gap(good, good, "macro_f1", n_boot=50).estimate == 0
    s = X.ablation_summary(good, bad)
    assert (s["n"], s["b"], s["c"]) == (12, 4, 0)
    # the 4 discordant images are 2 subjects x 2 images: subject-clustered McNemar (Durkalski)
    # (2 + 2)^2 / (2^2 + 2^2) = 2, half the image-level statistic 4^2 / 4
    from scipy.stats import chi2

    assert (s["subjects"], s["discordant_subjects"]) == (6, 2)
    assert s["statistic_clustered"] == pytest.approx(2.0)
    assert s["p_clustered"] == pytest.approx(chi2.sf(2.0, 1))
    assert s["variance_ratio"] == pytest.approx(2.0)
    assert s["full"] - s["baseline"] == pytest.approx(4 / 12)
    assert s["discordance"] == pytest.approx(4 / 12)
    other = _fake_folds()
    other[0]._a["test_idx"] = other[0]._a["test_idx"] + 100
    with pytest.raises(ValueError):
        X.protocol_gap(good, other)
    with pytest.raises(ValueError):
        X.protocol_gap(good, bad, "recall")


def test_ablation_table_rows_gains_and_holm() -> None:
    from statsmodels.stats.multitest import multipletests

    full = _fake_folds(pred_shift=0)
    variants = {"baseline": _fake_folds(pred_shift=4), "no_gamma": _fake_folds(pred_shift=1),
                "se": None}
    t = X.ablation_table(full, variants, n_boot=200)
    assert list(t.index) == ["baseline", "no_gamma"]  # a variant without records is left out
    assert t.loc["baseline", "gain"] == pytest.approx(4 / 12)
    assert t.loc["no_gamma", "variant accuracy"] == pytest.approx(11 / 12)
    assert (t.loc["baseline", "b"], t.loc["baseline", "c"]) == (4, 0)
    assert (t["gain low"] <= t["gain"]).all() and (t["gain"] <= t["gain high"]).all()
    want = multipletests(t["McNemar p (exact)"], method="holm")[1]
    np.testing.assert_allclose(t["McNemar p (Holm)"], want)
    want = multipletests(t["clustered p"], method="holm")[1]
    np.testing.assert_allclose(t["clustered p (Holm)"], want)
    assert t.loc["baseline", "discordant subjects"] == 2
    from scipy.stats import chi2

    assert t.loc["baseline", "clustered p"] == pytest.approx(chi2.sf(2.0, 1))
    assert X.ablation_table(full, {}).empty


def test_fold_table_and_histories() -> None:
    recs = _fake_folds()
    t = X.fold_table(recs)
    assert list(t.index) == [1, 2] and t.loc[1, "record"] == "fake/k0"
    h = X.histories(recs)
    assert len(h) == 6 and sorted(h["fold"].unique()) == [1, 2]


def test_paper_ablation_and_mcnemar_mdd_table() -> None:
    p = X.paper_ablation()
    assert list(p["test images"]) == [3500, 196, 293]
    assert p.loc["CK+", "gain"] == pytest.approx(0.9898 - 0.9780)
    assert p.loc["AffectNet-7", "gain"] == pytest.approx(0.6580 - 0.6412)
    t = X.mcnemar_mdd_table((0.01, 0.05, 0.10))
    # a gain larger than the discordance is impossible: no power there
    assert np.isnan(t.loc[("CK+", 0.01), "power at the paper's gain"])
    # with more disagreement a larger gain is needed; 196 images cannot detect the paper's gain
    mdd = t.xs("CK+")["smallest detectable gain"].dropna()
    assert mdd.is_monotonic_increasing and (mdd > p.loc["CK+", "gain"]).all()
    assert (t.xs("CK+")["power at the paper's gain"].dropna() < 0.2).all()


def test_perturbation_magnitudes_match_perturb() -> None:
    m = X.perturbation_magnitudes()
    assert m["occlusion_side"] == pytest.approx(1 / 3) and m["occlusion_value"] == 128
    assert m["noise_sd"] == pytest.approx(0.05, abs=0.005)
    assert (m["darker"], m["brighter"]) == (pytest.approx(0.8), pytest.approx(1.2))


def test_model_table_counts_without_a_profile() -> None:
    t = X.model_table(flops=False)
    assert list(t.index) == list(X.VARIANTS)
    assert t.loc["full", "parameters"] == 11_151_457
    assert t.loc["baseline", "parameters"] == 7_643_783
    assert t["GFLOPs"].isna().all()


def test_leakage_overlap_random_vs_subject(ckplus) -> None:
    r = X.leakage_overlap(ckplus, "random", "cpu")
    s = X.leakage_overlap(ckplus, "subject", "cpu")
    assert r.loc["all", "test images"] == s.loc["all", "test images"] == len(ckplus)
    assert r.loc["all", "same sequence in training"] > 0.5
    assert r.loc["all", "same subject in training"] > 0.9
    assert s["same subject in training"].max() == s["same sequence in training"].max() == 0
    assert s["of them in training"].max() == 0


def test_pixel_nn_run_memorises_sequences_under_the_random_protocol(tmp_path):
    from fer_repro.data import available

    if not available("ckplus48.npz"):
        pytest.skip("ckplus48.npz is not on the data search path")
    acc = {p: X.pixel_nn_run(p, "cpu", root=tmp_path).metrics["accuracy"] for p in X.PROTOCOLS}
    # three near-identical frames per sequence: a random split puts siblings in training
    assert acc["random"] > 0.9 and acc["subject"] < acc["random"] - 0.2


def test_pretraining_overlap_counts_the_copies_the_backbone_saw():
    need("fer2013.npz")
    pre = X.pretraining_images("cpu")
    assert len(pre) == X.PRETRAIN["cpu"]["max_train"] and len(np.unique(pre)) == len(pre)
    outside = next(i for i in range(28709) if i not in set(pre.tolist()))
    inside = int(pre[0])

    def row(fer, q, seq, subj="S1", split="Training", lab="disgust"):
        return {"fer_index": fer, "fer_split": split, "dataset": "CK+48", "query_index": q,
                "sequence": seq, "subject": subj, "fer_label": lab, "query_label": lab}

    class Match:
        def __init__(self):
            self.extra = {"n_queries": {"CK+48": 981, "KDEF subset": 420},
                          "matches": [row(inside, 10, "S1_001"), row(inside, 11, "S1_001"),
                                      row(outside, 20, "S2_001", "S2"),
                                      row(33000, 30, "S3_001", "S3", "PrivateTest")]}

    ov = X.pretraining_overlap(Match(), "cpu")
    ck = ov["CK+48"]
    assert ck["fer_in_pretraining"] == [inside] and ck["query_images"] == [10, 11]
    assert ck["subjects"] == ["S1"] and ck["sequences"] == ["S1_001"] and ck["labels_agree"]
    assert ck["share"] == pytest.approx(2 / 981)
    assert ck["fer_matched_training"] == sorted([inside, outside])
    assert ov["KDEF subset"]["n_query_images"] == 0
    # with fold records: how the model did on those images, and the accuracy without them
    recs = _fake_folds(pred_shift=11)  # images 0..10 wrong, 11 right
    o = X.pretraining_overlap(Match(), "cpu", recs)["CK+48"]
    assert o["correct"] == 1 and o["accuracy_all"] == pytest.approx(1 / 12)
    assert o["accuracy_without"] == pytest.approx(0 / 10)
    assert X.pretraining_overlap(Match(), "full")["pretraining_images"] == 0
