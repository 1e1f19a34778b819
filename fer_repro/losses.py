"""Output maps, class weights and training losses of the audited papers.

Papers and sections implemented here:

* Suwartono et al. 2025 (FastCNN-SE), Sec. 2 and 3.4: sparsemax output, Poly-Focal loss
  ``L_PF(y, p) = w_y [-(1 - p_y)^gamma log p_y + lambda (1 - p_y)]`` with ``p = sparsemax(z)``,
  class-balanced weights ``w_k = (1 - beta) / (1 - beta^{n_k})`` (beta = 0.999), label
  smoothing (Sec. 3.2, eps = 0.05) and MixUp (Sec. 3, Beta(0.2, 0.2)).
* Ali Jabaar et al. (AMACNN): hybrid weighted cross-entropy + focal loss, gamma = 2,
  alpha = 0.25 (Table 2).
* Abdeldayem et al. 2025 (DCRNet), Eq. (7): weighted cross-entropy with
  ``w_i = N / (C n_i)``.

Conventions shared by every loss:

* ``logits`` has shape ``(N, K)``; ``t`` holds SOFT targets of shape ``(N, K)`` (rows on the
  simplex: one-hot, label-smoothed and/or MixUp-mixed). The training engine always passes
  soft targets.
* A per-label loss ``w_y * l(y, p)`` is extended to soft targets as the expectation under the
  target distribution, ``sum_k t_k w_k l(k, p)``: exactly how MixUp
  (``lam * L(y_i) + (1 - lam) * L(y_j)``) and label smoothing act on a loss. Terms with
  ``t_k == 0`` are skipped, not multiplied by zero, so a one-hot target gives exactly
  ``w_y l(y, p)`` even where ``l(k, p)`` is infinite for ``k != y``.
* ``weight`` is an optional per-class weight vector of shape ``(K,)``.
* ``normalize`` sets the denominator of the batch mean:
  ``"batch"`` (default) divides the sum of per-sample losses by ``N``; this is the paper's
  ``R_c = (1/N) sum_i w_{y_i} L_i`` (Suwartono Sec. 2) and what Keras ``class_weight`` does.
  ``"weights"`` divides by ``sum_i sum_k t_ik w_k`` (``= sum_i w_{y_i}`` for one-hot targets),
  which is what :func:`torch.nn.functional.cross_entropy` does for class-index targets with
  ``weight=`` (for probability targets PyTorch divides by ``N``; with class-index targets,
  ``weight=`` and ``label_smoothing=`` it divides by the hard-label weights
  ``sum_i w_{y_i}``, which soft targets alone cannot express).
  Without ``weight`` both are the plain mean.
* Losses compute in float32 (float64 stays float64), so bf16/fp16 logits under autocast are
  safe.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    "LOSSES",
    "SparsemaxFunction",
    "class_balanced_weights",
    "focal_loss",
    "hybrid_ce_focal",
    "inverse_frequency_weights",
    "make_loss",
    "output_probs",
    "poly_focal_loss",
    "poly_focal_sparsemax_fixed",
    "smooth_targets",
    "soft_cross_entropy",
    "sparsemax",
    "sparsemax_loss",
]

Normalize = Literal["batch", "weights"]
Output = Literal["softmax", "sparsemax"]
Counts = Sequence[int] | np.ndarray | Tensor


# ----------------------------------------------------------------------------------------
# sparsemax (Martins & Astudillo 2016)
# ----------------------------------------------------------------------------------------


def _compute_dtype(dtype: torch.dtype) -> torch.dtype:
    """float64 stays float64; everything else (fp32, bf16, fp16) computes in float32."""
    return torch.float64 if dtype == torch.float64 else torch.float32


def _sparsemax_last(z: Tensor) -> tuple[Tensor, Tensor]:
    """Sparsemax and its threshold along the last axis (no autograd).

    Martins & Astudillo 2016, Alg. 1: sort ``z`` decreasingly, ``k(z) = max{k : 1 + k z_(k) >
    sum_{j<=k} z_(j)}``, ``tau = (sum_{j<=k(z)} z_(j) - 1) / k(z)``, ``p = max(z - tau, 0)``.
    Returns ``(p, tau)`` with ``tau`` keeping a trailing axis of size 1.
    """
    k = z.shape[-1]
    z_sorted, _ = torch.sort(z, dim=-1, descending=True)
    cumsum = z_sorted.cumsum(dim=-1)
    rng = torch.arange(1, k + 1, device=z.device)
    in_support = 1 + rng.to(z.dtype) * z_sorted > cumsum
    # k(z) as the largest index satisfying the condition (the definition), not the count;
    # clamp to 1 so that non-finite rows give NaN instead of an indexing error
    k_z = (in_support * rng).amax(dim=-1, keepdim=True).clamp_min(1)
    tau = (cumsum.gather(-1, k_z - 1) - 1) / k_z.to(z.dtype)
    return torch.clamp(z - tau, min=0), tau


class SparsemaxFunction(torch.autograd.Function):
    """Exact sparsemax with the closed-form backward of Martins & Astudillo 2016, Sec. 2.5.

    Jacobian: ``J = diag(s) - s s^T / |S|`` with ``s`` the support indicator (``p_j > 0``), so
    ``grad_z = s * (g - (sum_{j in S} g_j) / |S|)``. Off-support entries of the incoming
    gradient are discarded with ``where`` (not multiplied by 0), so NaN/inf produced by
    ``log p_j`` at ``p_j = 0`` cannot leak into the logits' gradient. At the kink
    ``z_j == tau`` the one-sided derivative with ``j`` outside the support is used (as entmax).
    """

    @staticmethod
    def forward(ctx, z: Tensor, dim: int) -> Tensor:  # type: ignore[override]
        p, _ = _sparsemax_last(z.to(_compute_dtype(z.dtype)).movedim(dim, -1))
        p = p.movedim(-1, dim)
        ctx.save_for_backward(p)
        ctx.dim = dim
        ctx.in_dtype = z.dtype
        return p

    @staticmethod
    def backward(ctx, grad_p: Tensor) -> tuple[Tensor, None]:  # type: ignore[override]
        (p,) = ctx.saved_tensors
        support = p > 0
        g = torch.where(support, grad_p.to(p.dtype), 0)
        v_hat = g.sum(ctx.dim, keepdim=True) / support.sum(ctx.dim, keepdim=True)
        grad_z = torch.where(support, g - v_hat, 0)
        return grad_z.to(ctx.in_dtype), None


def sparsemax(z: Tensor, dim: int = -1) -> Tensor:
    """Sparsemax: Euclidean projection of ``z`` onto the probability simplex along ``dim``.

    ``sparsemax(z) = argmin_{p in simplex} ||p - z||^2`` (Martins & Astudillo 2016, Eq. 2;
    Suwartono et al. 2025, Sec. 2 and 3.4). The result sums to 1, is non-negative and has
    exact zeros for every ``z_j <= tau(z)``. Computed in float32 (float64 stays float64):
    half/bfloat16 inputs give a float32 output (like ``torch.softmax(..., dtype=float32)``)
    and their gradient is returned in the input dtype.
    """
    return SparsemaxFunction.apply(z, dim)


def output_probs(logits: Tensor, output: Output = "softmax", dim: int = -1) -> Tensor:
    """Class probabilities from logits for evaluation: ``softmax`` or ``sparsemax`` (float32)."""
    if output == "softmax":
        return torch.softmax(logits, dim=dim, dtype=_compute_dtype(logits.dtype))
    if output == "sparsemax":
        return sparsemax(logits, dim=dim)
    raise ValueError(f"output must be 'softmax' or 'sparsemax', got {output!r}")


# ----------------------------------------------------------------------------------------
# class weights and targets
# ----------------------------------------------------------------------------------------


def _counts64(counts: Counts) -> Tensor:
    n = torch.as_tensor(np.asarray(counts, dtype=np.float64))
    if n.ndim != 1 or n.numel() == 0:
        raise ValueError("counts must be a non-empty 1-D sequence")
    if bool((n <= 0).any()):
        raise ValueError("every class needs a positive count (the weight of an empty class is "
                         "undefined)")
    return n


def class_balanced_weights(
    counts: Counts,
    beta: float = 0.999,
    normalize: bool = True,
    dtype: torch.dtype = torch.float32,
) -> Tensor:
    """Class-balanced weights ``w_k = (1 - beta) / (1 - beta^{n_k})`` (Cui et al. 2019).

    The formula as Suwartono et al. 2025 write it (Sec. 2 and 3.4, beta = 0.999).
    ``1 - beta^n`` is evaluated as ``-expm1(n log1p(-(1 - beta)))`` in float64.

    Normalisation: with ``normalize=True`` (default) the weights are rescaled to sum to
    ``K`` (as Cui et al. do). The paper states no normalisation; the raw weights are of order
    ``1 - beta`` (about 1e-3 for beta = 0.999), which scales the whole loss by ~1e-3. Only the
    ratios ``w_j / w_k`` are invariant (and they are unchanged by the normalisation), so a
    result reproduces the paper only up to that scale, and only the normalised weights are
    comparable across beta. ``normalize=False`` returns the raw values.

    Limits: ``beta = 0`` gives uniform weights; ``beta -> 1`` gives ``w_k -> 1 / n_k``
    (inverse frequency, up to scale).
    """
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta}")
    n = _counts64(counts)
    one_minus_beta_n = -torch.expm1(n * math.log1p(-(1.0 - beta))) if beta > 0 else torch.ones_like(n)
    w = (1.0 - beta) / one_minus_beta_n
    if normalize:
        w = w * (n.numel() / w.sum())
    return w.to(dtype)


def inverse_frequency_weights(counts: Counts, dtype: torch.dtype = torch.float32) -> Tensor:
    """DCRNet weights ``w_i = N / (C n_i)`` (Abdeldayem et al. 2025, Eq. 7), not renormalised.

    ``N = sum_i n_i`` and ``C`` is the number of classes; a balanced data set gets all ones.
    """
    n = _counts64(counts)
    return (n.sum() / (n.numel() * n)).to(dtype)


def smooth_targets(
    y: Tensor, n_classes: int, eps: float = 0.0, dtype: torch.dtype = torch.float32
) -> Tensor:
    """Label smoothing ``t_ik = (1 - eps) 1[y_i = k] + eps / K`` (Suwartono et al. Sec. 3.2).

    ``y`` holds class indices of shape ``(N,)``; returns targets of shape ``(N, K)``.
    """
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"eps must be in [0, 1], got {eps}")
    onehot = F.one_hot(y.long(), n_classes).to(dtype)
    return (1.0 - eps) * onehot + eps / n_classes


# ----------------------------------------------------------------------------------------
# shared helpers
# ----------------------------------------------------------------------------------------


def _prepare(
    logits: Tensor, t: Tensor, weight: Tensor | None
) -> tuple[Tensor, Tensor, Tensor | None]:
    """Check shapes and cast logits, targets and weights to the compute dtype."""
    if logits.ndim != 2 or t.shape != logits.shape:
        raise ValueError(f"need logits and targets of equal shape (N, K), got "
                         f"{tuple(logits.shape)} and {tuple(t.shape)}")
    dtype = _compute_dtype(logits.dtype)
    z = logits.to(dtype)
    t = t.to(device=z.device, dtype=dtype)
    if weight is not None:
        weight = torch.as_tensor(weight).to(device=z.device, dtype=dtype)
        if weight.shape != (z.shape[1],):
            raise ValueError(f"weight must have shape ({z.shape[1]},), got {tuple(weight.shape)}")
    return z, t, weight


def _expect(t: Tensor, per_class: Tensor, weight: Tensor | None = None) -> Tensor:
    """Per-sample ``sum_k t_k w_k l_k``, skipping ``t_k == 0`` (so ``0 * inf`` is not NaN)."""
    tw = t if weight is None else t * weight
    return torch.where(t > 0, tw * per_class, 0).sum(dim=-1)


def _reduce(per_sample: Tensor, t: Tensor, weight: Tensor | None, normalize: Normalize) -> Tensor:
    """Batch mean with the denominator chosen by ``normalize`` (see the module docstring)."""
    if normalize == "batch" or (normalize == "weights" and weight is None):
        return per_sample.mean()
    if normalize == "weights":
        return per_sample.sum() / (t @ weight).sum()
    raise ValueError(f"normalize must be 'batch' or 'weights', got {normalize!r}")


def _one_minus(p: Tensor) -> Tensor:
    """``1 - p`` clamped at 0 (rounding can put a sparsemax entry a hair above 1)."""
    return (1.0 - p).clamp_min(0.0)


def _focal_factor(one_minus_p: Tensor, gamma: float) -> Tensor:
    """``(1 - p)^gamma``; ``gamma = 0`` gives exactly 1 (and a zero, not NaN, gradient)."""
    if gamma == 0:
        return torch.ones_like(one_minus_p)
    return one_minus_p.pow(gamma)


# ----------------------------------------------------------------------------------------
# cross-entropy, focal, hybrid
# ----------------------------------------------------------------------------------------


def soft_cross_entropy(
    logits: Tensor, t: Tensor, weight: Tensor | None = None, normalize: Normalize = "batch"
) -> Tensor:
    """Weighted soft-target cross-entropy ``-sum_k w_k t_k log softmax(z)_k``, batch mean.

    DCRNet (Eq. 7 weights), AMACNN (weighted CE part), and the "ce" baseline. With one-hot
    targets and ``weight=w`` it equals ``F.cross_entropy(z, y, weight=w)`` for
    ``normalize="weights"`` (PyTorch divides by ``sum_i w_{y_i}``) and
    ``F.cross_entropy(z, y, weight=w, reduction="sum") / N`` for ``normalize="batch"``.
    """
    z, t, weight = _prepare(logits, t, weight)
    per_sample = _expect(t, -F.log_softmax(z, dim=-1), weight)
    return _reduce(per_sample, t, weight, normalize)


def focal_loss(
    logits: Tensor,
    t: Tensor,
    gamma: float = 2.0,
    alpha: float | Tensor | None = None,
    weight: Tensor | None = None,
    normalize: Normalize = "batch",
) -> Tensor:
    """Multi-class softmax focal loss (Lin et al. 2017, Eq. 5), soft targets, batch mean.

    ``l_k = -alpha_k (1 - p_k)^gamma log p_k`` with ``p = softmax(z)``, combined as
    ``sum_k t_k w_k l_k``. ``alpha`` is a scalar (a constant factor, as in AMACNN's 0.25) or a
    per-class vector; ``None`` means 1. ``gamma = 0`` and ``alpha = None`` give
    :func:`soft_cross_entropy`. (``torchvision.ops.sigmoid_focal_loss`` is NOT a valid
    reference: it is the binary/one-vs-rest sigmoid form with ``alpha`` for positives and
    ``1 - alpha`` for negatives, a different loss from the softmax multi-class one.)
    """
    z, t, weight = _prepare(logits, t, weight)
    log_p = F.log_softmax(z, dim=-1)
    one_minus_p = -torch.expm1(log_p)  # 1 - p without cancellation
    per_class = -_focal_factor(one_minus_p, gamma) * log_p
    if alpha is not None:
        per_class = per_class * torch.as_tensor(alpha, dtype=z.dtype, device=z.device)
    return _reduce(_expect(t, per_class, weight), t, weight, normalize)


def hybrid_ce_focal(
    logits: Tensor,
    t: Tensor,
    weight: Tensor | None = None,
    gamma: float = 2.0,
    alpha: float | Tensor | None = 0.25,
    mix: float = 0.5,
    normalize: Normalize = "batch",
) -> Tensor:
    """AMACNN hybrid loss ``mix * CE_w + (1 - mix) * focal(gamma, alpha)``.

    Ali Jabaar et al. (AMACNN), Sec. 3 and Table 2: "a combination of weighted cross-entropy
    loss and focal loss", gamma = 2, alpha = 0.25. The paper gives NO mixing weight (nor the
    class weights of the CE part); ``mix = 0.5`` is our assumption. The class weights apply to
    the CE term only (the paper calls only the CE part weighted); the focal term is balanced
    by ``alpha`` alone, so with scalar alpha = 0.25 it enters at a quarter scale.
    """
    ce = soft_cross_entropy(logits, t, weight=weight, normalize=normalize)
    fl = focal_loss(logits, t, gamma=gamma, alpha=alpha, weight=None, normalize=normalize)
    return mix * ce + (1.0 - mix) * fl


# ----------------------------------------------------------------------------------------
# Poly-Focal loss (Suwartono et al. 2025) and the minimal fix
# ----------------------------------------------------------------------------------------


def poly_focal_loss(
    logits: Tensor,
    t: Tensor,
    gamma: float = 2.0,
    lam: float = 1.0,
    weight: Tensor | None = None,
    output: Output = "sparsemax",
    eps: float = 0.0,
    normalize: Normalize = "batch",
) -> Tensor:
    """Poly-Focal loss EXACTLY as Suwartono et al. 2025 write it (Sec. 2, 3 and 3.4).

    ``p = output(z)``, ``L_k = -(1 - p_k)^gamma log p_k + lam (1 - p_k)``, per sample
    ``sum_k t_k w_k L_k`` (``= w_y L_y`` for one-hot targets; gamma = 2, lam = 1 in the paper).

    With ``output="sparsemax"`` (the paper's choice) ``p_y`` is exactly 0 whenever the true
    class falls outside the support, so ``-log p_y = +inf``. Under label smoothing every class
    has ``t_k > 0``, so every sample whose support is not all ``K`` classes is infinite. With
    ``eps = 0`` (the formula as written) this returns ``inf``; it is deliberately not hidden.

    ``eps > 0`` evaluates ``log(max(p, eps))``: the value is finite, but the gradient with
    respect to the logits through ``p_y`` is still exactly zero when ``y`` is outside the
    support, because the sparsemax Jacobian column of an off-support class is zero (the same
    holds for ``log(p + eps)`` and for the ``lam (1 - p_y)`` term). The claim that
    ``lam (1 - p_y)`` "guides gradient flow when p_y -> 0" is therefore false under sparsemax:
    the worst-classified samples contribute no gradient at all. Note also that the backward
    pass of an infinite loss returns finite gradients (the off-support terms are dropped), so
    a training loop that does not check the loss value trains on silently without them.
    """
    z, t, weight = _prepare(logits, t, weight)
    p = output_probs(z, output)
    if eps > 0:
        log_p = torch.log(p.clamp_min(eps))
    elif output == "softmax":
        log_p = F.log_softmax(z, dim=-1)
    else:
        log_p = torch.log(p)
    one_minus_p = _one_minus(p)
    per_class = -_focal_factor(one_minus_p, gamma) * log_p + lam * one_minus_p
    return _reduce(_expect(t, per_class, weight), t, weight, normalize)


class _SparsemaxLossFunction(torch.autograd.Function):
    """Per-sample sparsemax loss with the exact gradient ``p - t`` (and ``t - z`` for t)."""

    @staticmethod
    def forward(ctx, z: Tensor, t: Tensor) -> Tensor:  # type: ignore[override]
        p, tau = _sparsemax_last(z)
        # = -t.z + 1/2 sum_{j in S}(z_j^2 - tau^2) + 1/2 ||t||^2, in a form without cancellation
        loss = 0.5 * ((p - t) ** 2).sum(-1) + (t * (tau - z).clamp_min(0)).sum(-1)
        ctx.save_for_backward(z, t, p)
        return loss

    @staticmethod
    def backward(ctx, g: Tensor) -> tuple[Tensor | None, Tensor | None]:  # type: ignore[override]
        z, t, p = ctx.saved_tensors
        g = g.unsqueeze(-1)
        grad_z = g * (p - t) if ctx.needs_input_grad[0] else None
        grad_t = g * (t - z) if ctx.needs_input_grad[1] else None
        return grad_z, grad_t


def sparsemax_loss(logits: Tensor, t: Tensor) -> Tensor:
    """Per-sample sparsemax loss (Martins & Astudillo 2016, Eq. 18), soft-target form.

    ``L(z, t) = -t.z + 1/2 sum_{j in S(z)} (z_j^2 - tau^2) + 1/2 ||t||^2``, which equals
    ``1/2 ||p - t||^2 + sum_{j not in S} t_j (tau - z_j)`` with ``p = sparsemax(z)`` (the form
    computed, free of cancellation). It is >= 0, zero iff ``p = t``, and has gradient
    ``p - t``. For one-hot ``t = e_y`` it is Martins & Astudillo's loss; outside the support it
    grows linearly with the gap ``tau - z_y`` (a hinge), where ``-log p_y`` is infinite.
    Returns shape ``(N,)``.
    """
    z, t, _ = _prepare(logits, t, None)
    return _SparsemaxLossFunction.apply(z, t)


def poly_focal_sparsemax_fixed(
    logits: Tensor,
    t: Tensor,
    gamma: float = 2.0,
    lam: float = 1.0,
    weight: Tensor | None = None,
    normalize: Normalize = "batch",
) -> Tensor:
    """Minimal fix of the Poly-Focal/sparsemax loss (ours, not in Suwartono et al. 2025).

    One-hot form: ``w_y [ sg((1 - p_y)^gamma) L_sparsemax(z, y) + lam (1 - p_y) ]`` with
    ``p = sparsemax(z)`` and ``sg`` = stop-gradient. Soft targets: the focal factor is the
    target expectation ``sg(sum_k t_k w_k (1 - p_k)^gamma)`` times ``L_sparsemax(z, t)`` (see
    :func:`sparsemax_loss`), plus ``lam sum_k t_k w_k (1 - p_k)``.

    Why this is the smallest change that keeps the paper's intent: the only broken piece is
    ``-log p_y``, which is infinite with zero gradient for every class sparsemax removes.
    ``L_sparsemax`` is to sparsemax what ``-log softmax_y`` is to softmax (both are
    Fenchel-Young losses with gradient ``p - t``): finite, convex, zero once ``y`` wins by a
    margin of 1, and with a non-zero gradient for every misclassified sample. Swapping it in
    keeps (i) sparse outputs in training and evaluation, (ii) focal emphasis, since
    ``(1 - p_y)^gamma`` still up-weights samples with low ``p_y``, (iii) the polynomial term
    ``lam (1 - p_y)`` and (iv) the class-balanced ``w_y``. The focal factor is detached so it
    only re-weights samples: differentiating it through sparsemax would add a term that is
    again zero off the support and could oppose ``p - t`` on it; detached, the gradient is
    ``w_y (1 - p_y)^gamma (p - t)`` plus the polynomial term's. The ``lam (1 - p_y)`` term
    still gives no gradient when ``y`` is off the support; the sparsemax loss does.
    """
    z, t, weight = _prepare(logits, t, weight)
    p = sparsemax(z)
    one_minus_p = _one_minus(p)
    focal = _expect(t, _focal_factor(one_minus_p.detach(), gamma), weight)
    poly = _expect(t, lam * one_minus_p, weight)
    per_sample = focal * _SparsemaxLossFunction.apply(z, t) + poly
    return _reduce(per_sample, t, weight, normalize)


# ----------------------------------------------------------------------------------------
# registry
# ----------------------------------------------------------------------------------------

LOSSES: dict[str, Callable[..., Tensor]] = {
    "ce": soft_cross_entropy,
    "focal": focal_loss,
    "hybrid": hybrid_ce_focal,
    "poly_focal": poly_focal_loss,
    "poly_focal_fixed": poly_focal_sparsemax_fixed,
}


def make_loss(name: str, **kwargs: object) -> Callable[[Tensor, Tensor], Tensor]:
    """Loss ``(logits, soft_targets) -> scalar`` by name, with ``kwargs`` (e.g. ``weight``) bound.

    Names: ``"ce"``, ``"focal"``, ``"hybrid"``, ``"poly_focal"``, ``"poly_focal_fixed"``.
    Unknown keyword arguments raise ``TypeError`` here, not at the first training step.
    """
    try:
        fn = LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose from {sorted(LOSSES)}") from None
    inspect.signature(fn).bind(None, None, **kwargs)  # fail early on a bad keyword
    return functools.partial(fn, **kwargs)
