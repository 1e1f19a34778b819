"""Model registry (timm-style) and the re-implemented architectures.

Each paper's module defines factory functions decorated with :func:`register`; importing this
package imports those modules (see the bottom of this file), so every model is available by name::

    from fer_repro.models import create_model, list_models, count_parameters
    list_models("suwartono*")              # ['suwartono_attention_cnn', ...]
    net = create_model("suwartono_fastcnn_se", num_classes=7, in_chans=1, drop=0.3)
    count_parameters(net)

A factory has the signature ``factory(num_classes=7, in_chans=1, **kwargs) -> nn.Module`` and
returns a module mapping ``(N, in_chans, H, W)`` images to ``(N, num_classes)`` LOGITS; the
output layer (softmax, sparsemax, ...) belongs to the loss / engine, never to the model.

To add a paper: write ``fer_repro/models/<paper>.py`` with ``@register("<paper>_<model>")``
factories and add ``<paper>`` to ``_MODEL_MODULES`` below.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
from collections.abc import Callable

from torch import nn

__all__ = [
    "count_parameters",
    "create_model",
    "is_model",
    "list_models",
    "model_entrypoint",
    "register",
]

ModelFactory = Callable[..., nn.Module]

_REGISTRY: dict[str, ModelFactory] = {}


def register(name: str | None = None) -> Callable[[ModelFactory], ModelFactory]:
    """Decorator registering a model factory under ``name`` (default: the function's name).

    Registering a different function under a taken name raises ``ValueError``; re-registering
    the same function (same module and qualified name, e.g. after ``importlib.reload``) replaces
    the entry.
    """

    def deco(fn: ModelFactory) -> ModelFactory:
        key = name or fn.__name__
        old = _REGISTRY.get(key)
        if old is not None and (old.__module__, old.__qualname__) != (fn.__module__,
                                                                      fn.__qualname__):
            raise ValueError(f"model name {key!r} is already registered by "
                             f"{old.__module__}.{old.__qualname__}")
        _REGISTRY[key] = fn
        return fn

    if callable(name):  # used bare: @register
        fn, name = name, None
        return deco(fn)  # type: ignore[return-value]
    return deco


def list_models(pattern: str | None = None) -> list[str]:
    """Sorted registered names, optionally filtered by an ``fnmatch`` pattern (``"suwartono*"``)."""
    names = sorted(_REGISTRY)
    if pattern is not None:
        names = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
    return names


def is_model(name: str) -> bool:
    return name in _REGISTRY


def model_entrypoint(name: str) -> ModelFactory:
    """The factory registered under ``name``; ``KeyError`` with close matches otherwise."""
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, _REGISTRY, n=3)
        hint = f"; did you mean {close}?" if close else ""
        raise KeyError(f"unknown model {name!r}{hint} (registered: {list_models()})") from None


def create_model(name: str, num_classes: int = 7, in_chans: int = 1, **kwargs) -> nn.Module:
    """Build a registered model; ``kwargs`` go to its factory (``drop``, widths, ...)."""
    if num_classes < 1 or in_chans < 1:
        raise ValueError(f"num_classes={num_classes}, in_chans={in_chans}: both must be >= 1")
    model = model_entrypoint(name)(num_classes=num_classes, in_chans=in_chans, **kwargs)
    model.model_name = name  # for logging / run records
    return model


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of parameter elements (shared parameters counted once)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


# Per-paper modules; importing them registers their models. Keep this at the bottom so that
# `register` exists when they import it.
_MODEL_MODULES = ("suwartono", "resemotenet", "dcrnet", "amacnn", "dlfer", "mini_xception")

for _mod in _MODEL_MODULES:
    importlib.import_module(f"{__name__}.{_mod}")
del _mod
