"""AMACNN and DLFER (EfficientNet-B3) models, and smoke runs of their experiment modules.

Parameter counts and FLOPs are checked against counts derived by hand from the layer shapes,
not against the models' own bookkeeping.
"""

from __future__ import annotations

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from fer_repro.models import count_parameters, create_model, list_models

# ------------------------------------------------------------------ hand parameter arithmetic


def conv_p(k: int, cin: int, cout: int, groups: int = 1, bias: bool = False) -> int:
    return k * k * cin * cout // groups + (cout if bias else 0)


def bn_p(c: int) -> int:  # weight + bias (running statistics are buffers)
    return 2 * c


def linear_p(i: int, o: int) -> int:
    return i * o + o


def amacnn_p(in_chans: int = 3, img_size: int = 128, k: int = 7, head: str = "flatten") -> int:
    """3 streams (conv kxk, no bias, + BN) of 64 filters; 3 residual blocks of two 3x3 convs +
    BN at 192 channels; attention 1x1 convs 192->24->1 (biased); FC 256; linear 256->k."""
    streams = sum(conv_p(kk, in_chans, 64) + bn_p(64) for kk in (3, 5, 7))
    blocks = 3 * 2 * (conv_p(3, 192, 192) + bn_p(192))
    attention = conv_p(1, 192, 24, bias=True) + conv_p(1, 24, 1, bias=True)
    n_in = 192 * (img_size // 8) ** 2 if head == "flatten" else 192  # three 2x2 max-pools
    return streams + blocks + attention + linear_p(n_in, 256) + linear_p(256, k)


#: EfficientNet-B3 (width 1.2, depth 1.4; Tan & Le 2019, Table 1 scaled):
#: (expand ratio, kernel, repeats, in channels, out channels) per stage
B3_STAGES = [(1, 3, 2, 40, 24), (6, 3, 3, 24, 32), (6, 5, 3, 32, 48), (6, 3, 5, 48, 96),
             (6, 5, 5, 96, 136), (6, 5, 6, 136, 232), (6, 3, 2, 232, 384)]


def mbconv_p(cin: int, cout: int, expand: int, k: int) -> int:
    """[1x1 expansion + BN] + depthwise kxk + BN + SE (two biased 1x1 convs, cin // 4 hidden)
    + 1x1 projection + BN."""
    exp = cin * expand
    n = conv_p(1, cin, exp) + bn_p(exp) if expand != 1 else 0
    n += conv_p(k, exp, exp, groups=exp) + bn_p(exp)
    sq = max(1, cin // 4)
    n += conv_p(1, exp, sq, bias=True) + conv_p(1, sq, exp, bias=True)
    return n + conv_p(1, exp, cout) + bn_p(cout)


def effnet_b3_p(in_chans: int = 3, k: int = 7) -> int:
    n = conv_p(3, in_chans, 40) + bn_p(40)  # stem
    for expand, kk, repeats, cin, cout in B3_STAGES:
        for i in range(repeats):
            n += mbconv_p(cin if i == 0 else cout, cout, expand, kk)
    n += conv_p(1, 384, 1536) + bn_p(1536)  # head conv
    return n + linear_p(1536, k)  # the new 7-way dense layer


def test_hand_arithmetic_spelled_out():
    # AMACNN at 128x128x3: streams 64*3*(9+25+49) + 3*128 = 16,320; blocks 3*2*(192*192*9 + 384)
    # = 1,992,960; attention 192*24+24 + 24+1 = 4,657; FC 16*16*192*256+256 = 12,583,168;
    # output 256*7+7 = 1,799.
    assert amacnn_p(3, 128) == 16_320 + 1_992_960 + 4_657 + 12_583_168 + 1_799 == 14_598_904
    # at 48x48x1: streams 64*83 + 384 = 5,696; FC 6*6*192*256+256 = 1,769,728
    assert amacnn_p(1, 48) == 5_696 + 1_992_960 + 4_657 + 1_769_728 + 1_799 == 3_774_840
    # EfficientNet-B3 with the 1000-class ImageNet head: torchvision's documented 12,233,232
    assert effnet_b3_p(3, 1000) == 12_233_232
    assert effnet_b3_p(3, 7) == 12_233_232 - 1_537_000 + 10_759 == 10_706_991
    assert effnet_b3_p(1, 7) == 10_706_991 - 40 * 9 * 2 == 10_706_271


pytestmark = pytest.mark.usefixtures("one_thread")


# ------------------------------------------------------------------ AMACNN


def test_registry_has_both_models():
    assert "amacnn" in list_models() and "dlfer_effnet_b3" in list_models()


@pytest.mark.parametrize("in_chans,img_size,head", [(3, 128, "flatten"), (1, 48, "flatten"),
                                                    (3, 128, "avg"), (1, 48, "avg")])
def test_amacnn_parameter_count(in_chans, img_size, head):
    net = create_model("amacnn", in_chans=in_chans, img_size=img_size, head=head)
    assert count_parameters(net) == amacnn_p(in_chans, img_size, head=head)


@pytest.mark.parametrize("in_chans,size", [(3, 128), (1, 48)])
def test_amacnn_output_shape(in_chans, size):
    torch.manual_seed(0)
    net = create_model("amacnn", in_chans=in_chans, img_size=size).eval()
    with torch.no_grad():
        out = net(torch.rand(2, in_chans, size, size))
    assert out.shape == (2, 7) and torch.isfinite(out).all()
    feats = net.forward_features(torch.rand(1, in_chans, size, size))
    assert feats.shape == (1, 192, size // 8, size // 8)


def test_amacnn_forward_flops_at_48():
    # a multiply-add = 2 FLOPs; FlopCounterMode counts convs and linear layers
    streams = 2 * 64 * 1 * (9 + 25 + 49) * 48 * 48
    blocks = sum(2 * 2 * 9 * 192 * 192 * s * s for s in (24, 12, 6))
    attention = 2 * (192 * 24 + 24 * 1) * 6 * 6
    head = 2 * 6 * 6 * 192 * 256 + 2 * 256 * 7
    net = create_model("amacnn", in_chans=1, img_size=48).eval()
    with FlopCounterMode(display=False) as fc, torch.no_grad():
        net(torch.zeros(1, 1, 48, 48))
    assert fc.get_total_flops() == streams + blocks + attention + head == 1_031_644_352


def test_amacnn_wrong_input_size_is_a_clear_error():
    net = create_model("amacnn", in_chans=1, img_size=48).eval()
    with pytest.raises(ValueError, match="img_size"), torch.no_grad():
        net(torch.rand(1, 1, 64, 64))


def test_amacnn_attention_is_a_spatial_map_in_unit_interval():
    net = create_model("amacnn", in_chans=1, img_size=48).eval()
    x = torch.rand(2, 192, 6, 6)
    a = net.attention.attention_map(x)
    assert a.shape == (2, 1, 6, 6) and (a > 0).all() and (a < 1).all()


# ------------------------------------------------------------------ DLFER (EfficientNet-B3)


@pytest.mark.parametrize("in_chans", [3, 1])
def test_dlfer_parameter_count(in_chans):
    net = create_model("dlfer_effnet_b3", in_chans=in_chans)
    assert count_parameters(net) == effnet_b3_p(in_chans, 7)
    assert net.classifier[-1].out_features == 7
    assert net.classifier[0].p == 0.0  # the paper names a new dense layer only


@pytest.mark.parametrize("in_chans,size", [(3, 224), (1, 48)])
def test_dlfer_output_shape(in_chans, size):
    torch.manual_seed(0)
    net = create_model("dlfer_effnet_b3", in_chans=in_chans).eval()
    with torch.no_grad():
        out = net(torch.rand(1, in_chans, size, size))
    assert out.shape == (1, 7) and torch.isfinite(out).all()


def test_dlfer_head_is_initialised_like_a_keras_dense_layer():
    torch.manual_seed(0)
    net = create_model("dlfer_effnet_b3", in_chans=3)  # the default is Keras' rule
    w, b = net.classifier[1].weight, net.classifier[1].bias
    limit = (6.0 / (1536 + 7)) ** 0.5  # Keras glorot_uniform
    assert w.abs().max() <= limit and w.abs().max() > 0.95 * limit and (b == 0).all()
    tv = create_model("dlfer_effnet_b3", in_chans=3, head_init="torchvision")
    tv = tv.classifier[1].weight
    assert tv.abs().max() > 0.95 * 7 ** -0.5  # torchvision's rule: 6x wider with 7 classes
    # the glorot head starts near the uniform guess's cross-entropy, torchvision's far above it
    x, y = torch.rand(32, 3, 48, 48), torch.randint(0, 7, (32,))
    with torch.no_grad():
        f = net.avgpool(net.features(x)).flatten(1)
        ce = torch.nn.functional.cross_entropy(net.classifier(f), y).item()
        ce_tv = torch.nn.functional.cross_entropy(f @ tv.T, y).item()
    assert ce < 2.6 < ce_tv
    with pytest.raises(ValueError, match="head_init"):
        create_model("dlfer_effnet_b3", head_init="zeros")


@pytest.fixture
def empty_hub(tmp_path):
    old = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    yield tmp_path / "hub"
    torch.hub.set_dir(old)


def test_dlfer_pretrained_without_cached_weights_raises_clearly(empty_hub):
    from fer_repro.models.dlfer import PretrainedWeightsMissing, efficientnet_b3_cache_path

    path = efficientnet_b3_cache_path()
    assert path.parent == empty_hub / "checkpoints" and not path.exists()
    with pytest.raises(PretrainedWeightsMissing, match="not in the local torch hub cache") as e:
        create_model("dlfer_effnet_b3", in_chans=3, pretrained=True)
    assert str(path) in str(e.value)
    assert isinstance(e.value, FileNotFoundError)
    assert not path.exists()  # nothing was downloaded


def test_dlfer_pretrained_loads_from_the_cache_only(empty_hub):
    from torchvision.models import efficientnet_b3

    from fer_repro.models.dlfer import efficientnet_b3_cache_path

    torch.manual_seed(3)
    ref = efficientnet_b3(weights=None)  # stands in for the ImageNet checkpoint
    path = efficientnet_b3_cache_path()
    path.parent.mkdir(parents=True)
    torch.save(ref.state_dict(), path)
    net = create_model("dlfer_effnet_b3", in_chans=3, pretrained=True)
    assert torch.equal(net.features[4][0].block[1][0].weight, ref.features[4][0].block[1][0].weight)
    grey = create_model("dlfer_effnet_b3", in_chans=1, pretrained=True)
    stem = ref.features[0][0].weight
    assert torch.allclose(grey.features[0][0].weight, stem.sum(dim=1, keepdim=True))


# ------------------------------------------------------------------ smoke runs of the experiments


@pytest.fixture
def scratch_store(tmp_path, monkeypatch):
    """A temporary run store, compute allowed; skips when FER2013 is absent."""
    from fer_repro import runs
    from fer_repro.data import DataError, load_fer2013

    try:
        load_fer2013()
    except DataError as e:
        pytest.skip(f"FER2013 is not available (fer_repro.data.DataError: {e})")
    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path / "results")
    monkeypatch.setattr(runs, "COMPUTE_OVERRIDE", "")
    monkeypatch.setenv("FER_REPRO_QUIET", "1")
    return tmp_path / "results"


def test_amacnn_experiment_smoke(scratch_store):
    from fer_repro.experiments import amacnn as E

    assert E.records("smoke", 0)["official"] is None  # mode="never" computes nothing
    recs = E.records("smoke", 0, mode="auto")
    assert set(recs) == {"official", "random8020"}
    for protocol, rec in recs.items():
        assert rec.path.is_relative_to(scratch_store)
        assert rec.config["protocol"] == protocol
        assert rec.config["train"]["max_train"] <= 600 and rec.config["train"]["epochs"] == 1
        assert rec.extra["n_train"] <= 600 and rec.extra["n_test"] == 200
        assert rec.metrics["n_parameters"] == amacnn_p(1, 32)
    ev = E.evidence("smoke", 0, recs)
    for m in ("accuracy", "macro_precision", "macro_recall", "macro_f1"):
        for prefix in ("fer2013_test", "fer2013_random8020_test"):
            e = ev[f"amacnn/{prefix}_{m}"]
            assert 0.0 <= e.ci_low <= e.estimate <= e.ci_high <= 1.0
            assert e.budget == "smoke" and not e.complete
    # the ledger's experiment targets are all covered
    from fer_repro.claims.amacnn import CLAIMS

    targets = {c.target for c in CLAIMS if c.method == "experiment"}
    assert targets <= set(ev)
    # a second call reads the records instead of training again
    again = E.records("smoke", 0, mode="never")
    assert {k: r.key for k, r in again.items()} == {k: r.key for k, r in recs.items()}


def test_dlfer_experiment_smoke(scratch_store):
    import numpy as np

    from fer_repro.experiments import dlfer as E

    recs = E.records("smoke", 0, mode="auto")
    rec = recs["scratch_b3"]
    assert rec.path.is_relative_to(scratch_store)
    assert rec.config["train"]["model_kwargs"]["pretrained"] is False
    assert rec.extra["n_train"] <= 600 and rec.extra["n_test"] == 200
    assert rec.metrics["n_parameters"] == effnet_b3_p(3, 7)
    assert 0.0 <= rec.metrics["train_accuracy"] <= 1.0 and rec.metrics["n_train_eval"] == 200
    ev = E.evidence("smoke", 0, recs)
    for name in ("scratch_b3_test_accuracy", "scratch_b3_train_accuracy",
                 "scratch_b3_test_macro_f1"):
        e = ev[f"dlfer/{name}"]
        assert 0.0 <= e.ci_low <= e.estimate <= e.ci_high <= 1.0
        assert e.budget == "smoke" and not e.complete
    from fer_repro.claims.dlfer import CLAIMS

    targets = {c.target for c in CLAIMS if c.method == "experiment"}
    assert targets <= set(ev)
    # the sensitivity arm differs from the paper's recipe in exactly its three regularisers
    plain = recs["scratch_b3_plain"].config["train"]
    paper = rec.config["train"]
    assert {k for k in paper if paper[k] != plain[k]} == {"augment", "class_weights",
                                                          "model_kwargs"}
    assert plain["augment"] == {} and plain["class_weights"] is None
    assert plain["model_kwargs"]["stochastic_depth"] == 0.0 and paper["augment"]
    assert plain["max_train"] == paper["max_train"] and plain["epochs"] == paper["epochs"]
    tab = E.arms_table(recs)
    assert list(tab.index) == [label for label, _ in E.ARMS.values()]
    row = tab.loc[E.ARMS["scratch_b3"][0]]
    assert row["test accuracy"] == pytest.approx(ev["dlfer/scratch_b3_test_accuracy"].estimate)
    assert row["low"] <= row["test accuracy"] <= row["high"] and row["test images"] == 200
    assert row["final training loss"] == pytest.approx(rec.history()["train_loss"].iloc[-1])
    assert len(E.arms_table({"scratch_b3": rec, "scratch_b3_plain": None})) == 1
    d = E.arms_difference(recs)
    y = rec.arrays()["y_true"]
    acc_plain = (recs["scratch_b3_plain"].arrays()["y_pred"] == y).mean()
    assert d["difference"] == pytest.approx(acc_plain - row["test accuracy"])
    assert d["low"] <= d["difference"] <= d["high"] and 0.0 < d["p_mcnemar"] <= 1.0
    assert d["majority_share"] == pytest.approx(np.bincount(y).max() / len(y))
    plain_low = tab.loc[E.ARMS["scratch_b3_plain"][0], "low"]
    assert d["plain_learns"] == (d["low"] > 0 and plain_low > d["majority_share"])
    assert E.arms_difference({"scratch_b3": rec, "scratch_b3_plain": None}) is None


def test_dlfer_paper_split_is_the_official_one(scratch_store):
    import numpy as np

    from fer_repro.data import load_fer2013
    from fer_repro.experiments.dlfer import paper_split

    ds = load_fer2013()
    sp = paper_split(ds, seed=0)
    assert sp.sizes() == {"train": 22_967, "val": 5_742, "test": 7_178}
    assert ds.split_mask("Training")[np.concatenate([sp.train, sp.val])].all()


# ------------------------------------------------------------------ chapter helpers


def test_model_cost_on_meta_matches_hand_counts():
    from fer_repro.experiments.amacnn import architecture_table, model_cost

    n, gf = model_cost("amacnn", 3, 128, img_size=128)
    assert n == amacnn_p(3, 128)
    assert gf == pytest.approx(7.684, abs=0.01)
    n, _ = model_cost("dlfer_effnet_b3", 1, 224)
    assert n == effnet_b3_p(1, 7)
    arch = architecture_table("cpu")
    paper, at_budget, literal = arch.index
    assert arch.loc[paper, "parameters"] == amacnn_p(3, 128)
    assert arch.loc[at_budget, "parameters"] == amacnn_p(1, 48)
    # Table 3 literally: the flatten sees 128 x 128 x 192 features
    assert arch.loc[literal, "flatten-FC parameters"] == 192 * 128 * 128 * 256 + 256
    assert arch.loc[literal, "forward GFLOPs"] > 8 * arch.loc[paper, "forward GFLOPs"]


def test_dlfer_architecture_table_counts():
    from fer_repro.experiments.dlfer import architecture_table

    arch = architecture_table("cpu")
    grey, rgb, _, imagenet = arch.index
    assert arch.loc[grey, "parameters"] == effnet_b3_p(1, 7)
    assert arch.loc[rgb, "parameters"] == effnet_b3_p(3, 7)
    assert arch.loc[imagenet, "parameters"] == effnet_b3_p(3, 1000)


def test_metric_row_against_direct_computation():
    import numpy as np

    from fer_repro import metrics as M
    from fer_repro.experiments.amacnn import metric_row

    rng = np.random.default_rng(0)
    y = rng.integers(0, 7, 400)
    p = np.where(rng.random(400) < 0.6, y, rng.integers(0, 7, 400))
    r = metric_row(y, p, 7, seed=0, n_boot=200)
    assert r["images"] == 400 and r["accuracy"] == pytest.approx(float((y == p).mean()))
    assert r["accuracy_low"] < r["accuracy"] < r["accuracy_high"]
    for m in ("macro_precision", "macro_recall", "macro_f1"):
        assert r[m] == pytest.approx(getattr(M, m)(y, p, 7))
        assert r[f"{m}_low"] <= r[m] <= r[f"{m}_high"]


def test_ledger_claims_are_matched_by_judge():
    from fer_repro.experiments import amacnn as A
    from fer_repro.experiments import dlfer as D

    paper = A.paper_claims()
    assert paper["accuracy"].value == pytest.approx(0.948)
    assert [c.value for _, c in A.table4_accuracy_claims()] == [0.954, 0.947, 0.948]
    abl = D.ablation_claims()
    assert {k: c.value for k, c in abl.items()} == {
        ("without EF-FER1", "train"): 0.878, ("without EF-FER1", "validation"): 0.5774,
        ("without EF-FER1", "test"): 0.6621, ("with EF-FER1", "train"): 0.9231,
        ("with EF-FER1", "validation"): 0.8526, ("with EF-FER1", "test"): 0.8209}
    assert D.headline_claim().value == pytest.approx(0.8209)


def test_fer2013_identity_quotes_are_verbatim():
    import re
    from pathlib import Path

    from fer_repro.claims import ledger
    from fer_repro.experiments.amacnn import FER2013_IDENTITY

    root = Path(__file__).resolve().parents[1]
    path = next((d / ledger("amacnn").PAPER.text_file
                 for d in (root.parent / "shared" / "papers", Path("/work/shared/papers"))
                 if (d / ledger("amacnn").PAPER.text_file).is_file()), None)
    if path is None:
        pytest.skip("paper text not available")
    text = re.sub(r"\s+", " ", path.read_text())
    for _, quote, _ in FER2013_IDENTITY:
        assert re.sub(r"\s+", " ", quote) in text


def test_context_without_records_has_human_row(tmp_path, monkeypatch):
    from fer_repro import runs
    from fer_repro.experiments.amacnn import fer2013_context

    monkeypatch.setattr(runs, "RESULTS_DIR", tmp_path / "empty")
    ctx = fer2013_context("cpu")
    assert list(ctx.index) == ["human accuracy (mean +- sd)"]
    assert ctx.iloc[0]["low"] == pytest.approx(0.60) and ctx.iloc[0]["high"] == pytest.approx(0.70)


def test_chapter_helpers_on_smoke_records(scratch_store):
    import numpy as np

    from fer_repro.experiments import amacnn as A
    from fer_repro.experiments import dlfer as D

    recs = A.records("smoke", 0, mode="auto")
    ev = A.evidence("smoke", 0, recs)
    tab = A.results_table(ev)
    assert len(tab) == 8 and set(tab["budget"]) == {"smoke"}
    diff = A.protocol_difference(recs)
    assert diff["low"] <= diff["difference"] <= diff["high"]
    assert A.protocol_difference({"official": recs["official"], "random8020": None}) is None
    prot = A.protocol_table("smoke", 0)
    for protocol, r in recs.items():
        assert prot.loc[protocol, "trained on"] == r.extra["n_train"]
        assert prot.loc[protocol, "test"] == r.extra["n_test"]
    rec = D.records("smoke", 0, mode="auto")["scratch_b3"]
    st = D.split_table(rec, 0)
    both, private, public = st.index
    assert st.loc[private, "images"] + st.loc[public, "images"] == st.loc[both, "images"] == 200
    acc = D.accuracy_table(rec)
    assert acc.loc["test", "ours"] == pytest.approx(st.loc[both, "accuracy"])
    assert acc.loc["train", "images"] == 200
    gap = D.train_test_gap(rec)
    assert gap["gap"] == pytest.approx(gap["train"] - gap["test"])
    assert gap["paper_gap_without"] == pytest.approx(0.878 - 0.6621)
    assert np.isfinite(gap["low"]) and gap["low"] <= gap["gap"] <= gap["high"]
