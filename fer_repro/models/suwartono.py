"""Models of Suwartono, Bata & Airlangga (2025), BISTE 7(4):944-954.

The paper names three deep models but specifies none of them completely:

* ``suwartono_attention_cnn`` -- the "novel attention CNN ... integrating Mish nonlinearities,
  squeeze-and-excitation (SE) channel recalibration, and depthwise residual blocks" whose
  results fill Table 1 (Sec. 4). The Methods never describe it (they describe FastCNN-SE and
  ConvFormer instead), so the architecture here is OUR design built from those three named
  ingredients.
* ``suwartono_fastcnn_se`` -- FastCNN-SE (Sec. 3, Sec. 3.3): depthwise-separable conv + BN +
  activation blocks, SE recalibration, residual summations, spatial pooling, dense layers +
  dropout, "approximately three million parameters". Widths and depths are ours, chosen to hit
  ~3 M parameters.
* ``suwartono_convformer`` -- ConvFormer (Sec. 3, Sec. 3.3): convolutional stem tokenising the
  image into patch embeddings, L pre-LN transformer encoder blocks
  (``h' = x + MHSA(LN(x)); x' = h' + MLP(LN(h'))``, GELU MLP). L, width, heads and stem are
  not given; ours are listed in :class:`ConvFormer`. The paper reports no ConvFormer result.

All three map (N, in_chans, 48, 48) to (N, num_classes) LOGITS. Sparsemax / softmax, the
Poly-Focal loss and the class-balanced weights of the paper belong to the training code.

Paper inconsistencies resolved here (the first is also check ``fastcnn_activation`` of the
claims ledger, :mod:`fer_repro.claims.suwartono2025`):

* Activation of FastCNN-SE: Sec. 3 says "Mish in earlier layers and ReLU in later stages",
  Sec. 3.3 says "σ is the ReLU activation". Default: Mish in the stem and the first ``n_early``
  (=2) of the 4 stages, ReLU afterwards; ``act_early="relu"`` gives the all-ReLU Sec. 3.3
  reading (same parameter count). The abstract gives Mish to the attention CNN instead.
* SE gate: Sec. 3 writes ``x ⊙ σ(W2 δ(W1 GAP(x)))`` with σ the sigmoid, Sec. 3.3 drops the
  sigmoid (``x ⊙ (W2 δ(W1 GAP(x)))``). We use the sigmoid (Hu et al. 2018) by default;
  ``se_gate="none"`` builds Sec. 3.3's formula as written (:class:`UngatedSE`), which with
  ``act_early="relu"`` is Sec. 3.3's block as a whole.
* Sec. 3.3 writes the block as ``SE(σ(BN(W_d * x)))`` with only a depthwise kernel W_d; a
  depthwise conv alone cannot change the channel count, so each block is a full
  depthwise-separable conv (depthwise 3x3 + BN + act + pointwise 1x1 + BN + act), as the
  prose ("a stack of depthwise-separable convolutions") says.

Our additions, not in the paper:

* The last BN of every residual branch starts with scale ``branch_gamma=0.2`` instead of 1
  (cf. the skip gain alpha=0.2 of NF-ResNets, Brock et al. 2021; zero-gamma, Goyal et al. 2017,
  is the limit 0). With gamma=1 the deep residual stacks are chaotic at initialisation: a 0.4 %
  input perturbation (the size of bf16 rounding) changes FastCNN-SE's logits by 8-25 %, so bf16
  autocast and fp32 disagree by as much; with 0.2 both stay at or below ~3 %. A non-zero value
  (unlike zero-gamma) gives every branch parameter a gradient from the first step.
* SE blocks have at least ``se_min_hidden=8`` hidden units (timm's convention); with Hu et al.'s
  plain C/16 a 64-channel SE has 4 ReLU units, all dead on a batch about once in 20 random
  initialisations, and a dead SE's first layer receives no gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from . import register
from .blocks import ActLike, DepthwiseSeparableConv, SEBlock, conv_bn_act, make_act

__all__ = [
    "AttentionCNN",
    "ConvFormer",
    "FastCNNSE",
    "suwartono_attention_cnn",
    "suwartono_convformer",
    "suwartono_fastcnn_se",
]


def _check_stages(widths: Sequence[int], depths: Sequence[int]) -> None:
    if len(widths) != len(depths) or not widths:
        raise ValueError(f"widths {tuple(widths)} and depths {tuple(depths)} must be non-empty "
                         "and of equal length")


# --------------------------------------------------------------------------------------------
# Attention CNN (Sec. 4: Mish + SE + depthwise residual blocks) -- our design
# --------------------------------------------------------------------------------------------


class DWResidualBlock(nn.Module):
    """SE-ResNet-style basic block built from depthwise-separable convs.

    ``branch = SE(DSConv(cin->cout, act) -> DSConv(cout->cout, no final act))``;
    ``out = act(branch + shortcut(x))`` with ``shortcut`` = identity, or 1x1 conv + BN when the
    width changes.
    """

    def __init__(self, in_chans: int, out_chans: int, act: ActLike = nn.Mish,
                 se_reduction: int = 16, branch_gamma: float = 0.2, se_min_hidden: int = 8) -> None:
        super().__init__()
        self.conv1 = DepthwiseSeparableConv(in_chans, out_chans, act=act)
        self.conv2 = DepthwiseSeparableConv(out_chans, out_chans, act=act, act_last=False)
        nn.init.constant_(self.conv2.bn2.weight, branch_gamma)
        self.se = SEBlock(out_chans, se_reduction, se_min_hidden)
        if in_chans == out_chans:
            self.shortcut: nn.Module = nn.Identity()
        else:
            self.shortcut = nn.Sequential(nn.Conv2d(in_chans, out_chans, 1, bias=False),
                                          nn.BatchNorm2d(out_chans))
        self.act = make_act(act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.se(self.conv2(self.conv1(x))) + self.shortcut(x))


class AttentionCNN(nn.Module):
    """Attention CNN with Mish, SE and depthwise residual blocks (our design; see module doc).

    * stem: conv3x3(in_chans->32, stride ``stem_stride``=2)-BN-Mish, conv3x3(32->64)-BN-Mish
      (full convs: a depthwise conv on a 1-channel image is degenerate);
    * 4 stages of ``depths=(2, 2, 2, 2)`` :class:`DWResidualBlock` (Mish, SE r=16 with at
      least ``se_min_hidden=8`` hidden units) at widths
      ``(64, 128, 256, 512)`` and resolutions 24, 12, 6, 3 (48, 24, 12, 6 with
      ``stem_stride=1``, at about 4x the FLOPs); 2x2 max-pool before stages 2-4;
    * head: global average pool -> dropout(0.3) -> linear(512 -> num_classes).

    ``branch_gamma`` (0.2) is the initial scale of each branch's last BN (see the module doc).

    Default parameter count (in_chans=1, num_classes=7): 1,552,039 -- inside the 1-2 M range we
    aimed for (the paper gives no count for this model). Forward cost at 48x48: 0.407 GFLOPs
    (``FlopCounterMode``, batch 1: convolutions + linear layers).
    """

    def __init__(self, num_classes: int = 7, in_chans: int = 1,
                 widths: Sequence[int] = (64, 128, 256, 512), depths: Sequence[int] = (2, 2, 2, 2),
                 stem_width: int = 32, drop: float = 0.3, se_reduction: int = 16,
                 act: ActLike = "mish", branch_gamma: float = 0.2, se_min_hidden: int = 8,
                 stem_stride: int = 2) -> None:
        super().__init__()
        _check_stages(widths, depths)
        self.num_classes = num_classes
        self.stem = nn.Sequential(conv_bn_act(in_chans, stem_width, 3, stride=stem_stride, act=act),
                                  conv_bn_act(stem_width, widths[0], 3, act=act))
        stages = []
        cin = widths[0]
        for i, (w, d) in enumerate(zip(widths, depths)):
            layers: list[nn.Module] = [nn.MaxPool2d(2)] if i > 0 else []
            for _ in range(d):
                layers.append(DWResidualBlock(cin, w, act=act, se_reduction=se_reduction,
                                              branch_gamma=branch_gamma,
                                              se_min_hidden=se_min_hidden))
                cin = w
            stages.append(nn.Sequential(*layers))
        self.stages = nn.Sequential(*stages)
        self.num_features = cin
        self.drop = nn.Dropout(drop)
        self.head = nn.Linear(cin, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, 3, 3) feature map before pooling (6x6 with stem_stride=1), e.g. for Grad-CAM."""
        return self.stages(self.stem(x))

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.drop(x.mean(dim=(2, 3))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --------------------------------------------------------------------------------------------
# FastCNN-SE (Sec. 3, 3.3)
# --------------------------------------------------------------------------------------------


class DSResidualUnit(nn.Module):
    """``act(x + DSConv(DSConv(x, act), no final act))`` at constant width."""

    def __init__(self, channels: int, act: ActLike, branch_gamma: float = 0.2) -> None:
        super().__init__()
        self.conv1 = DepthwiseSeparableConv(channels, channels, act=act)
        self.conv2 = DepthwiseSeparableConv(channels, channels, act=act, act_last=False)
        nn.init.constant_(self.conv2.bn2.weight, branch_gamma)
        self.act = make_act(act)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(x + self.conv2(self.conv1(x)))


class UngatedSE(SEBlock):
    """Sec. 3.3's SE as written: ``x * (W2 relu(W1 GAP(x) + b1) + b2)`` per channel, without
    the sigmoid, so the channel scale is unbounded and may be negative (same parameters as
    :class:`SEBlock`)."""

    def gate(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x.mean(dim=(2, 3)))))[:, :, None, None]


#: the SE gates of FastCNN-SE: Sec. 3's (sigmoid) and Sec. 3.3's as written (none)
SE_GATES = {"sigmoid": SEBlock, "none": UngatedSE}


class FastCNNStage(nn.Module):
    """Entry DSConv (changes width) -> ``depth`` residual units -> SE -> optional 2x2 max-pool."""

    def __init__(self, in_chans: int, out_chans: int, depth: int, act: ActLike,
                 se_reduction: int = 16, pool: bool = True, branch_gamma: float = 0.2,
                 se_min_hidden: int = 8, se_gate: str = "sigmoid") -> None:
        super().__init__()
        self.entry = DepthwiseSeparableConv(in_chans, out_chans, act=act)
        self.blocks = nn.Sequential(*[DSResidualUnit(out_chans, act, branch_gamma)
                                      for _ in range(depth)])
        self.se = SE_GATES[se_gate](out_chans, se_reduction, se_min_hidden)
        self.pool = nn.MaxPool2d(2) if pool else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.se(self.blocks(self.entry(x))))


class FastCNNSE(nn.Module):
    """FastCNN-SE (Sec. 3 / 3.3); widths and depths are ours, fitted to "~3 M parameters".

    * stem: conv3x3(in_chans->32, stride ``stem_stride``=2)-BN-act (a full conv: depthwise on 1
      channel is degenerate). The stride-2 stem is what makes it "fast": it cuts the forward
      cost about fourfold at an unchanged parameter count;
    * 4 stages at widths ``(64, 128, 256, 512)``, depths ``(1, 2, 3, 4)``, resolutions
      24 -> 12 -> 6 -> 3 (48 -> 24 -> 12 -> 6 with ``stem_stride=1``): each stage = DSConv entry (width change) + ``depth`` residual units
      of two DSConvs (``x + DS(DS(x))``, activation after the sum) + SE (r=16, at least
      ``se_min_hidden=8`` hidden units) + 2x2 max-pool
      (not after the last stage);
    * head: global average pool -> linear(512->256) -> ReLU -> dropout(0.3) ->
      linear(256->num_classes) ("dense layers and dropout").

    Activations: stem and stages ``< n_early`` (default 2) use ``act_early`` (default Mish),
    later stages and the head use ``act_late`` (default ReLU) -- Sec. 3. ``act_early="relu"``
    gives Sec. 3.3's all-ReLU reading and ``se_gate="none"`` its SE without the sigmoid (same
    parameter count). ``branch_gamma`` (0.2) is the
    initial scale of each residual branch's last BN (see the module doc).

    Default parameter count (in_chans=1, num_classes=7): 3,005,447 (paper: "approximately three
    million"). Forward cost at 48x48: 0.437 GFLOPs (``FlopCounterMode``, batch 1).
    """

    def __init__(self, num_classes: int = 7, in_chans: int = 1,
                 widths: Sequence[int] = (64, 128, 256, 512), depths: Sequence[int] = (1, 2, 3, 4),
                 stem_width: int = 32, hidden: int = 256, drop: float = 0.3, stem_stride: int = 2,
                 se_reduction: int = 16, act_early: ActLike = "mish", act_late: ActLike = "relu",
                 n_early: int = 2, branch_gamma: float = 0.2, se_min_hidden: int = 8,
                 se_gate: str = "sigmoid") -> None:
        super().__init__()
        _check_stages(widths, depths)
        if se_gate not in SE_GATES:
            raise ValueError(f"se_gate must be one of {sorted(SE_GATES)}, not {se_gate!r}")
        self.num_classes = num_classes
        self.stem = conv_bn_act(in_chans, stem_width, 3, stride=stem_stride, act=act_early)
        stages = []
        cin = stem_width
        for i, (w, d) in enumerate(zip(widths, depths)):
            act = act_early if i < n_early else act_late
            stages.append(FastCNNStage(cin, w, d, act, se_reduction, pool=i < len(widths) - 1,
                                       branch_gamma=branch_gamma, se_min_hidden=se_min_hidden,
                                       se_gate=se_gate))
            cin = w
        self.stages = nn.Sequential(*stages)
        self.num_features = cin
        self.fc1 = nn.Linear(cin, hidden)
        self.act = make_act(act_late)
        self.drop = nn.Dropout(drop)
        self.head = nn.Linear(hidden, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, 3, 3) feature map before pooling (6x6 with stem_stride=1)."""
        return self.stages(self.stem(x))

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act(self.fc1(x.mean(dim=(2, 3))))
        return self.head(self.drop(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --------------------------------------------------------------------------------------------
# ConvFormer (Sec. 3, 3.3)
# --------------------------------------------------------------------------------------------


class MHSA(nn.Module):
    """Multi-head self-attention with a fused qkv projection (``4d^2 + 4d`` parameters).

    Same parameter layout as ``nn.MultiheadAttention`` (in-projection d->3d with bias, output
    projection d->d with bias). Note: the KEY part of the qkv bias (``qkv.bias[d:2d]``) always
    receives a zero gradient -- adding a constant to every key shifts each query's scores by a
    constant, which softmax ignores. It is kept for the conventional 4d^2 + 4d layout.
    """

    def __init__(self, dim: int, num_heads: int, attn_drop: float = 0.0,
                 proj_drop: float = 0.0) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"dim={dim} is not divisible by num_heads={num_heads}")
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.attn_drop = attn_drop
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        qkv = self.qkv(x).reshape(n, t, 3, self.num_heads, d // self.num_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # each (N, heads, T, d_head)
        x = F.scaled_dot_product_attention(q, k, v,
                                           dropout_p=self.attn_drop if self.training else 0.0)
        x = x.transpose(1, 2).reshape(n, t, d)
        return self.proj_drop(self.proj(x))


class MLP(nn.Module):
    """Linear(d -> r*d) -> GELU -> dropout -> Linear(r*d -> d) -> dropout."""

    def __init__(self, dim: int, hidden: int, drop: float = 0.0) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))


class EncoderBlock(nn.Module):
    """Pre-LN transformer block: ``h = x + MHSA(LN(x)); out = h + MLP(LN(h))`` (Sec. 3.3)."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float = 2.0, drop: float = 0.0,
                 attn_drop: float = 0.0) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = MHSA(dim, num_heads, attn_drop=attn_drop, proj_drop=drop)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = MLP(dim, round(dim * mlp_ratio), drop=drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ConvFormer(nn.Module):
    """ConvFormer (Sec. 3 / 3.3); stem, width, depth and heads are ours (unspecified in the paper).

    * conv stem (tokeniser): conv3x3 s1 (in_chans->32), conv3x3 s2 (32->64), conv3x3 s2
      (64->192), each followed by BN + GELU: 48x48 -> 12x12 = 144 tokens of dim 192;
    * learned positional embedding (144 x 192, trunc-normal std 0.02);
    * ``depth=4`` pre-LN encoder blocks, 4 heads (head dim 48), GELU MLP with ratio 2;
    * final LayerNorm -> mean over tokens -> dropout(0.3) -> linear(192 -> num_classes).

    ``drop`` is the head dropout (Sec. 3 reports 0.3 as best in the sweep); ``mlp_drop`` and
    ``attn_drop`` (default 0) act inside the blocks. ``img_size`` must be divisible by 4.

    Default parameter count (in_chans=1, num_classes=7): 1,347,367. Forward cost at 48x48:
    0.458 GFLOPs (``FlopCounterMode``, batch 1, with ``sdpa_kernel(SDPBackend.MATH)``; on CPU
    the counter does not see the fused attention kernel and reports 0.394, missing the
    0.064 GFLOPs of QK^T and AV).
    """

    def __init__(self, num_classes: int = 7, in_chans: int = 1, embed_dim: int = 192,
                 depth: int = 4, num_heads: int = 4, mlp_ratio: float = 2.0,
                 stem_widths: Sequence[int] = (32, 64), drop: float = 0.3, mlp_drop: float = 0.0,
                 attn_drop: float = 0.0, img_size: int = 48) -> None:
        super().__init__()
        if img_size % 4:
            raise ValueError(f"img_size={img_size} must be divisible by 4 (two stride-2 convs)")
        s1, s2 = stem_widths
        self.num_classes = num_classes
        self.img_size = img_size
        self.stem = nn.Sequential(conv_bn_act(in_chans, s1, 3, stride=1, act=nn.GELU),
                                  conv_bn_act(s1, s2, 3, stride=2, act=nn.GELU),
                                  conv_bn_act(s2, embed_dim, 3, stride=2, act=nn.GELU))
        self.grid = img_size // 4
        self.pos_embed = nn.Parameter(torch.zeros(1, self.grid * self.grid, embed_dim))
        self.blocks = nn.Sequential(*[EncoderBlock(embed_dim, num_heads, mlp_ratio, mlp_drop,
                                                   attn_drop) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim)
        self.num_features = embed_dim
        self.drop = nn.Dropout(drop)
        self.head = nn.Linear(embed_dim, num_classes)
        self._init_weights()

    def _init_weights(self) -> None:
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, tokens, embed_dim) token sequence after the final LayerNorm."""
        x = self.stem(x)  # (N, D, g, g)
        if x.shape[-2:] != (self.grid, self.grid):
            raise ValueError(f"expected {self.img_size}x{self.img_size} inputs "
                             f"(a {self.grid}x{self.grid} token grid), got grid {tuple(x.shape[-2:])}")
        x = x.flatten(2).transpose(1, 2)  # (N, T, D); contiguous for channels_last input
        x = x + self.pos_embed.to(x.dtype)
        return self.norm(self.blocks(x))

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.drop(x.mean(dim=1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


# --------------------------------------------------------------------------------------------
# registered factories
# --------------------------------------------------------------------------------------------


@register("suwartono_attention_cnn")
def suwartono_attention_cnn(num_classes: int = 7, in_chans: int = 1, **kwargs) -> AttentionCNN:
    """Attention CNN (Mish + SE + depthwise residual blocks), 1,552,039 parameters by default."""
    return AttentionCNN(num_classes=num_classes, in_chans=in_chans, **kwargs)


@register("suwartono_fastcnn_se")
def suwartono_fastcnn_se(num_classes: int = 7, in_chans: int = 1, **kwargs) -> FastCNNSE:
    """FastCNN-SE, 3,005,447 parameters by default (paper: ~3 M)."""
    return FastCNNSE(num_classes=num_classes, in_chans=in_chans, **kwargs)


@register("suwartono_convformer")
def suwartono_convformer(num_classes: int = 7, in_chans: int = 1, **kwargs) -> ConvFormer:
    """ConvFormer (conv stem + 4 pre-LN transformer blocks), 1,347,367 parameters by default."""
    return ConvFormer(num_classes=num_classes, in_chans=in_chans, **kwargs)
