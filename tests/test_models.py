"""Model registry, shared blocks and the re-implemented architectures (no training here).

Parameter counts are checked against counts derived by hand from the layer shapes (the helpers
below), not against the models' own bookkeeping.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from fer_repro import models
from fer_repro.models import count_parameters, create_model, list_models, register
from fer_repro.models.blocks import (
    CBAM,
    DepthwiseSeparableConv,
    SEBlock,
    conv_bn_act,
    make_act,
)

H = W = 48
ALL_MODELS = list_models()
SUWARTONO = ("suwartono_attention_cnn", "suwartono_fastcnn_se", "suwartono_convformer")


# ------------------------------------------------------------------ hand parameter arithmetic


def conv_p(k: int, cin: int, cout: int, groups: int = 1, bias: bool = False) -> int:
    return k * k * cin * cout // groups + (cout if bias else 0)


def bn_p(c: int) -> int:  # weight + bias (running stats are buffers)
    return 2 * c


def linear_p(i: int, o: int, bias: bool = True) -> int:
    return i * o + (o if bias else 0)


def ln_p(d: int) -> int:
    return 2 * d


def cba_p(k: int, cin: int, cout: int) -> int:  # conv (no bias) + BN
    return conv_p(k, cin, cout) + bn_p(cout)


def ds_p(cin: int, cout: int, k: int = 3) -> int:  # depthwise kxk + BN + pointwise 1x1 + BN
    return conv_p(k, cin, cin, groups=cin) + bn_p(cin) + conv_p(1, cin, cout) + bn_p(cout)


def se_p(c: int, r: int = 16, min_hidden: int = 1) -> int:
    h = max(min_hidden, c // r)
    return linear_p(c, h) + linear_p(h, c)


def cbam_p(c: int, r: int = 16, k: int = 7) -> int:
    return se_p(c, r) + conv_p(k, 2, 1)  # shared channel MLP + spatial conv (no bias)


def mhsa_p(d: int) -> int:
    return 4 * d * d + 4 * d  # qkv (3d^2 + 3d) + out projection (d^2 + d)


def mlp_p(d: int, hidden: int) -> int:
    return linear_p(d, hidden) + linear_p(hidden, d)


def attention_cnn_p(in_chans=1, k=7, widths=(64, 128, 256, 512), depths=(2, 2, 2, 2), stem=32):
    n = cba_p(3, in_chans, stem) + cba_p(3, stem, widths[0])
    cin = widths[0]
    for w, d in zip(widths, depths):
        for _ in range(d):
            n += ds_p(cin, w) + ds_p(w, w) + se_p(w, 16, 8)
            if cin != w:
                n += conv_p(1, cin, w) + bn_p(w)  # projection shortcut
            cin = w
    return n + linear_p(cin, k)


def fastcnn_se_p(in_chans=1, k=7, widths=(64, 128, 256, 512), depths=(1, 2, 3, 4), stem=32,
                 hidden=256):
    n = cba_p(3, in_chans, stem)
    cin = stem
    for w, d in zip(widths, depths):
        n += ds_p(cin, w) + d * 2 * ds_p(w, w) + se_p(w, 16, 8)
        cin = w
    return n + linear_p(cin, hidden) + linear_p(hidden, k)


def convformer_p(in_chans=1, k=7, d=192, depth=4, mlp_ratio=2, stem=(32, 64), grid=12):
    n = cba_p(3, in_chans, stem[0]) + cba_p(3, stem[0], stem[1]) + cba_p(3, stem[1], d)
    n += grid * grid * d  # positional embedding
    n += depth * (2 * ln_p(d) + mhsa_p(d) + mlp_p(d, mlp_ratio * d))
    return n + ln_p(d) + linear_p(d, k)


EXPECTED = {
    "suwartono_attention_cnn": attention_cnn_p,
    "suwartono_fastcnn_se": fastcnn_se_p,
    "suwartono_convformer": convformer_p,
}


pytestmark = pytest.mark.usefixtures("one_thread")


def _build(name: str, seed: int = 0, **kw) -> nn.Module:
    torch.manual_seed(seed)
    return create_model(name, **kw)


def _batch(n: int = 2, c: int = 1, seed: int = 1) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, c, H, W, generator=g)


#: Untrained ImageNet-style backbones are ill-conditioned (a 0.4 % input change moves
#: EfficientNet-B3's logits by ~50 % in fp32 alone), so a bf16-vs-fp32 comparison of them says
#: nothing about bf16. Every configuration of the book trains them in fp32; the bf16 check covers
#: the models it may run in bf16.
FP32_ONLY = {"dlfer_effnet_b3", "dcrnet"}


# ------------------------------------------------------------------ registry


def test_registry_lists_suwartono_models():
    assert set(SUWARTONO) <= set(ALL_MODELS)
    assert list_models("suwartono_*") == sorted(SUWARTONO)
    assert ALL_MODELS == sorted(ALL_MODELS)
    assert models.is_model("suwartono_convformer") and not models.is_model("nope")


def test_create_model_unknown_name_suggests():
    with pytest.raises(KeyError, match="suwartono_convformer"):
        create_model("suwartono_convformr")


def test_create_model_passes_kwargs_and_records_name():
    m = create_model("suwartono_fastcnn_se", num_classes=5, drop=0.1)
    assert m.drop.p == 0.1 and m.head.out_features == 5
    assert m.model_name == "suwartono_fastcnn_se"
    with pytest.raises(TypeError):
        create_model("suwartono_fastcnn_se", no_such_knob=1)


def test_register_rejects_duplicates(monkeypatch):
    monkeypatch.setattr(models, "_REGISTRY", dict(models._REGISTRY))

    @register("tiny_test_net")
    def tiny(num_classes=7, in_chans=1, **kw):
        return nn.Sequential(nn.Flatten(), nn.Linear(in_chans * H * W, num_classes))

    assert "tiny_test_net" in list_models()
    assert create_model("tiny_test_net", num_classes=4)(_batch()).shape == (2, 4)
    register("tiny_test_net")(tiny)  # same function again: allowed (module reload)
    with pytest.raises(ValueError, match="already registered"):

        @register("tiny_test_net")
        def other(num_classes=7, in_chans=1):
            return nn.Identity()

    @register
    def bare_name(num_classes=7, in_chans=1):
        return nn.Identity()

    assert "bare_name" in list_models()


def test_count_parameters_trainable_only():
    m = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))  # 16 + 10
    m[0].weight.requires_grad_(False)
    assert count_parameters(m) == 4 + 10
    assert count_parameters(m, trainable_only=False) == 26
    shared = nn.Linear(3, 3)
    assert count_parameters(nn.Sequential(shared, shared)) == 12  # shared counted once


# ------------------------------------------------------------------ blocks


def test_make_act():
    assert isinstance(make_act("Mish"), nn.Mish)
    assert isinstance(make_act(None), nn.Identity)
    assert isinstance(make_act(nn.GELU), nn.GELU)
    with pytest.raises(ValueError):
        make_act("tanhh")
    with pytest.raises(TypeError):
        make_act(nn.ReLU())


def test_se_shape_and_count():
    se = SEBlock(64, reduction=16)
    x = torch.randn(3, 64, 7, 5)
    assert se(x).shape == x.shape
    assert count_parameters(se) == se_p(64) == 64 * 4 + 4 + 4 * 64 + 64
    assert count_parameters(SEBlock(8, reduction=16)) == se_p(8)  # hidden floors at 1
    floored = SEBlock(64, reduction=16, min_hidden=8)
    assert floored.fc1.out_features == 8 and count_parameters(floored) == se_p(64, 16, 8)


def test_se_zero_weights_scale_by_half():
    se = SEBlock(32)
    for fc in (se.fc1, se.fc2):
        nn.init.zeros_(fc.weight)
        nn.init.zeros_(fc.bias)
    x = torch.randn(2, 32, 6, 6)
    assert torch.equal(se(x), x * 0.5)  # sigmoid(0) = 0.5 exactly, for every channel
    assert torch.equal(se.gate(x), torch.full((2, 32, 1, 1), 0.5))


def test_cbam_shape_maps_and_count():
    torch.manual_seed(0)
    cbam = CBAM(48, reduction=16, kernel_size=7)
    x = 5 * torch.randn(2, 48, 12, 12)
    assert cbam(x).shape == x.shape
    sm = cbam.spatial(x)
    cm = cbam.channel(x)
    assert sm.shape == (2, 1, 12, 12) and cm.shape == (2, 48, 1, 1)
    assert ((sm >= 0) & (sm <= 1)).all() and ((cm >= 0) & (cm <= 1)).all()
    assert count_parameters(cbam) == cbam_p(48)
    # the channel MLP is shared by the avg- and max-pooled descriptors
    assert sum(isinstance(m, nn.Linear) for m in cbam.modules()) == 2


def test_depthwise_separable_conv():
    ds = DepthwiseSeparableConv(16, 24, stride=2, act=nn.ReLU)
    y = ds(torch.randn(2, 16, 12, 12))
    assert y.shape == (2, 24, 6, 6) and (y >= 0).all()
    assert ds.dw.groups == 16 and ds.dw.kernel_size == (3, 3) and ds.pw.kernel_size == (1, 1)
    assert count_parameters(ds) == ds_p(16, 24)
    assert isinstance(DepthwiseSeparableConv(4, 4, act_last=False).act2, nn.Identity)


def test_conv_bn_act():
    m = conv_bn_act(3, 8, 3, stride=2, act="mish")
    assert m(torch.randn(1, 3, 10, 10)).shape == (1, 8, 5, 5)
    assert isinstance(m[2], nn.Mish) and m[0].bias is None
    assert count_parameters(m) == cba_p(3, 3, 8)


# ------------------------------------------------------------------ parameter counts


@pytest.mark.parametrize("name", SUWARTONO)
@pytest.mark.parametrize("in_chans,k", [(1, 7), (3, 3)])
def test_parameter_count_matches_hand_count(name, in_chans, k):
    m = create_model(name, num_classes=k, in_chans=in_chans)
    assert count_parameters(m) == EXPECTED[name](in_chans, k)
    assert count_parameters(m, trainable_only=False) == count_parameters(m)


def test_documented_default_counts():
    # the numbers stated in the docstrings / report
    assert attention_cnn_p() == 1_552_039
    assert fastcnn_se_p() == 3_005_447
    assert convformer_p() == 1_347_367
    assert 2_800_000 <= fastcnn_se_p() <= 3_200_000  # paper: "approximately three million"
    assert 1_000_000 <= attention_cnn_p() <= 2_000_000


def _acts_outside_se(module: nn.Module) -> set[type]:
    return {type(m) for name, m in module.named_modules()
            if isinstance(m, (nn.Mish, nn.ReLU)) and ".se." not in f".{name}."}


def test_fastcnn_activation_schedule():
    default = create_model("suwartono_fastcnn_se")
    # Sec. 3: Mish in the earlier stages (stem + stages 1-2), ReLU later (stages 3-4, head);
    # the SE blocks' internal delta is ReLU everywhere (Hu et al.)
    assert _acts_outside_se(default.stem) == {nn.Mish}
    assert [_acts_outside_se(s) for s in default.stages] == [{nn.Mish}] * 2 + [{nn.ReLU}] * 2
    assert isinstance(default.act, nn.ReLU)
    relu = create_model("suwartono_fastcnn_se", act_early="relu")  # Sec. 3.3 reading
    assert not any(isinstance(m, nn.Mish) for m in relu.modules())
    assert count_parameters(relu) == count_parameters(default)


def test_fastcnn_ungated_se_is_sec33_formula():
    """``se_gate="none"``: Sec. 3.3's ``x * (W2 relu(W1 GAP(x)))``, the sigmoid's weights shared
    with the gated block, so the two differ exactly by the sigmoid."""
    from fer_repro.models.suwartono import SEBlock, UngatedSE

    torch.manual_seed(0)
    gated, ungated = SEBlock(16, 4), UngatedSE(16, 4)
    ungated.load_state_dict(gated.state_dict())
    x = torch.randn(3, 16, 5, 5)
    s = ungated.fc2(torch.relu(ungated.fc1(x.mean(dim=(2, 3)))))[:, :, None, None]
    torch.testing.assert_close(ungated(x), x * s)
    torch.testing.assert_close(gated(x), x * torch.sigmoid(s))
    assert (s < 0).any()  # unbounded: a channel can flip sign
    literal = create_model("suwartono_fastcnn_se", act_early="relu", se_gate="none")
    assert all(type(st.se) is UngatedSE for st in literal.stages)
    assert count_parameters(literal) == count_parameters(create_model("suwartono_fastcnn_se"))
    assert literal(torch.randn(2, 1, 48, 48)).shape == (2, 7)
    with pytest.raises(ValueError, match="se_gate"):
        create_model("suwartono_fastcnn_se", se_gate="tanh")


def test_residual_branch_gamma_init():
    for name in ("suwartono_attention_cnn", "suwartono_fastcnn_se"):
        m = create_model(name)
        last = [mod.conv2.bn2.weight for n, mod in m.named_modules() if hasattr(mod, "conv2")]
        assert last and all(torch.all(w == 0.2) for w in last)
        m1 = create_model(name, branch_gamma=1.0)
        assert all(torch.all(mod.conv2.bn2.weight == 1.0)
                   for _, mod in m1.named_modules() if hasattr(mod, "conv2"))


def test_convformer_rejects_wrong_size():
    m = create_model("suwartono_convformer").eval()
    with pytest.raises(ValueError, match="48x48"):
        m(torch.rand(1, 1, 64, 64))
    assert create_model("suwartono_convformer", img_size=64).pos_embed.shape == (1, 256, 192)


# ------------------------------------------------------------------ contract of every model


@pytest.mark.parametrize("name", ALL_MODELS)
def test_forward_eval_contract(name):
    """(N, num_classes) finite fp32 logits; deterministic in eval mode; channels_last agrees."""
    x = _batch(2)
    a = _build(name, seed=5).eval()
    b = _build(name, seed=5).eval()
    with torch.no_grad():
        y1, y2, y3 = a(x), a(x), b(x)
        a = a.to(memory_format=torch.channels_last)
        y_cl = a(x.to(memory_format=torch.channels_last))
    assert y1.shape == (2, 7) and y1.dtype == torch.float32
    assert torch.isfinite(y1).all()
    assert torch.equal(y1, y2)  # dropout off, BN on running stats
    assert torch.equal(y1, y3)  # same seed, same weights
    torch.testing.assert_close(y_cl, y1, rtol=1e-4, atol=1e-5)


def _zero_grad_ok(pname: str, p: nn.Parameter) -> bool:
    """Check a gradient; return True when it is non-zero as expected.

    The one known structural exception: the key slice of a fused qkv bias (``*.qkv.bias``,
    ConvFormer's MHSA) -- softmax is invariant to the per-query constant it adds to the scores,
    so its gradient is identically zero (up to rounding). Its q and v slices must be non-zero.
    """
    g = p.grad
    if pname.endswith("qkv.bias"):
        q, k, v = g.chunk(3)
        scale = g.abs().max()
        return bool(q.abs().sum() > 0 and v.abs().sum() > 0 and k.abs().max() <= 1e-5 * scale)
    return bool(g.abs().sum() > 0)


@pytest.mark.parametrize("name", ALL_MODELS)
def test_backward_reaches_every_parameter(name):
    m = _build(name).train()
    y = m(_batch(2))
    w = torch.randn(y.shape, generator=torch.Generator().manual_seed(2))
    (y * w).sum().backward()
    missing = [n for n, p in m.named_parameters() if p.grad is None]
    assert not missing, f"parameters without gradient (unused): {missing}"
    bad = [n for n, p in m.named_parameters() if not torch.isfinite(p.grad).all()]
    assert not bad, f"non-finite gradients: {bad}"
    zero = [n for n, p in m.named_parameters() if not _zero_grad_ok(n, p)]
    assert not zero, f"unexpected all-zero gradients: {zero}"


@pytest.mark.parametrize("name", ALL_MODELS)
def test_rgb_three_classes(name):
    m = _build(name, num_classes=3, in_chans=3).eval()
    with torch.no_grad():
        y = m(_batch(1, c=3))
    assert y.shape == (1, 3) and torch.isfinite(y).all()


@pytest.mark.parametrize("name", [n for n in ALL_MODELS if n not in FP32_ONLY])
def test_bf16_autocast_agrees_with_fp32(name):
    m = _build(name)
    x = _batch(4)
    with torch.no_grad():  # give BN realistic running statistics before comparing in eval mode
        m.train()
        for mod in m.modules():
            if isinstance(mod, nn.modules.batchnorm._BatchNorm):
                mod.momentum = None  # cumulative average
        m(_batch(4, seed=3))
        m.eval()
        ref = m(x)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            y = m(x)
    assert y.shape == ref.shape and torch.isfinite(y).all()
    rel = (y.float() - ref).norm() / ref.norm()
    assert rel < 0.05, f"bf16 vs fp32 relative error of logits {rel:.3f}"
