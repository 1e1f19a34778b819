"""AMACNN of Ali & Jabaar (attention-enhanced multi-scale CNN), as far as the paper specifies it.

What the paper states (Sec. 2 "Multi-scale Feature Extraction", "Spatial Attention Mechanism",
Algorithm 1, Table 2, Table 3; the figures are lost in the text extraction):

* input 128x128x3 (Sec. 2 and Table 3);
* three PARALLEL streams on the input with 3x3, 5x5 and 7x7 kernels, 64 filters each, stride 1
  (Table 3), each with batch normalisation and ReLU (Sec. 2; Algorithm 1 step 2b);
* concatenation of the three streams (Table 3; Algorithm 1 step 2c);
* three residual blocks, "each with 2x (Conv + ReLU)" (Table 3), "based on ResNet designs"
  (Sec. 2);
* a spatial attention module of "1x1 convolutions for attention weighting" that "generates
  spatial attention maps" (Table 3), an auxiliary branch whose weights are applied to the feature
  maps element-wise (Sec. 2);
* "fuse the attention-enhanced feature maps and flatten the output", fully connected layers with
  dropout (Algorithm 1 step 5); one fully connected layer of 256 units (Table 3); dropout 0.4
  "for fully connected layers" (Table 2);
* a SoftMax output over the emotion classes (Table 3). Here the model returns LOGITS; the softmax
  belongs to the engine (and the hybrid loss).

Where the paper is silent, our choices (all keyword arguments of :class:`AMACNN`):

* Stream convolutions: conv (no bias) -> BN -> ReLU with 'same' padding, so the three streams
  have the input's spatial size and can be concatenated (the paper says concatenation, which
  needs equal sizes). 64 + 64 + 64 = 192 channels.
* Downsampling: Table 3 lists stride 1 everywhere and no pooling at all. Taken literally the
  network never downsamples: the three residual blocks would run at 128x128x192 (about 65 GFLOPs
  per image) and flattening a 128x128x192 map into 256 units needs 805 M weights (ledger claim
  AMA-25). We put a 2x2 max-pool BEFORE each residual block (``pool=True``), so the blocks run at
  1/2, 1/4 and 1/8 of the input side (64, 32, 16 at 128 input; 24, 12, 6 at 48 input).
* Residual blocks: width kept at 192 (the concatenated width; nothing says it changes, and an
  unchanged width gives identity shortcuts), 3x3 kernels (ResNet basic block), and
  ``relu(x + BN(conv(relu(BN(conv(x))))))``: two convs and two ReLUs = "2x (Conv + ReLU)". The BN
  layers are ResNet's ("based on ResNet designs"); Table 3 and Algorithm 1 mention BN only in the
  streams. ``res_bn=False`` gives the literal Conv + ReLU reading (biased convs, no BN).
* Attention placement: after the residual blocks, as in Algorithm 1 (step 4a, "attention weights
  over the refined feature maps") and the order of Table 3. The prose of Sec. 2 says the weights
  are computed "on the concatenated multi-scale feature maps" -- a contradiction between the text
  and Algorithm 1/Table 3; the claims ledger (AMA-12) follows Algorithm 1, and so do we.
* Attention module: ``a = sigmoid(conv1x1_{C/8 -> 1}(relu(conv1x1_{C -> C/8}(x))))`` (biased
  1x1 convs, one map of shape (N, 1, H, W), "spatial attention maps"), ``out = x * a``. The
  reduction (``attn_reduction=8``) is ours.
* Head: Algorithm 1 says "flatten", so by default (``head="flatten"``) the attended map is
  flattened: 16x16x192 = 49,152 features at 128 input (6x6x192 = 6,912 at 48 input), then
  FC 256 -> ReLU -> dropout(0.4) -> linear(256 -> num_classes). Because of the flatten the model
  is built for one input size, ``img_size`` (the registered factory defaults to 48, FER2013's
  native size and the registry's common input; the paper's input needs ``img_size=128``; a
  mismatch raises a clear error). ``head="avg"`` replaces the flatten with
  global average pooling (192 features; size-independent, about 12.5 M fewer parameters).
* The number of classes is never stated (7 for FER2013, the default).

Contradictions between the paper's descriptions:

* Attention on the concatenated maps (Sec. 2 prose) vs on the refined maps after the residual
  blocks (Algorithm 1 step 4a, Table 3 order).
* Stride 1 and no pooling (Table 3) vs a flatten into 256 units (Algorithm 1, Table 3): not
  realisable as written (805 M weights in one layer, see above).
* BN in the streams only (Algorithm 1, Table 3 "Conv + ReLU" for the residual blocks) vs
  "residual blocks based on ResNet designs" (Sec. 2), which have BN.
* The paper states NO parameter count, FLOPs or latency, yet claims the design addresses
  "computational complexity" (Sec. 3) -- there is no stated count to compare ours with.

Parameter counts (``count_parameters``; checked by hand in tests/test_models_amacnn_dlfer.py):

* in_chans=3, img_size=128, 7 classes (the paper's input): 14,598,904, of which the flatten FC
  layer is 12,583,168 (49,152 x 256 + 256). Forward cost 7.68 GFLOPs per image
  (``FlopCounterMode``, batch 1, a multiply-add = 2 FLOPs), 7.2 of them in the residual blocks.
* in_chans=1, img_size=48: 3,774,840 parameters (FC 1,769,728). Forward cost 1.03 GFLOPs.
* ``head="avg"``: 2,065,144 (3 channels) / 2,054,520 (1 channel), at any input size.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from . import register
from .blocks import conv_bn_act

__all__ = ["AMACNN", "ResidualBlock", "SpatialAttention1x1", "amacnn"]


class ResidualBlock(nn.Module):
    """ResNet basic block at constant width: ``relu(x + BN(conv(relu(BN(conv(x))))))``.

    ``bn=False``: ``relu(x + conv(relu(conv(x))))`` with biased convs (Table 3's literal
    "2x (Conv + ReLU)").
    """

    def __init__(self, channels: int, kernel_size: int = 3, bn: bool = True) -> None:
        super().__init__()
        pad = kernel_size // 2
        self.conv1 = nn.Conv2d(channels, channels, kernel_size, padding=pad, bias=not bn)
        self.bn1: nn.Module = nn.BatchNorm2d(channels) if bn else nn.Identity()
        self.conv2 = nn.Conv2d(channels, channels, kernel_size, padding=pad, bias=not bn)
        self.bn2: nn.Module = nn.BatchNorm2d(channels) if bn else nn.Identity()
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.act(self.bn1(self.conv1(x)))
        return self.act(x + self.bn2(self.conv2(y)))


class SpatialAttention1x1(nn.Module):
    """Auxiliary branch of 1x1 convs giving one spatial map in (0, 1): ``x * sigmoid(...)``.

    ``map(x) = sigmoid(conv1x1_{h->1}(relu(conv1x1_{C->h}(x))))``, ``h = max(1, C // reduction)``,
    both convs biased. :meth:`attention_map` returns the (N, 1, H, W) weights.
    """

    def __init__(self, channels: int, reduction: int = 8) -> None:
        super().__init__()
        if reduction < 1:
            raise ValueError(f"reduction={reduction} must be >= 1")
        hidden = max(1, channels // reduction)
        self.reduce = nn.Conv2d(channels, hidden, 1)
        self.act = nn.ReLU()
        self.score = nn.Conv2d(hidden, 1, 1)

    def attention_map(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.score(self.act(self.reduce(x))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.attention_map(x).to(x.dtype)


class AMACNN(nn.Module):
    """Multi-scale streams -> concat -> 3 residual blocks -> 1x1 spatial attention -> FC 256.

    See the module docstring for what is the paper's and what is ours. Defaults: streams
    ``kernels=(3, 5, 7)`` x ``stream_width=64``; ``n_blocks=3`` residual blocks at 192 channels,
    each preceded by a 2x2 max-pool (``pool=True``); attention reduction 8; ``head="flatten"``
    (needs ``img_size``), FC ``hidden=256``, ReLU, dropout ``drop=0.4``, linear to
    ``num_classes``.
    """

    def __init__(self, num_classes: int = 7, in_chans: int = 3, img_size: int = 128,
                 kernels: Sequence[int] = (3, 5, 7), stream_width: int = 64, n_blocks: int = 3,
                 block_kernel: int = 3, res_bn: bool = True, pool: bool = True,
                 attn_reduction: int = 8, head: str = "flatten", hidden: int = 256,
                 drop: float = 0.4) -> None:
        super().__init__()
        if head not in ("flatten", "avg"):
            raise ValueError(f"head={head!r}: choose 'flatten' or 'avg'")
        if any(k % 2 != 1 for k in kernels) or not kernels:
            raise ValueError(f"kernels={tuple(kernels)} must be non-empty and odd ('same' padding)")
        self.num_classes = num_classes
        self.img_size = img_size
        self.head_kind = head
        self.streams = nn.ModuleList(
            [conv_bn_act(in_chans, stream_width, k, act=nn.ReLU) for k in kernels])
        width = stream_width * len(kernels)
        blocks: list[nn.Module] = []
        for _ in range(n_blocks):
            if pool:
                blocks.append(nn.MaxPool2d(2))
            blocks.append(ResidualBlock(width, block_kernel, res_bn))
        self.blocks = nn.Sequential(*blocks)
        self.attention = SpatialAttention1x1(width, attn_reduction)
        self.num_features = width
        self.grid = img_size // (2 ** n_blocks) if pool else img_size
        if head == "flatten":
            if self.grid < 1:
                raise ValueError(f"img_size={img_size} is too small for {n_blocks} 2x2 pools")
            n_in = width * self.grid * self.grid
        else:
            n_in = width
        self.fc = nn.Linear(n_in, hidden)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(drop)
        self.head = nn.Linear(hidden, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """Attention-weighted (N, 192, g, g) map (g = img_size / 8 by default), e.g. for Grad-CAM."""
        x = torch.cat([s(x) for s in self.streams], dim=1)
        return self.attention(self.blocks(x))

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        if self.head_kind == "flatten":
            if x.shape[-2:] != (self.grid, self.grid):
                raise ValueError(
                    f"AMACNN was built for {self.img_size}x{self.img_size} inputs (a "
                    f"{self.grid}x{self.grid} map before the flatten) but got a map of "
                    f"{tuple(x.shape[-2:])}: pass img_size=<input side> to the factory")
            x = x.flatten(1)
        else:
            x = x.mean(dim=(2, 3))
        return self.head(self.drop(self.act(self.fc(x))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


@register("amacnn")
def amacnn(num_classes: int = 7, in_chans: int = 1, img_size: int = 48, **kwargs) -> AMACNN:
    """AMACNN (3/5/7 streams, 3 residual blocks, 1x1 attention, FC 256): 3,774,840 parameters
    at 48x48x1 (the registry's default input, FER2013's native size), 14,598,904 at the paper's
    128x128x3 (``in_chans=3, img_size=128``)."""
    return AMACNN(num_classes=num_classes, in_chans=in_chans, img_size=img_size, **kwargs)
