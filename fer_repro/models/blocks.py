"""Building blocks shared by several papers' models.

* :class:`SEBlock` -- squeeze-and-excitation (Hu et al., CVPR 2018).
* :class:`CBAM` -- convolutional block attention module (Woo et al., ECCV 2018), made of
  :class:`ChannelAttention` followed by :class:`SpatialAttention`.
* :class:`DepthwiseSeparableConv` -- depthwise kxk + BN + act + pointwise 1x1 + BN + act
  (MobileNet v1).
* :func:`conv_bn_act` -- conv (no bias) + BN + activation as an ``nn.Sequential``.
* :func:`make_act` -- an activation module from a name (``"relu"``, ``"mish"``, ...), a class,
  a factory or ``None``.

Everything works on NCHW and ``channels_last`` tensors and under CPU/CUDA autocast. Global pooling
is done with ``mean``/``amax`` over the spatial dimensions, so SE and CBAM accept any spatial size.

Parameter counts (for checking by hand; ``c`` channels, ``r`` reduction,
``h = max(min_hidden, c // r)`` with ``min_hidden=1`` by default, i.e. Hu et al.'s ``c / r``):

* SE: ``c*h + h + h*c + c`` (two biased fully connected layers).
* CBAM: channel MLP ``c*h + h + h*c + c`` + spatial conv ``2*k*k`` (no bias).
* DepthwiseSeparableConv(cin, cout, k): ``k*k*cin + 2*cin + cin*cout + 2*cout``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

__all__ = [
    "CBAM",
    "ChannelAttention",
    "DepthwiseSeparableConv",
    "SEBlock",
    "SpatialAttention",
    "conv_bn_act",
    "make_act",
]

ActLike = str | type[nn.Module] | Callable[[], nn.Module] | None

_ACTS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "mish": nn.Mish,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "swish": nn.SiLU,
    "elu": nn.ELU,
    "leaky_relu": nn.LeakyReLU,
    "identity": nn.Identity,
    "none": nn.Identity,
}


def make_act(act: ActLike) -> nn.Module:
    """A fresh activation module.

    ``act`` is a name (case-insensitive: relu, mish, gelu, silu/swish, elu, leaky_relu,
    identity/none), an ``nn.Module`` subclass or zero-argument factory, or ``None`` (identity).
    """
    if act is None:
        return nn.Identity()
    if isinstance(act, str):
        try:
            return _ACTS[act.lower()]()
        except KeyError:
            raise ValueError(f"unknown activation {act!r}; known: {sorted(_ACTS)}") from None
    if isinstance(act, nn.Module):
        raise TypeError("pass an activation class or factory, not a module instance "
                        "(an instance would be shared between layers)")
    return act()


def conv_bn_act(in_chans: int, out_chans: int, kernel_size: int = 3, stride: int = 1,
                padding: int | None = None, groups: int = 1, act: ActLike = nn.ReLU,
                bias: bool = False) -> nn.Sequential:
    """``Conv2d -> BatchNorm2d -> act`` with 'same' padding by default.

    The conv has no bias by default (the BN shift makes it redundant: a conv bias directly
    before BN never receives a gradient that changes the output).
    Parameters: ``k*k*in*out/groups (+out if bias) + 2*out``.
    """
    if padding is None:
        padding = kernel_size // 2
    return nn.Sequential(
        nn.Conv2d(in_chans, out_chans, kernel_size, stride=stride, padding=padding,
                  groups=groups, bias=bias),
        nn.BatchNorm2d(out_chans),
        make_act(act),
    )


class DepthwiseSeparableConv(nn.Module):
    """Depthwise kxk conv + BN + act, then pointwise 1x1 conv + BN + act (Howard et al. 2017).

    ``act_last=False`` drops the final activation (for residual branches whose activation
    follows the summation). The stride, if any, is applied by the depthwise conv.
    """

    def __init__(self, in_chans: int, out_chans: int, stride: int = 1, act: ActLike = nn.ReLU,
                 kernel_size: int = 3, act_last: bool = True) -> None:
        super().__init__()
        self.dw = nn.Conv2d(in_chans, in_chans, kernel_size, stride=stride,
                            padding=kernel_size // 2, groups=in_chans, bias=False)
        self.bn1 = nn.BatchNorm2d(in_chans)
        self.act1 = make_act(act)
        self.pw = nn.Conv2d(in_chans, out_chans, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_chans)
        self.act2 = make_act(act) if act_last else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.act1(self.bn1(self.dw(x)))
        return self.act2(self.bn2(self.pw(x)))


def _hidden(channels: int, reduction: int, min_hidden: int = 1) -> int:
    if reduction < 1 or min_hidden < 1:
        raise ValueError(f"reduction={reduction}, min_hidden={min_hidden}: both must be >= 1")
    return max(min_hidden, channels // reduction)


class SEBlock(nn.Module):
    """Squeeze-and-excitation: ``x * sigmoid(W2 relu(W1 GAP(x) + b1) + b2)`` per channel.

    Hidden width ``max(min_hidden, channels // reduction)``; ``min_hidden=1`` is Hu et al.'s
    ``C / r``. A floor such as 8 (timm's SE convention) makes it less likely that every hidden
    ReLU unit is dead at initialisation (with 4 units -- 64 channels, r=16 -- a whole SE block is
    dead on a batch about once in 20 draws, and then its fc1 gets no gradient).
    :meth:`gate` returns the (N, C, 1, 1) scale in (0, 1).
    """

    def __init__(self, channels: int, reduction: int = 16, min_hidden: int = 1) -> None:
        super().__init__()
        hidden = _hidden(channels, reduction, min_hidden)
        self.fc1 = nn.Linear(channels, hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(hidden, channels)

    def gate(self, x: torch.Tensor) -> torch.Tensor:
        s = x.mean(dim=(2, 3))
        s = self.fc2(self.act(self.fc1(s)))
        return torch.sigmoid(s)[:, :, None, None]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate(x).to(x.dtype)


class ChannelAttention(nn.Module):
    """CBAM channel attention: ``sigmoid(MLP(avgpool(x)) + MLP(maxpool(x)))``, shape (N, C, 1, 1).

    The MLP (C -> C/r -> C, ReLU, biased linear layers) is shared by both pooled descriptors.
    """

    def __init__(self, channels: int, reduction: int = 16, min_hidden: int = 1) -> None:
        super().__init__()
        hidden = _hidden(channels, reduction, min_hidden)
        self.mlp = nn.Sequential(nn.Linear(channels, hidden), nn.ReLU(),
                                 nn.Linear(hidden, channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.mlp(x.mean(dim=(2, 3))) + self.mlp(x.amax(dim=(2, 3)))
        return torch.sigmoid(a)[:, :, None, None]


class SpatialAttention(nn.Module):
    """CBAM spatial attention: ``sigmoid(conv_kxk([mean_c(x); max_c(x)]))``, shape (N, 1, H, W).

    The conv has no bias, as in Woo et al.'s Eq. 3 (``f^{7x7}``); their released code adds a BN
    after it, which is left out here.
    """

    def __init__(self, kernel_size: int = 7) -> None:
        super().__init__()
        if kernel_size % 2 != 1:
            raise ValueError(f"kernel_size={kernel_size} must be odd")
        self.conv = nn.Conv2d(2, 1, kernel_size, padding=kernel_size // 2, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        desc = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return torch.sigmoid(self.conv(desc))


class CBAM(nn.Module):
    """Convolutional block attention module: channel attention, then spatial attention.

    ``y = x * Mc(x); out = y * Ms(y)`` (Woo et al. 2018, sequential channel-first arrangement).
    """

    def __init__(self, channels: int, reduction: int = 16, kernel_size: int = 7,
                 min_hidden: int = 1) -> None:
        super().__init__()
        self.channel = ChannelAttention(channels, reduction, min_hidden)
        self.spatial = SpatialAttention(kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x * self.channel(x).to(x.dtype)
        return x * self.spatial(x).to(x.dtype)
