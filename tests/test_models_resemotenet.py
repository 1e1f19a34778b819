"""ResEmoteNet (fer_repro.models.resemotenet): counts, shapes, gradients, released weights.

Parameter counts are checked against arithmetic on the layer shapes written out below (read from
the paper and from the released ``approach/ResEmoteNet.py``), not against the model's own
bookkeeping. Which conv taps can see data is derived here from the convolution arithmetic
(input size, kernel, stride, padding) and then compared with the gradients autograd produces.
No training; batch size 2; one intra-op thread.
"""

from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from fer_repro.models import count_parameters, create_model, list_models
from fer_repro.models import resemotenet as rn
from fer_repro.models.blocks import SEBlock

CODE, PAPER = "resemotenet_code", "resemotenet_paper"
#: stated input of each configuration: (channels, size)
STATED = {CODE: (3, 64), PAPER: (1, 48)}


# ------------------------------------------------------------------ hand arithmetic


def conv_p(k: int, cin: int, cout: int, bias: bool = True) -> int:
    return k * k * cin * cout + (cout if bias else 0)


def bn_p(c: int) -> int:  # affine weight + bias (running statistics are buffers)
    return 2 * c


def linear_p(i: int, o: int, bias: bool = True) -> int:
    return i * o + (o if bias else 0)


def stem_p(in_chans: int, widths=(64, 128, 256)) -> int:
    n, c = 0, in_chans
    for w in widths:
        n += conv_p(3, c, w) + bn_p(w)
        c = w
    return n


def block_p(cin: int, cout: int, stride: int) -> int:
    n = conv_p(3, cin, cout) + bn_p(cout) + conv_p(3, cout, cout) + bn_p(cout)
    if stride != 1 or cin != cout:
        n += conv_p(1, cin, cout) + bn_p(cout)  # projection shortcut
    return n


def code_p(in_chans: int = 3, k: int = 7) -> int:
    """approach/ResEmoteNet.py: 3 conv stages, bias-free SE (256 -> 16 -> 256), blocks
    256->512->1024->2048 (stride 2), head 2048-1024-512-256-k."""
    n = stem_p(in_chans)
    n += linear_p(256, 256 // 16, bias=False) + linear_p(256 // 16, 256, bias=False)
    n += block_p(256, 512, 2) + block_p(512, 1024, 2) + block_p(1024, 2048, 2)
    return n + (linear_p(2048, 1024) + linear_p(1024, 512) + linear_p(512, 256)
                + linear_p(256, k))


def paper_p(in_chans: int = 1, k: int = 7) -> int:
    """Paper: same stem, Hu et al. SE (biased, r=16), blocks 256->256 (s1) ->512->1024, Linear."""
    n = stem_p(in_chans)
    n += linear_p(256, 16) + linear_p(16, 256)
    n += block_p(256, 256, 1) + block_p(256, 512, 2) + block_p(512, 1024, 2)
    return n + linear_p(1024, k)


EXPECTED = {CODE: code_p, PAPER: paper_p}

#: Parameter count of the released ResEmoteNet (7 classes, 3 input channels): what the released
#: training script prints (sum of p.numel() over model.parameters(), train_files/
#: ResEmoteNet_train.py ~L57-59), evaluated from the layer shapes of approach/ResEmoteNet.py. The
#: repository and its issues print no figure; the Git LFS size of best_four4all.pth (below) is
#: the independent evidence that those shapes are right.
RELEASED_PARAMS = 80_238_599
#: Git LFS pointer of best_four4all.pth (ArnabKumarRoy02/ResEmoteNet): the 6-class FourforAll
#: (approach/fourforall.py), whose layers are ResEmoteNet's with a 256->6 output layer.
FOUR4ALL_LFS_BYTES = 321_074_082


def released_shapes(k: int = 7) -> dict[str, tuple[int, ...]]:
    """State-dict keys and shapes of the released ``ResEmoteNet`` class (read from
    approach/ResEmoteNet.py: attribute names conv1..3/bn1..3, se.fc.{0,2}, res_block1..3 with
    conv1/bn1/conv2/bn2/shortcut.{0,1}, fc1..fc4)."""
    s: dict[str, tuple[int, ...]] = {}

    def conv(name, k_, cin, cout):
        s[f"{name}.weight"], s[f"{name}.bias"] = (cout, cin, k_, k_), (cout,)

    def bn(name, c):
        for t in ("weight", "bias", "running_mean", "running_var"):
            s[f"{name}.{t}"] = (c,)
        s[f"{name}.num_batches_tracked"] = ()

    for i, (cin, cout) in enumerate([(3, 64), (64, 128), (128, 256)], 1):
        conv(f"conv{i}", 3, cin, cout)
        bn(f"bn{i}", cout)
    s["se.fc.0.weight"], s["se.fc.2.weight"] = (16, 256), (256, 16)
    for i, (cin, cout) in enumerate([(256, 512), (512, 1024), (1024, 2048)], 1):
        conv(f"res_block{i}.conv1", 3, cin, cout)
        bn(f"res_block{i}.bn1", cout)
        conv(f"res_block{i}.conv2", 3, cout, cout)
        bn(f"res_block{i}.bn2", cout)
        conv(f"res_block{i}.shortcut.0", 1, cin, cout)
        bn(f"res_block{i}.shortcut.1", cout)
    for i, (a, b) in enumerate([(2048, 1024), (1024, 512), (512, 256), (256, k)], 1):
        s[f"fc{i}.weight"], s[f"fc{i}.bias"] = (b, a), (b,)
    return s


def used_taps(size: int, k: int, stride: int, pad: int) -> set[int]:
    """Kernel offsets (one axis) that touch at least one real input position (not padding)."""
    out = (size + 2 * pad - k) // stride + 1
    return {t for o in range(out) for t in range(k) if 0 <= o * stride - pad + t < size}


pytestmark = pytest.mark.usefixtures("one_thread")


def _x(name: str, n: int = 2, size: int | None = None, chans: int | None = None,
       seed: int = 1) -> torch.Tensor:
    c, s = STATED[name]
    return torch.rand(n, chans or c, size or s, size or s,
                      generator=torch.Generator().manual_seed(seed))


def _net(name: str, seed: int = 0, **kw) -> nn.Module:
    torch.manual_seed(seed)
    kw.setdefault("in_chans", STATED[name][0])
    return create_model(name, **kw)


# ------------------------------------------------------------------ registry, counts


def test_registered():
    assert list_models("resemotenet*") == [CODE, PAPER]


@pytest.mark.parametrize("name", [CODE, PAPER])
@pytest.mark.parametrize("in_chans,k", [(1, 7), (3, 7), (3, 6)])
def test_parameter_count_matches_layer_arithmetic(name, in_chans, k):
    m = create_model(name, num_classes=k, in_chans=in_chans)
    assert count_parameters(m) == EXPECTED[name](in_chans, k)
    assert count_parameters(m, trainable_only=False) == count_parameters(m)


def test_documented_counts():
    assert code_p(3, 7) == RELEASED_PARAMS == 80_238_599  # released: 3x64x64, 7 classes
    assert code_p(1, 7) == 80_237_447  # create_model's default in_chans=1
    assert code_p(3, 6) == 80_238_342  # FourforAll / the 6-class version of the file
    assert paper_p(1, 7) == 19_931_287
    assert 80e6 < RELEASED_PARAMS < 80.5e6  # "~80 M"


def test_released_lfs_size_matches_layer_shapes():
    """best_four4all.pth's LFS size = float32 payload of these shapes + serialization overhead.

    Payload: parameters + BN running mean/var (float32) + one int64 counter per BN. Measured
    once: a torch.save of a zero state dict with exactly these keys, shapes and module metadata
    (torch 2.14) is 641 bytes smaller than the released file; a different output layer (+-1
    class) moves the payload by 1,028 bytes, one missing 512-bias by 2,048.
    """
    bn_channels = 64 + 128 + 256 + 3 * (512 + 1024 + 2048)
    n_bn = 3 + 3 * 3
    payload = 4 * (code_p(3, 6) + 2 * bn_channels) + 8 * n_bn
    overhead = FOUR4ALL_LFS_BYTES - payload
    assert 0 < overhead < 64_000, overhead  # 31,018 bytes: zip headers, pickle, alignment


def test_se_variants():
    code = create_model(CODE, in_chans=3)
    assert isinstance(code.se, rn.BiasFreeSE)
    assert code.se.squeeze.bias is None and code.se.excite.bias is None
    assert code.se.squeeze.out_features == 16
    assert count_parameters(code.se) == 2 * 256 * 16
    paper = create_model(PAPER)
    assert type(paper.se) is SEBlock and paper.se.fc1.out_features == 16
    assert count_parameters(paper.se) == 2 * 256 * 16 + 16 + 256
    x = torch.randn(2, 256, 5, 5)
    assert code.se(x).shape == x.shape


def test_structure_of_the_configurations():
    code = create_model(CODE, in_chans=3)
    assert [b.conv_a.stride for b in code.blocks] == [(2, 2)] * 3
    assert [m.p for m in code.modules() if isinstance(m, nn.Dropout)] == [0.2, 0.2, 0.5, 0.5, 0.5]
    assert code.classifier.in_features == 256 and code.stem[0].conv.in_channels == 3
    paper = create_model(PAPER)
    assert [b.conv_a.stride for b in paper.blocks] == [(1, 1), (2, 2), (2, 2)]
    assert isinstance(paper.blocks[0].shortcut, nn.Identity)
    assert not any(isinstance(m, nn.Dropout) for m in paper.modules())
    assert len(paper.hidden) == 0 and paper.classifier.in_features == 1024


# ------------------------------------------------------------------ forward shapes


def _trace_shapes(m: nn.Module, x: torch.Tensor) -> list[tuple[int, ...]]:
    shapes: list[tuple[int, ...]] = []
    hooks = [mod.register_forward_hook(lambda _m, _i, o: shapes.append(tuple(o.shape[1:])))
             for mod in [*m.stem, m.se, *m.blocks]]
    try:
        with torch.no_grad():
            y = m.eval()(x)
    finally:
        for h in hooks:
            h.remove()
    return [*shapes, tuple(y.shape)]


@pytest.mark.parametrize("name,chans,size,expected", [
    (CODE, 3, 64, [(64, 32, 32), (128, 16, 16), (256, 8, 8), (256, 8, 8),
                   (512, 4, 4), (1024, 2, 2), (2048, 1, 1), (2, 7)]),
    # what tests/test_models.py feeds every model: the collapse to 1x1 happens here too
    (CODE, 1, 48, [(64, 24, 24), (128, 12, 12), (256, 6, 6), (256, 6, 6),
                   (512, 3, 3), (1024, 2, 2), (2048, 1, 1), (2, 7)]),
    (PAPER, 1, 48, [(64, 24, 24), (128, 12, 12), (256, 6, 6), (256, 6, 6),
                    (256, 6, 6), (512, 3, 3), (1024, 2, 2), (2, 7)]),
])
def test_forward_shapes(name, chans, size, expected):
    m = _net(name, in_chans=chans)
    y = _trace_shapes(m, _x(name, size=size, chans=chans))
    assert y == expected


# ------------------------------------------------------------------ gradients


def _conv_inputs(m: nn.Module, x: torch.Tensor) -> dict[str, int]:
    """Spatial input size (square) seen by every Conv2d on ``x``."""
    sizes: dict[str, int] = {}
    hooks = []
    for n, mod in m.named_modules():
        if isinstance(mod, nn.Conv2d):
            hooks.append(mod.register_forward_hook(
                lambda _m, inp, _o, n=n: sizes.__setitem__(n, inp[0].shape[-1])))
    with torch.no_grad():
        m.eval()(x)
    for h in hooks:
        h.remove()
    return sizes


def _bias_before_bn(pname: str) -> bool:
    return bool(re.search(r"(conv\.|conv_[ab]\.|shortcut\.0\.)bias$", pname))


def _bn_of(pname: str) -> str:  # the BN right after a conv, for its beta gradient
    return (pname.replace("conv_", "bn_").replace("conv.", "bn.")
            .replace("shortcut.0", "shortcut.1"))


@pytest.mark.parametrize("name,chans,size,n_dead", [
    (CODE, 3, 64, 1024 * 2048 * 5 + 2048 * 2048 * 8),  # 44,040,192
    (CODE, 1, 48, 1024 * 2048 * 5 + 2048 * 2048 * 8),
    (PAPER, 1, 48, 0),
])
def test_backward_reaches_what_can_be_reached(name, chans, size, n_dead):
    """Every parameter gets a gradient except two structural groups, which are documented:

    * conv taps that only ever multiply zero padding (derived by :func:`used_taps`): gradient
      exactly zero -- in the code configuration 5/9 of the last block's stride-2 conv (2x2 in,
      1x1 out) and 8/9 of its second conv (1x1 in);
    * conv biases directly before a training-mode BatchNorm: the batch mean removes them, so
      their gradient is rounding noise (< 1e-3 of the following BN's beta gradient).
    """
    m = _net(name, in_chans=chans)
    x = _x(name, size=size, chans=chans)
    sizes = _conv_inputs(m, x)
    m.train()
    y = m(x)
    (y * torch.randn(y.shape, generator=torch.Generator().manual_seed(2))).sum().backward()
    params = dict(m.named_parameters())
    assert all(p.grad is not None for p in params.values())
    assert all(torch.isfinite(p.grad).all() for p in params.values())

    dead = 0
    for cname, s in sizes.items():
        conv = m.get_submodule(cname)
        g = conv.weight.grad
        kk, st, pd = conv.kernel_size[0], conv.stride[0], conv.padding[0]
        used = used_taps(s, kk, st, pd)
        for i in range(kk):
            for j in range(kk):
                tap = g[:, :, i, j]
                if i in used and j in used:
                    assert tap.abs().sum() > 0, f"{cname} tap ({i},{j}) should learn"
                else:
                    assert torch.all(tap == 0), f"{cname} tap ({i},{j}) only sees padding"
                    dead += tap.numel()
    assert dead == n_dead
    assert rn.padding_only_weights(name, size, chans)["padding_only"] == n_dead

    conv_weights = {f"{c}.weight" for c in sizes}
    for pname, p in params.items():
        if _bias_before_bn(pname):
            beta = params[_bn_of(pname)].grad.abs().max()
            assert p.grad.abs().max() <= 1e-3 * beta, pname
        elif pname not in conv_weights:  # conv weights were checked tap by tap above
            assert p.grad.abs().sum() > 0, f"{pname}: unexpected all-zero gradient"


@pytest.mark.parametrize("name", [CODE, PAPER])
def test_structurally_inert_weights_do_not_change_the_output(name):
    """Shifting every conv bias (train-mode BN) or the padding-only taps leaves the logits as
    they were: these weights are inert at the stated input size, not merely slow to learn."""
    m = _net(name)
    x = _x(name)
    m.train()
    torch.manual_seed(3)  # same dropout masks
    ref = m(x).detach()
    with torch.no_grad():
        for pname, p in m.named_parameters():
            if _bias_before_bn(pname):
                p.add_(0.5)
        if name == CODE:
            last = m.blocks[2]
            last.conv_a.weight[:, :, 0, :] += 1.0
            last.conv_a.weight[:, :, :, 0] += 1.0
            cw = last.conv_b.weight
            centre = cw[:, :, 1, 1].clone()
            cw += 1.0
            cw[:, :, 1, 1] = centre
        torch.manual_seed(3)
        out = m(x)
    torch.testing.assert_close(out, ref, rtol=1e-4, atol=1e-4)


def test_dead_weight_share_of_the_released_model():
    last_a = used_taps(2, 3, 2, 1)  # 64x64 input: the last block sees 2x2
    last_b = used_taps(1, 3, 1, 1)
    assert last_a == {1, 2} and last_b == {1}
    dead = 1024 * 2048 * (9 - len(last_a) ** 2) + 2048 * 2048 * (9 - len(last_b) ** 2)
    assert dead == 44_040_192
    assert 0.54 < dead / RELEASED_PARAMS < 0.56
    conv_biases = (64 + 128 + 256) + 3 * (512 + 1024 + 2048)
    assert conv_biases == 11_200
    # smallest input at which every tap of the last block can see data: 72x72
    sizes = [s // 8 for s in (64, 72)]
    after = []
    for s in sizes:
        for _ in range(2):  # blocks 1 and 2 (stride 2, k=3, pad=1)
            s = (s + 2 - 3) // 2 + 1
        after.append(s)
    assert after == [2, 3] and used_taps(3, 3, 2, 1) == {0, 1, 2}


# ------------------------------------------------------------------ released weights


def test_released_state_dict_maps_one_to_one():
    released = {k: torch.empty(s, device="meta") for k, s in released_shapes().items()}
    ours = {k: tuple(v.shape) for k, v in create_model(CODE, in_chans=3).state_dict().items()}
    for wrapped in (released, {"model_state_dict": released}):
        converted = rn.convert_released_state_dict(wrapped)
        assert {k: tuple(v.shape) for k, v in converted.items()} == ours
    with pytest.raises(KeyError, match="module.conv1.weight"):
        rn.convert_released_state_dict({"module.conv1.weight": torch.empty(0)})


def test_converted_weights_load_and_run():
    """Round trip: rename our own weights to the released names and back, load strictly."""
    src = _net(CODE, seed=4).eval()
    inverse = {v: k for k, v in rn._released_name_map().items()}
    released = {inverse[k]: v for k, v in src.state_dict().items()}
    dst = _net(CODE, seed=5)
    dst.load_state_dict(rn.convert_released_state_dict(released), strict=True)
    x = _x(CODE, n=1)
    with torch.no_grad():
        assert torch.equal(dst.eval()(x), src(x))


# ------------------------------------------------------------------ issue-tracker records


def test_code_issues_records():
    nums = [d["number"] for d in rn.CODE_ISSUES]
    assert nums == sorted(set(nums))
    for d in rn.CODE_ISSUES:
        assert set(d) == {"number", "title", "reported", "url"}
        assert d["url"] == f"https://github.com/ArnabKumarRoy02/ResEmoteNet/issues/{d['number']}"
        assert d["title"] and len(d["reported"]) > 20
    by = {d["number"]: d["reported"] for d in rn.CODE_ISSUES}
    assert "71.57" in by[13] and "36 %" in by[50] and "65.9" in by[46]


def test_paper_vs_code_table_is_parsed_whole():
    rows = rn.paper_vs_code()
    assert len(rows) == 25
    assert set(rows[0]) == {"item", "paper", "released code", "where (repository path)"}
    items = [r["item"] for r in rows]
    assert items[0] == "input size/chans" and "label order" in items and items[-1] == "weights in repo"
    assert all(r["paper"] and r["released code"] for r in rows)
    scheduler = next(r for r in rows if r["item"] == "scheduler")
    assert scheduler["released code"] == "none (constant lr)"
