"""DLFER of Hussan (2025): EfficientNet-B3 with a 7-way dense output layer.

The "cascade" of the paper (Sec. 2.3) is ImageNet training of an EfficientNet-B3 ("EF-FER1")
whose weights initialise a second EfficientNet-B3 ("EF-FER2") that is fine-tuned, all layers, on
FER2013. At inference DLFER is therefore ONE EfficientNet-B3 (Tan & Le 2019) whose "last dense
layers ... are substituted with a new dense layer" of "solely seven neurons" (Sec. 2.3). We use
torchvision's ``efficientnet_b3`` (the same MBConv/SE layout as the Keras ``EfficientNetB3`` the
paper's TensorFlow code would use, with stochastic depth 0.2 as Keras' block dropout).

``dlfer_effnet_b3`` is that network:

* ``features`` + global average pooling: torchvision's B3 backbone (1536 pooled features);
* head: ``Dropout(drop) -> Linear(1536 -> num_classes)``. The paper describes only the new dense
  layer, no dropout before it, so ``drop=0.0`` by default (the Keras ``include_top=False``
  backbone drops the ImageNet top's dropout of 0.3 together with its dense layer);
  ``drop=0.3`` restores torchvision's / Keras' ImageNet head dropout;
* the new dense layer: by default (``head_init="glorot"``) it is initialised as Keras initialises
  a ``Dense`` layer (Glorot-uniform weights, zero bias), the faithful choice since the paper's code
  is TensorFlow (Sec. 3); ``head_init="torchvision"`` keeps torchvision's rule (uniform in
  +-1/sqrt(num_classes)), which is meant for 1000 classes: with 7 it draws weights in +-0.38, six
  times Glorot's +-0.062, and a randomly initialised B3 starts with logits of standard deviation
  ~4 and a cross-entropy of ~4.4 instead of ~2.2 (``tests/test_models_amacnn_dlfer.py``);
* ``pretrained=False`` (default): random initialisation, i.e. the ablation arm "DLFER without
  EF-FER1" (Table 3 of the paper). ``pretrained=True``: torchvision's ImageNet-1k weights
  (``EfficientNet_B3_Weights.IMAGENET1K_V1``) loaded ONLY from the local torch hub cache
  (``torch.hub.get_dir()/checkpoints/efficientnet_b3_rwightman-b3899882.pth``); when the file is
  absent a :class:`PretrainedWeightsMissing` error says where to put it. Nothing is downloaded.
  These are not the paper's own EF-FER1 weights (never released), only the standard ImageNet
  initialisation that EF-FER1 is described as reproducing.

Input channels: the paper resizes FER2013 to 224x224x1 (Sec. 2.2). The preferred way here is
``in_chans=3`` in the training config, so that the engine repeats the grey channel three times and
the RGB stem (and ImageNet weights) are used unchanged -- for a randomly initialised model a stem
on three identical channels computes the same family of functions as a one-channel stem whose
weights are the sum over RGB. ``in_chans=1`` is also supported: the stem conv gets one input
channel (with ``pretrained=True`` its weights are the ImageNet RGB weights summed over the colour
axis, the usual grey-scale adaptation).

Parameter counts (checked by hand from the B3 architecture table in
tests/test_models_amacnn_dlfer.py): 10,706,991 with a 3-channel stem and 7 classes, 10,706,271
with a 1-channel stem (the stem conv has 40*9*3 = 1,080 weights vs 360), against 12,233,232 for
the 1000-class ImageNet model. The paper states no parameter count. Forward cost at
224x224x3: 1.92 GFLOPs (``FlopCounterMode``, batch 1, a multiply-add = 2 FLOPs; 0.16 at 64x64).
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from . import register

__all__ = ["PretrainedWeightsMissing", "dlfer_effnet_b3", "efficientnet_b3_cache_path"]


class PretrainedWeightsMissing(FileNotFoundError):
    """The ImageNet weights are not in the local torch hub cache (and are never downloaded)."""


def efficientnet_b3_cache_path() -> Path:
    """Where torchvision would cache ``EfficientNet_B3_Weights.IMAGENET1K_V1``."""
    from torchvision.models import EfficientNet_B3_Weights

    url = EfficientNet_B3_Weights.IMAGENET1K_V1.url
    return Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1]


def _load_imagenet_state() -> dict[str, torch.Tensor]:
    path = efficientnet_b3_cache_path()
    if not path.is_file():
        raise PretrainedWeightsMissing(
            f"ImageNet weights for EfficientNet-B3 are not in the local torch hub cache: {path} "
            "does not exist. They are never downloaded here; copy "
            "efficientnet_b3_rwightman-b3899882.pth (torchvision EfficientNet_B3_Weights."
            "IMAGENET1K_V1) to that path (or set TORCH_HOME), or use pretrained=False.")
    return torch.load(path, map_location="cpu", weights_only=True)


@register("dlfer_effnet_b3")
def dlfer_effnet_b3(num_classes: int = 7, in_chans: int = 3, pretrained: bool = False,
                    drop: float = 0.0, stochastic_depth: float = 0.2,
                    head_init: str = "glorot") -> nn.Module:
    """torchvision EfficientNet-B3 with a new ``Linear(1536 -> num_classes)`` head (no head
    dropout by default); 10,706,991 parameters (3-channel stem, 7 classes)."""
    from torchvision.models import efficientnet_b3

    model = efficientnet_b3(weights=None, stochastic_depth_prob=stochastic_depth)
    if pretrained:
        model.load_state_dict(_load_imagenet_state())
    if in_chans != 3:
        old = model.features[0][0]
        new = nn.Conv2d(in_chans, old.out_channels, old.kernel_size, old.stride, old.padding,
                        bias=False)
        if pretrained:
            with torch.no_grad():
                w = old.weight.sum(dim=1, keepdim=True)  # (40, 1, 3, 3): grey = R + G + B
                new.weight.copy_(w.repeat(1, in_chans, 1, 1) / in_chans)
        else:  # torchvision's initialisation of EfficientNet convs
            nn.init.kaiming_normal_(new.weight, mode="fan_out")
        model.features[0][0] = new
    n_feat = model.classifier[1].in_features
    model.classifier = nn.Sequential(nn.Dropout(drop), nn.Linear(n_feat, num_classes))
    head = model.classifier[1]
    if head_init == "glorot":  # Keras' Dense default (the paper's code is TensorFlow)
        nn.init.xavier_uniform_(head.weight)
    elif head_init == "torchvision":  # uniform in +-1/sqrt(out_features), meant for 1000 classes
        init_range = 1.0 / num_classes**0.5
        nn.init.uniform_(head.weight, -init_range, init_range)
    else:
        raise ValueError(f"head_init={head_init!r}: choose 'glorot' or 'torchvision'")
    nn.init.zeros_(head.bias)
    model.num_classes = num_classes
    return model
