"""DCRNet (Abdeldayem, Badawy, Hamed & Nagy, Stat. Optim. Inf. Comput. 2025).

One registered model, ``dcrnet``, mapping ``(N, in_chans, H, W)`` to ``(N, num_classes)`` LOGITS
(the paper's softmax belongs to the loss). Text: ``../shared/papers/abdeldayem2025_dcrnet.txt``;
Fig. 1, 5 and 7 (the architecture drawings) are lost in the text, so everything below comes from
Sec. 2 and the "Experimental Details" paragraph of Sec. 3. No code was released.

Architecture (Sec. 3, "Experimental Details")
---------------------------------------------
1. **Backbone**: torchvision ``densenet121().features`` (Huang et al. 2017; ImageNet weights
   only with ``pretrained=True`` and only from the local torch-hub cache, see below) followed by
   a ReLU, as Keras' ``DenseNet121(include_top=False)`` ends (torchvision applies that ReLU in
   ``DenseNet.forward``, outside ``features``). 1024 channels, 7x7 at 224x224.
2. **Conv block 1**: Conv2D(256) - BatchNorm - ReLU - Dropout(``drop1``=0.3) - CBAM.
3. **Conv block 2**: Conv2D(512) - BatchNorm - ReLU - MaxPool2D(2) - Dropout(``drop``=0.4) -
   CBAM. 7x7 -> 3x3 at 224x224.
4. **Two residual modules of three residual blocks each**, "with skip connections and
   convolutional layers of 32 and 64 filters": module 1 has three 32-filter blocks, module 2
   three 64-filter blocks. Each block is He et al.'s basic block ``y = relu(F(x) + s(x))`` with
   ``F = conv3x3-BN-ReLU-conv3x3-BN`` (Eq. 5, ``y = F(x) + x``) and ``s`` = identity, or a
   1x1 conv + BN projection where the width changes (512 -> 32 and 32 -> 64).
5. **CBAM** once more "following the accumulation of residual blocks".
6. **Head**: global average pooling (Sec. 2.6), then three dense layers of 512, 256 and 128
   units, each ReLU + Dropout(``drop``=0.4) (Sec. 3), then a linear layer to ``num_classes``.

CBAM is the project's :class:`~fer_repro.models.blocks.CBAM` (Woo et al. 2018: channel MLP with
reduction 16 on average- and max-pooled descriptors, then a 7x7 spatial conv), SE the project's
:class:`~fer_repro.models.blocks.SEBlock` (Hu et al. 2018, reduction 16).

Ablation switches (Sec. 3, Sec. 4.2 / Table 8)
----------------------------------------------
* ``attention="cbam"`` (default) | ``"se"`` (the CBAM -> SE replacement of Sec. 3, 65.43 % vs
  65.80 % on AffectNet) | ``"none"`` (Table 8 without "+ CBAM Modules"). The attention modules
  sit in the same three places.
* ``residual=True`` | ``False``: ``False`` removes both residual modules and the attention
  module that follows them (Table 8's "+ Residual Connections" row adds them to a model without
  them). The head then reads the 512-channel map of conv block 2.
* ``conv_blocks=True`` | ``False``: ``False`` removes conv blocks 1 and 2 (with their attention).
  ``dcrnet(attention="none", residual=False, conv_blocks=False)`` is Table 8's
  "DenseNet121 (Backbone) only": backbone - GAP - the 512/256/128 dense head.
* Preprocessing (adaptive gamma correction, landmarks) is not part of the model; it lives in
  :mod:`fer_repro.experiments.dcrnet`.

Choices where the paper is silent
---------------------------------
* Kernel sizes of the two conv blocks and of the residual blocks: not given; 3x3 with 'same'
  padding (Keras' usual ``Conv2D(256, (3, 3), padding="same")``). With 1x1 kernels in the two
  conv blocks the model would have 3.1 M fewer parameters (see below).
* Convolutions directly followed by BatchNorm have no bias (a bias before BN is redundant); a
  Keras ``Conv2D`` default would add 1,440 biases (256 + 512 + 6x32 + 6x64 + 32 + 64).
* Every BatchNorm2d is a :class:`SingleValueSafeBatchNorm2d`: a training batch of one image on
  a 1x1 map (the last batch of an epoch at inputs below 96x96) is normalised with the running
  statistics instead of raising. Nothing changes at 224x224.
* MaxPool2D(2) floors (Keras 'valid' pooling): 7 -> 3. It is skipped when the map is already
  smaller than 2x2 (inputs below 64x64, e.g. the smoke budget's 32x32), so that every input size
  that DenseNet121 accepts (>= 32) runs.
* The projection shortcuts (1x1 conv + BN) are ours: Eq. 5 adds ``x`` unchanged, which is
  impossible when the width changes from 512 to 32 and from 32 to 64. The other reading, in
  which 32 and 64 are the inner widths of bottleneck blocks that return to 512 channels, keeps
  Eq. 5's identity; the ledger counts it in closed form
  (``fer_repro.claims.dcrnet.identity_skip_range``) and it reaches 11.6 M.
* Dense layers use ReLU (not stated) and keep their biases; the paper's L2 penalty (0.001) is
  the optimiser's weight decay in the experiment module (Sec. 3 gives ``weight_decay = 0.001``
  for the PyTorch CK+/KDEF runs).
* ``in_chans=1`` replaces the first 7x7 conv by a one-channel conv (with ``pretrained`` its
  weights are the sum of the ImageNet RGB filters). The experiments feed 3 channels (grey
  replicated) as the paper's "(224, 224, 3)" says.

Contradictions in the paper
---------------------------
* Sec. 2.3 defines dropout backwards: "With probability p, a neuron remains active; with
  probability 1 - p, it is dropped". Dropout(0.3)/(0.4) are read as DROP rates (Keras and
  PyTorch semantics), which is what "Dropout rates of 0.3 and 0.4" in Sec. 3 says.
* Sec. 3 fixes Dropout(0.3) in conv block 1 and 0.4 elsewhere, but the CK+/KDEF paragraph says
  "Dropout rates of 0.4 were used" (Table 2 bolds 0.4 only for CK+ and KDEF, "0.3, 0.4" for
  AffectNet). ``drop1`` defaults to the architecture's 0.3; the CK+ configuration sets 0.4.
* Eq. 5 (``y = F(x) + x``) versus the 512 -> 32 -> 64 widths: see projection shortcuts above.
* "lightweight" / "compact footprint" / "DenseNet121 as a lightweight feature extractor": the
  DenseNet121 features alone have 6.95 M parameters and cost 2.83 G multiply-adds at 224x224,
  more multiply-adds than the whole ResNet-18 (1.8 G).
* Sec. 2.4 says CBAM is "applied after CNN and residual blocks" and Sec. 3 "again following the
  accumulation of residual blocks": read as ONE CBAM after the last residual module (not one per
  residual block or per module).
* The text says the AffectNet model was built in TensorFlow and "the same architecture was
  applied to the CK+ and KDEF datasets using PyTorch"; Keras and PyTorch layers of the same
  description differ in details (conv biases, L2 on dense kernels only vs weight decay on all
  parameters, ReduceLROnPlateau defaults), none of which the text pins down.

Size and cost (measured; ``tests/test_models_dcrnet.py`` checks the count by hand)
---------------------------------------------------------------------------------
``in_chans=3, num_classes=7``: **11,151,457 parameters** against the paper's 11.6 M (-3.9 %):
backbone 6,953,856; conv block 1 2,368,370 (conv 2,359,296, BN 512, CBAM 8,562); conv block 2
1,214,082 (conv 1,179,648, BN 1,024, CBAM 33,410); residual modules 416,064; final CBAM 678;
dense layers 197,504; classifier 903. Keras-style conv biases would add 1,440. With 1x1 kernels
in the two conv blocks the model would have 8.0 M. So 11.6 M is not reached by this build under
any kernel size, bias or CBAM reduction (about 0.45 M, 4 %, unaccounted for), but it is reached
by bottleneck residual blocks with Eq. 5's identity skip (see the shortcuts above), so the count
does not single out one reading.

Forward cost at 3x224x224, batch 1 (``torch.utils.flop_counter.FlopCounterMode``: convolutions,
linear layers and matmuls; it counts a multiply-add as 2 FLOPs): **6.02 GFLOPs = 3.01 G
multiply-adds** (backbone 2.83 GMACs, conv block 1 0.116, conv block 2 0.058, residual modules
0.004, the rest < 0.001). The paper's "4.2 GFLOPs" matches neither convention: it is 40 % more
than the multiply-adds and 30 % less than the FLOPs. BatchNorm, ReLU, pooling and the attention
gates are not counted (together well under 1 %).

Ablation variants (same counting, 3x224x224): ``attention="se"`` 11,151,163 parameters (SE has
the same channel MLP as CBAM, without the 98-weight spatial convs); ``attention="none"``
11,108,807; ``residual=False`` 10,964,091 (the dense head reads 512 channels); backbone only
(``attention="none", residual=False, conv_blocks=False``) 7,643,783 parameters, 2.83 GMACs.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from . import register
from .blocks import CBAM, SEBlock, conv_bn_act

__all__ = ["DCRNet", "PretrainedWeightsUnavailable", "ResidualBlock", "SingleValueSafeBatchNorm2d",
           "dcrnet", "densenet121_cache_path"]

ATTENTIONS = ("cbam", "se", "none")


class PretrainedWeightsUnavailable(RuntimeError):
    """ImageNet weights were asked for but are not in the local torch-hub cache (no download)."""


def densenet121_cache_path() -> Path:
    """Where torchvision keeps DenseNet121's ImageNet weights in the torch-hub cache."""
    from torchvision.models import DenseNet121_Weights

    name = os.path.basename(DenseNet121_Weights.IMAGENET1K_V1.url)
    return Path(torch.hub.get_dir()) / "checkpoints" / name


def _densenet121_features(pretrained: bool | str) -> nn.Sequential:
    from torchvision.models import DenseNet121_Weights, densenet121

    if isinstance(pretrained, (str, Path)):
        # a state dict of densenet121().features saved by this project (e.g. the FER2013
        # pretraining of fer_repro.experiments.dcrnet), never a download
        path = Path(pretrained)
        if not path.is_file():
            raise PretrainedWeightsUnavailable(
                f"pretrained={str(pretrained)!r} must be the path of a saved DenseNet121 "
                "`features` state dict; no such file. Re-run the experiment that writes it "
                "(fer_repro.experiments.dcrnet.backbone_file with mode='auto').")
        features = densenet121(weights=None).features
        features.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        return features
    if not pretrained:
        return densenet121(weights=None).features
    path = densenet121_cache_path()
    if not path.exists():
        raise PretrainedWeightsUnavailable(
            f"pretrained=True needs torchvision's DenseNet121 ImageNet weights at {path}; they are "
            "not there and this code never downloads. Copy densenet121-a639ec97.pth into that "
            "folder (or set TORCH_HOME) or use pretrained=False.")
    # the file is in the cache, so torchvision loads it from there without a download
    return densenet121(weights=DenseNet121_Weights.IMAGENET1K_V1, progress=False).features


def _attention(kind: str, channels: int) -> nn.Module:
    if kind == "cbam":
        return CBAM(channels, reduction=16, kernel_size=7)
    if kind == "se":
        return SEBlock(channels, reduction=16)
    return nn.Identity()


class SingleValueSafeBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d that normalises a training batch with ONE value per channel (one image on a
    1x1 map) with its running statistics instead of raising, and leaves them unchanged.

    Below 96x96 inputs the residual modules work on 1x1 maps, so an epoch's last batch of one
    image would stop training (PyTorch raises; Keras would output the BN shift). At 224x224 the
    maps are 3x3 and this never triggers."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and x.shape[0] * x.shape[2] * x.shape[3] == 1:
            return nn.functional.batch_norm(x, self.running_mean, self.running_var, self.weight,
                                            self.bias, False, 0.0, self.eps)
        return super().forward(x)


class MaxPoolIfLarge(nn.Module):
    """``MaxPool2d(2)`` (floor, like Keras 'valid'), skipped on maps smaller than 2x2."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] < 2 or x.shape[-2] < 2:
            return x
        return nn.functional.max_pool2d(x, 2)


class ResidualBlock(nn.Module):
    """He et al. basic block: ``relu(conv3x3-BN-ReLU-conv3x3-BN(x) + shortcut(x))``.

    ``skip=False`` drops the addition (a plain two-conv block), for readers who take Table 8's
    "residual connections" to mean only the skips.
    """

    def __init__(self, in_chans: int, out_chans: int, skip: bool = True) -> None:
        super().__init__()
        self.conv1 = conv_bn_act(in_chans, out_chans, 3)
        self.conv2 = conv_bn_act(out_chans, out_chans, 3, act=None)
        self.skip = skip
        if skip and in_chans != out_chans:
            self.shortcut: nn.Module = nn.Sequential(
                nn.Conv2d(in_chans, out_chans, 1, bias=False), nn.BatchNorm2d(out_chans))
        else:
            self.shortcut = nn.Identity()
        self.act = nn.ReLU()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv2(self.conv1(x))
        return self.act(y + self.shortcut(x) if self.skip else y)


class DCRNet(nn.Module):
    """DenseNet121 + two conv/CBAM blocks + two residual modules + CBAM + dense head.

    See the module docstring for the layer list, the choices and the paper's contradictions.
    ``drop1`` is conv block 1's dropout, ``drop`` that of conv block 2 and of the three dense
    layers; ``res_widths`` and ``blocks_per_module`` the residual modules' filters and depth;
    ``head_widths`` the dense layers; ``skip=False`` keeps the residual modules' convs but drops
    their skip connections.
    """

    def __init__(self, num_classes: int = 7, in_chans: int = 3, pretrained: bool | str = False,
                 attention: str = "cbam", residual: bool = True, conv_blocks: bool = True,
                 drop1: float = 0.3, drop: float = 0.4, res_widths: tuple[int, ...] = (32, 64),
                 blocks_per_module: int = 3, head_widths: tuple[int, ...] = (512, 256, 128),
                 skip: bool = True) -> None:
        super().__init__()
        if attention not in ATTENTIONS:
            raise ValueError(f"attention={attention!r}; choose from {ATTENTIONS}")
        self.num_classes = num_classes
        self.attention = attention
        features = _densenet121_features(pretrained)
        if in_chans != 3:
            old = features.conv0
            new = nn.Conv2d(in_chans, old.out_channels, 7, stride=2, padding=3, bias=False)
            if pretrained:
                if in_chans != 1:
                    raise ValueError("pretrained weights can be adapted to in_chans 1 or 3 only")
                with torch.no_grad():
                    new.weight.copy_(old.weight.sum(dim=1, keepdim=True))
            features.conv0 = new
        self.backbone = nn.Sequential(features, nn.ReLU())
        c = 1024
        if conv_blocks:
            self.block1 = nn.Sequential(conv_bn_act(c, 256, 3), nn.Dropout(drop1),
                                        _attention(attention, 256))
            self.block2 = nn.Sequential(conv_bn_act(256, 512, 3), MaxPoolIfLarge(),
                                        nn.Dropout(drop), _attention(attention, 512))
            c = 512
        else:
            self.block1 = self.block2 = nn.Identity()
        if residual:
            layers: list[nn.Module] = []
            for w in res_widths:
                for _ in range(blocks_per_module):
                    layers.append(ResidualBlock(c, w, skip=skip))
                    c = w
            self.residual = nn.Sequential(*layers)
            self.res_attention = _attention(attention, c)
        else:
            self.residual = nn.Identity()
            self.res_attention = nn.Identity()
        head: list[nn.Module] = []
        for w in head_widths:
            head += [nn.Linear(c, w), nn.ReLU(), nn.Dropout(drop)]
            c = w
        self.dense = nn.Sequential(*head)
        self.num_features = c
        self.classifier = nn.Linear(c, num_classes)
        for m in self.modules():  # same parameters and state dict, see the class
            if type(m) is nn.BatchNorm2d:
                m.__class__ = SingleValueSafeBatchNorm2d

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """Feature map before global average pooling (64 x 3 x 3 at 224 x 224), for Grad-CAM."""
        x = self.block2(self.block1(self.backbone(x)))
        return self.res_attention(self.residual(x))

    def forward_head(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.dense(x.mean(dim=(2, 3))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


@register("dcrnet")
def dcrnet(num_classes: int = 7, in_chans: int = 3, **kwargs) -> DCRNet:
    """DCRNet (DenseNet121 + CBAM + residual modules), 11,151,457 parameters (paper: 11.6 M)."""
    return DCRNet(num_classes=num_classes, in_chans=in_chans, **kwargs)
