"""Tests for fer_repro.losses: sparsemax, class weights, CE/focal/hybrid and Poly-Focal."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from fer_repro.losses import (
    LOSSES,
    class_balanced_weights,
    focal_loss,
    hybrid_ce_focal,
    inverse_frequency_weights,
    make_loss,
    output_probs,
    poly_focal_loss,
    poly_focal_sparsemax_fixed,
    smooth_targets,
    soft_cross_entropy,
    sparsemax,
    sparsemax_loss,
)

try:
    import entmax
except ImportError:  # pragma: no cover - optional test dependency
    entmax = None

needs_entmax = pytest.mark.skipif(entmax is None, reason="entmax not installed")

FER2013_TRAIN_COUNTS = (3995, 436, 4097, 7215, 4830, 3171, 4965)
K = 7


def _gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# ----------------------------------------------------------------------------------------
# exact numpy references
# ----------------------------------------------------------------------------------------


def np_sparsemax_1d(z: np.ndarray) -> np.ndarray:
    """Simplex projection by Michelot's (1986) algorithm: exact, and sort-free, so it is an
    independent check of the sort-based implementation (Martins & Astudillo 2016, Alg. 1)."""
    z = np.asarray(z, dtype=np.float64)
    support = np.ones(z.shape, dtype=bool)
    while True:
        tau = (z[support].sum() - 1.0) / support.sum()
        new = support & (z > tau)
        if new.sum() == support.sum():
            return np.where(support, z - tau, 0.0)
        support = new


def np_sparsemax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.apply_along_axis(np_sparsemax_1d, axis, np.asarray(z, dtype=np.float64))


def np_sparsemax_jacobian(p: np.ndarray) -> np.ndarray:
    """Martins & Astudillo 2016, Eq. 12: J = diag(s) - s s^T / |S|."""
    s = (p > 0).astype(np.float64)
    return np.diag(s) - np.outer(s, s) / s.sum()


def np_sparsemax_loss(z: np.ndarray, t: np.ndarray) -> float:
    """-t.z + 1/2 sum_{j in S} (z_j^2 - tau^2) + 1/2 ||t||^2 (Martins & Astudillo Eq. 18)."""
    p = np_sparsemax_1d(z)
    s = p > 0
    tau = (z[s].sum() - 1.0) / s.sum()
    return float(-t @ z + 0.5 * (z[s] ** 2 - tau**2).sum() + 0.5 * t @ t)


# ----------------------------------------------------------------------------------------
# sparsemax
# ----------------------------------------------------------------------------------------

SHAPES_DIMS = [((7,), 0), ((5, 7), -1), ((5, 7), 0), ((2, 3, 4), 1), ((3, 4, 6), -1)]


@pytest.mark.parametrize("shape,dim", SHAPES_DIMS)
@pytest.mark.parametrize("scale", [0.01, 1.0, 100.0])
def test_sparsemax_matches_exact_reference(shape, dim, scale):
    z = torch.randn(shape, generator=_gen(1), dtype=torch.float64) * scale
    p = sparsemax(z, dim=dim)
    ref = np_sparsemax(z.numpy(), axis=dim)
    np.testing.assert_allclose(p.numpy(), ref, rtol=0, atol=1e-12)


@needs_entmax
@pytest.mark.parametrize("shape,dim", SHAPES_DIMS)
@pytest.mark.parametrize("scale", [0.01, 1.0, 100.0])
def test_sparsemax_matches_entmax_values_and_gradients(shape, dim, scale):
    z = (torch.randn(shape, generator=_gen(2), dtype=torch.float64) * scale).requires_grad_()
    z_ref = z.detach().clone().requires_grad_()
    p, p_ref = sparsemax(z, dim=dim), entmax.sparsemax(z_ref, dim=dim)
    torch.testing.assert_close(p, p_ref, rtol=0, atol=1e-12)
    g = torch.randn(shape, generator=_gen(3), dtype=torch.float64)
    (p * g).sum().backward()
    (p_ref * g).sum().backward()
    torch.testing.assert_close(z.grad, z_ref.grad, rtol=0, atol=1e-12)


def test_sparsemax_ties_by_hand():
    z = torch.tensor(
        [
            [0.0, 0.0, 0.0, 0.0],  # all tied: uniform
            [1.0, 1.0, -5.0, -5.0],  # tied maxima: split evenly
            [2.0, 1.0, 1.0, 0.0],  # tied runners-up exactly at the threshold tau = 1
            [0.5, 0.5, 0.5, -1.0],  # three-way tie in the support
        ],
        dtype=torch.float64,
    )
    expected = torch.tensor(
        [
            [0.25, 0.25, 0.25, 0.25],
            [0.5, 0.5, 0.0, 0.0],
            [1.0, 0.0, 0.0, 0.0],
            [1 / 3, 1 / 3, 1 / 3, 0.0],
        ],
        dtype=torch.float64,
    )
    torch.testing.assert_close(sparsemax(z), expected, rtol=0, atol=1e-15)
    # random integer logits: many ties
    zi = torch.randint(-2, 3, (200, 7), generator=_gen(4)).to(torch.float64)
    np.testing.assert_allclose(sparsemax(zi).numpy(), np_sparsemax(zi.numpy()), atol=1e-12)


def test_sparsemax_is_the_simplex_projection():
    """KKT conditions of argmin ||p - z||^2 on the simplex, and sparsity."""
    z = torch.randn(500, K, generator=_gen(5), dtype=torch.float64)
    p = sparsemax(z)
    torch.testing.assert_close(p.sum(-1), torch.ones(500, dtype=torch.float64))
    assert (p >= 0).all()
    assert (p == 0).any(dim=-1).float().mean() > 0.9  # exact zeros in most rows at scale 1
    assert (p == 0).all(dim=-1).logical_not().all()
    tau = (z - p).masked_fill(p == 0, float("nan"))  # z_j - p_j = tau on the support
    tau_row = torch.nanmean(tau, dim=-1, keepdim=True)
    torch.testing.assert_close(torch.where(p > 0, z - p, tau_row), tau_row.expand_as(z))
    assert (torch.where(p == 0, z, -math.inf) <= tau_row + 1e-12).all()  # off support z <= tau


@pytest.mark.parametrize("dim", [0, -1])
def test_sparsemax_gradcheck(dim):
    z = (torch.randn(5, 7, generator=_gen(6), dtype=torch.float64) * 2).requires_grad_()
    assert torch.autograd.gradcheck(lambda x: sparsemax(x, dim=dim), (z,), eps=1e-6, atol=1e-8)


def test_sparsemax_jacobian_matches_closed_form():
    sizes = set()
    for seed in range(8):
        z = torch.randn(K, generator=_gen(10 + seed), dtype=torch.float64) * 0.5
        jac = torch.autograd.functional.jacobian(sparsemax, z)
        ref = np_sparsemax_jacobian(np_sparsemax_1d(z.numpy()))
        np.testing.assert_allclose(jac.numpy(), ref, atol=1e-12)
        sizes.add(int((sparsemax(z) > 0).sum()))
    assert len(sizes - {1, K}) >= 2  # non-trivial supports of several sizes were exercised


def test_sparsemax_backward_drops_nonfinite_offsupport_gradients():
    z = torch.tensor([[3.0, 2.5, -1.0, -2.0]], requires_grad=True)
    p = sparsemax(z)
    assert p[0, 2] == 0 and p[0, 3] == 0
    g = torch.tensor([[1.0, -1.0, math.nan, math.inf]])
    p.backward(g)
    torch.testing.assert_close(z.grad, torch.tensor([[1.0, -1.0, 0.0, 0.0]]))


def test_sparsemax_low_precision_input_computes_in_float32():
    z = (torch.randn(8, K, generator=_gen(7)) * 2).to(torch.bfloat16).requires_grad_()
    p = sparsemax(z)
    assert p.dtype == torch.float32
    torch.testing.assert_close(p, sparsemax(z.detach().float()), rtol=0, atol=0)
    torch.testing.assert_close(p.sum(-1), torch.ones(8))
    p[:, 0].sum().backward()
    assert z.grad.dtype == torch.bfloat16 and torch.isfinite(z.grad.float()).all()


def test_output_probs():
    z = torch.randn(4, K, generator=_gen(8))
    torch.testing.assert_close(output_probs(z), torch.softmax(z, -1))
    torch.testing.assert_close(output_probs(z, "sparsemax"), sparsemax(z))
    assert output_probs(z.bfloat16()).dtype == torch.float32
    with pytest.raises(ValueError):
        output_probs(z, "entmax15")


# ----------------------------------------------------------------------------------------
# class weights and targets
# ----------------------------------------------------------------------------------------


def test_class_balanced_weights_fer2013_by_hand():
    beta = 0.999
    raw = [(1 - beta) / (1 - beta**n) for n in FER2013_TRAIN_COUNTS]
    hand = [K * r / sum(raw) for r in raw]
    w = class_balanced_weights(FER2013_TRAIN_COUNTS, beta=beta, dtype=torch.float64)
    np.testing.assert_allclose(w.numpy(), hand, rtol=1e-10)
    np.testing.assert_allclose(
        w.numpy(), [0.7991, 2.2189, 0.7977, 0.7850, 0.7907, 0.8187, 0.7899], atol=1e-4
    )
    assert w.sum().item() == pytest.approx(K)
    w_raw = class_balanced_weights(FER2013_TRAIN_COUNTS, beta, normalize=False,
                                   dtype=torch.float64)
    np.testing.assert_allclose(w_raw.numpy(), raw, rtol=1e-10)
    assert w_raw.max().item() == pytest.approx(0.0028287, abs=1e-7)  # disgust: the raw scale
    # disgust / happy: only 2.83x, versus 16.5x for inverse frequency
    assert (w[1] / w[3]).item() == pytest.approx(2.8266, abs=1e-4)
    assert class_balanced_weights(FER2013_TRAIN_COUNTS).dtype == torch.float32


def test_class_balanced_weights_limits():
    n = np.array(FER2013_TRAIN_COUNTS, dtype=np.float64)
    w0 = class_balanced_weights(n, beta=0.0, dtype=torch.float64)
    np.testing.assert_allclose(w0.numpy(), np.ones(K), rtol=1e-12)
    w1 = class_balanced_weights(n, beta=1 - 1e-10, dtype=torch.float64)
    inv = (1 / n) * K / (1 / n).sum()
    np.testing.assert_allclose(w1.numpy(), inv, rtol=1e-5)
    np.testing.assert_allclose(
        inverse_frequency_weights(n, torch.float64).numpy() / w1.numpy(),
        np.full(K, (n.sum() / (K * n)).sum() / K),
        rtol=1e-5,
    )
    with pytest.raises(ValueError):
        class_balanced_weights(n, beta=1.0)
    with pytest.raises(ValueError):
        class_balanced_weights([10, 0, 5])


def test_inverse_frequency_weights():
    w = inverse_frequency_weights(FER2013_TRAIN_COUNTS, torch.float64)
    n_total = sum(FER2013_TRAIN_COUNTS)
    assert n_total == 28709
    np.testing.assert_allclose(w.numpy(), [n_total / (K * n) for n in FER2013_TRAIN_COUNTS])
    assert w[1].item() == pytest.approx(9.4066, abs=1e-4)  # disgust
    # every class gets the same total weight N / C
    np.testing.assert_allclose(w.numpy() * np.array(FER2013_TRAIN_COUNTS), n_total / K)
    np.testing.assert_allclose(inverse_frequency_weights([50, 50, 50]).numpy(), np.ones(3))


def test_smooth_targets():
    y = torch.tensor([0, 3, 6])
    t = smooth_targets(y, K, 0.05)
    assert t.shape == (3, K) and t.dtype == torch.float32
    torch.testing.assert_close(t.sum(-1), torch.ones(3))
    assert t[1, 3].item() == pytest.approx(0.95 + 0.05 / K)
    assert t[1, 0].item() == pytest.approx(0.05 / K)
    torch.testing.assert_close(smooth_targets(y, K, 0.0), F.one_hot(y, K).float())
    t64 = smooth_targets(y, K, 0.05, dtype=torch.float64)
    assert t64.dtype == torch.float64
    torch.testing.assert_close(t64.sum(-1), torch.ones(3, dtype=torch.float64), rtol=0, atol=1e-15)


# ----------------------------------------------------------------------------------------
# cross-entropy, focal, hybrid
# ----------------------------------------------------------------------------------------


def _batch(n: int = 32, seed: int = 20, scale: float = 2.0):
    z = torch.randn(n, K, generator=_gen(seed), dtype=torch.float64) * scale
    y = torch.randint(0, K, (n,), generator=_gen(seed + 1))
    return z, y, F.one_hot(y, K).to(torch.float64)


W = class_balanced_weights(FER2013_TRAIN_COUNTS, dtype=torch.float64)


def test_ce_matches_torch_unweighted():
    z, y, t = _batch()
    torch.testing.assert_close(soft_cross_entropy(z, t), F.cross_entropy(z, y))
    torch.testing.assert_close(soft_cross_entropy(z, t, normalize="weights"),
                               F.cross_entropy(z, y))


def test_ce_weight_normalisation_matches_torch():
    z, y, t = _batch()
    by_weights = soft_cross_entropy(z, t, weight=W, normalize="weights")
    by_batch = soft_cross_entropy(z, t, weight=W, normalize="batch")
    torch.testing.assert_close(by_weights, F.cross_entropy(z, y, weight=W))
    torch.testing.assert_close(by_batch, F.cross_entropy(z, y, weight=W, reduction="sum") / len(y))
    assert not torch.isclose(by_weights, by_batch)  # the choice matters
    torch.testing.assert_close(by_batch * len(y) / W[y].sum(), by_weights)


def test_ce_gradient_matches_torch():
    z, y, t = _batch()
    z1, z2 = z.clone().requires_grad_(), z.clone().requires_grad_()
    soft_cross_entropy(z1, t, weight=W, normalize="weights").backward()
    F.cross_entropy(z2, y, weight=W).backward()
    torch.testing.assert_close(z1.grad, z2.grad)


def test_ce_label_smoothing_matches_torch():
    z, y, _ = _batch()
    eps = 0.1
    t = smooth_targets(y, K, eps, dtype=torch.float64)
    torch.testing.assert_close(soft_cross_entropy(z, t), F.cross_entropy(z, y, label_smoothing=eps))
    # probability targets + weight: PyTorch divides by N
    torch.testing.assert_close(soft_cross_entropy(z, t, weight=W), F.cross_entropy(z, t, weight=W))
    # class-index targets + weight + label_smoothing: PyTorch divides by sum_i w_{y_i}
    torch.testing.assert_close(
        soft_cross_entropy(z, t, weight=W) * len(y) / W[y].sum(),
        F.cross_entropy(z, y, weight=W, label_smoothing=eps),
    )


def test_ce_mixup_targets_mix_the_losses():
    z, y, t = _batch(n=1)
    y2 = (y + 3) % K
    lam = 0.3
    t_mix = lam * t + (1 - lam) * F.one_hot(y2, K).to(torch.float64)
    expected = lam * F.cross_entropy(z, y) + (1 - lam) * F.cross_entropy(z, y2)
    torch.testing.assert_close(soft_cross_entropy(z, t_mix), expected)


def _direct_focal(z, t, gamma, alpha, weight):
    """Lin et al. 2017 multi-class focal loss, written out per sample and class."""
    p = torch.softmax(z, -1)
    total = 0.0
    for i in range(z.shape[0]):
        for k in range(z.shape[1]):
            if t[i, k] > 0:
                a = 1.0 if alpha is None else float(torch.as_tensor(alpha).expand(K)[k])
                w = 1.0 if weight is None else float(weight[k])
                total += t[i, k] * w * -a * (1 - p[i, k]) ** gamma * math.log(p[i, k])
    return total / z.shape[0]


@pytest.mark.parametrize("gamma", [0.5, 2.0, 3.0])
@pytest.mark.parametrize("alpha", [None, 0.25, torch.linspace(0.1, 0.9, K, dtype=torch.float64)])
def test_focal_matches_direct_formula(gamma, alpha):
    z, y, _ = _batch(n=6, seed=30)
    t = smooth_targets(y, K, 0.2, dtype=torch.float64)
    got = focal_loss(z, t, gamma=gamma, alpha=alpha, weight=W)
    torch.testing.assert_close(got, torch.as_tensor(_direct_focal(z, t, gamma, alpha, W)))


def test_focal_gamma0_is_ce_and_gamma_reduces_it():
    z, _, t = _batch()
    for normalize in ("batch", "weights"):
        torch.testing.assert_close(
            focal_loss(z, t, gamma=0.0, weight=W, normalize=normalize),
            soft_cross_entropy(z, t, weight=W, normalize=normalize),
        )
    assert focal_loss(z, t, gamma=2.0) < soft_cross_entropy(z, t)
    zg = z.clone().requires_grad_()
    focal_loss(zg, t, gamma=0.0).backward()  # gamma = 0 must not give NaN gradients
    assert torch.isfinite(zg.grad).all()


def test_hybrid_limits():
    z, y, _ = _batch()
    t = smooth_targets(y, K, 0.05, dtype=torch.float64)
    ce = soft_cross_entropy(z, t, weight=W)
    fl = focal_loss(z, t, gamma=2.0, alpha=0.25)
    torch.testing.assert_close(hybrid_ce_focal(z, t, weight=W, mix=1.0), ce)
    torch.testing.assert_close(hybrid_ce_focal(z, t, weight=W, mix=0.0), fl)
    torch.testing.assert_close(hybrid_ce_focal(z, t, weight=W, mix=0.3), 0.3 * ce + 0.7 * fl)


# ----------------------------------------------------------------------------------------
# Poly-Focal loss as written in the paper
# ----------------------------------------------------------------------------------------


def _direct_poly_focal(p, y, gamma, lam, weight):
    """w_y [-(1 - p_y)^gamma log p_y + lam (1 - p_y)] for one-hot labels, batch mean."""
    vals = []
    for i, k in enumerate(y.tolist()):
        pk = float(p[i, k])
        vals.append(float(weight[k]) * (-((1 - pk) ** gamma) * math.log(pk) + lam * (1 - pk)))
    return sum(vals) / len(vals)


def test_poly_focal_softmax_matches_formula():
    z, y, t = _batch(n=8, seed=40)
    got = poly_focal_loss(z, t, gamma=2.0, lam=1.0, weight=W, output="softmax")
    expected = _direct_poly_focal(torch.softmax(z, -1), y, 2.0, 1.0, W)
    assert got.item() == pytest.approx(expected, rel=1e-12)
    assert torch.isfinite(got)


def test_poly_focal_sparsemax_matches_formula_when_label_in_support():
    z, _, _ = _batch(n=64, seed=41, scale=1.0)
    p = sparsemax(z)
    y = p.argmax(-1)  # the top class is always in the support
    t = F.one_hot(y, K).to(torch.float64)
    got = poly_focal_loss(z, t, weight=W)
    assert torch.isfinite(got)
    assert got.item() == pytest.approx(_direct_poly_focal(p, y, 2.0, 1.0, W), rel=1e-12)
    # normalize="weights" divides by sum_i w_{y_i}
    torch.testing.assert_close(poly_focal_loss(z, t, weight=W, normalize="weights"),
                               got * len(y) / W[y].sum())


def test_poly_focal_sparsemax_is_infinite_as_written():
    # one-hot label outside the support: p_y = 0 exactly, -log p_y = inf
    z = torch.tensor([[3.0, 1.0, 0.0, -1.0, 0.5, 0.2, 0.1]])
    assert sparsemax(z)[0, 3] == 0
    t_wrong = F.one_hot(torch.tensor([3]), K).float()
    assert torch.isinf(poly_focal_loss(z, t_wrong))
    # label smoothing: even a correct, confident prediction is infinite
    t_right_smoothed = smooth_targets(torch.tensor([0]), K, 0.05)
    assert sparsemax(z)[0, 0] == 1
    assert torch.isfinite(poly_focal_loss(z, F.one_hot(torch.tensor([0]), K).float()))
    assert torch.isinf(poly_focal_loss(z, t_right_smoothed))
    # near-initialisation logits (std 0.1), a batch of 64 with eps = 0.05: infinite
    zb = torch.randn(64, K, generator=_gen(42)) * 0.1
    tb = smooth_targets(torch.randint(0, K, (64,), generator=_gen(43)), K, 0.05)
    assert (sparsemax(zb) == 0).any()
    loss = poly_focal_loss(zb, tb, weight=W.float())
    assert torch.isinf(loss)
    # ... yet backward gives finite gradients: the infinite terms silently drop out
    zg = zb.clone().requires_grad_()
    poly_focal_loss(zg, tb, weight=W.float()).backward()
    assert torch.isfinite(zg.grad).all()


def test_poly_focal_clamped_has_zero_gradient_off_support():
    z0 = torch.tensor([[2.0, 1.5, 0.0, -1.0, 0.5, 0.2, 0.1]], dtype=torch.float64)
    t_off = F.one_hot(torch.tensor([3]), K).to(torch.float64)  # p = (.75, .25, 0, ...)
    t_on = F.one_hot(torch.tensor([1]), K).to(torch.float64)  # p_1 > 0
    assert sparsemax(z0)[0, 3] == 0 and sparsemax(z0)[0, 1] > 0

    def grad(t, **kw):
        z = z0.clone().requires_grad_()
        loss = poly_focal_loss(z, t, **kw)
        loss.backward()
        return loss, z.grad

    for gamma, lam in [(2.0, 1.0), (0.0, 1.0), (2.0, 2.0)]:
        loss, g = grad(t_off, gamma=gamma, lam=lam, eps=1e-7)
        assert torch.isfinite(loss) and loss > 15  # -log(1e-7) = 16.1 (+ lam)
        assert torch.count_nonzero(g) == 0, "misclassified sample must get zero gradient"
    # the same sample does get a gradient when y is in the support, or with softmax
    assert torch.count_nonzero(grad(t_on, eps=1e-7)[1]) > 0
    assert torch.count_nonzero(grad(t_off, output="softmax")[1]) == K
    # independently of our Function: log(p + eps) through autograd's own Jacobian of the
    # sort-based formula is zero too
    z = z0.clone().requires_grad_()
    p = sparsemax(z)[0, 3]
    (-(1 - p) ** 2 * torch.log(p + 1e-7) + (1 - p)).backward()
    assert torch.count_nonzero(z.grad) == 0


# ----------------------------------------------------------------------------------------
# sparsemax loss and the fixed Poly-Focal loss
# ----------------------------------------------------------------------------------------


def test_sparsemax_loss_matches_formula():
    z, y, t1 = _batch(n=40, seed=50, scale=1.5)
    for t in (t1, smooth_targets(y, K, 0.05, dtype=torch.float64)):
        got = sparsemax_loss(z, t)
        ref = [np_sparsemax_loss(z[i].numpy(), t[i].numpy()) for i in range(len(z))]
        np.testing.assert_allclose(got.numpy(), ref, atol=1e-12)
        assert (got >= 0).all()
    # zero once y wins by a margin >= 1
    z_sep = torch.tensor([[2.0, 1.0, 0.5, -3.0, 0.0, 0.0, 1.0]], dtype=torch.float64)
    assert sparsemax_loss(z_sep, F.one_hot(torch.tensor([0]), K).double()).item() == 0.0


@needs_entmax
def test_sparsemax_loss_matches_entmax():
    z, y, t = _batch(n=40, seed=51, scale=1.5)
    torch.testing.assert_close(sparsemax_loss(z, t), entmax.sparsemax_loss(z, y))


def test_sparsemax_loss_gradient():
    z, y, _ = _batch(n=5, seed=52, scale=1.5)
    t = smooth_targets(y, K, 0.1, dtype=torch.float64)
    zg = z.clone().requires_grad_()
    assert torch.autograd.gradcheck(lambda x: sparsemax_loss(x, t), (zg,), eps=1e-6, atol=1e-8)
    sparsemax_loss(zg, t).sum().backward()
    torch.testing.assert_close(zg.grad, sparsemax(z) - t)


def test_fixed_loss_finite_with_gradient_off_support():
    z0 = torch.tensor([[3.0, 1.0, 0.0, -1.0, 0.5, 0.2, 0.1]], dtype=torch.float64)
    t = F.one_hot(torch.tensor([3]), K).to(torch.float64)
    z = z0.clone().requires_grad_()
    loss = poly_focal_sparsemax_fixed(z, t, weight=W)
    loss.backward()
    assert torch.isfinite(loss) and loss > 0
    # p_y = 0: focal factor 1, the poly term has zero gradient -> grad = w_y (p - e_y)
    torch.testing.assert_close(z.grad, W[3] * (sparsemax(z0) - t))
    assert z.grad[0, 3] < 0  # pushes the true logit up
    # label-smoothed batch at near-init and at large scale: finite everywhere
    for scale in (0.1, 5.0):
        zb = (torch.randn(64, K, generator=_gen(53)) * scale).requires_grad_()
        tb = smooth_targets(torch.randint(0, K, (64,), generator=_gen(54)), K, 0.05)
        lb = poly_focal_sparsemax_fixed(zb, tb, weight=W.float())
        lb.backward()
        assert torch.isfinite(lb) and torch.isfinite(zb.grad).all() and zb.grad.abs().sum() > 0


def test_fixed_loss_gradient_in_support_is_reweighted_sparsemax_gradient():
    """Focal factor detached: grad = w_y [(1 - p_y)^g (p - e_y) - lam * dp_y/dz]."""
    z0 = torch.tensor([[2.0, 1.5, 0.0, -1.0, 0.5, 0.2, 0.1]], dtype=torch.float64)
    y, gamma, lam = 1, 2.0, 1.0
    t = F.one_hot(torch.tensor([y]), K).to(torch.float64)
    p = np_sparsemax_1d(z0[0].numpy())
    assert 0 < p[y] < 1
    jac = np_sparsemax_jacobian(p)
    w_y = float(W[y])
    expected = w_y * ((1 - p[y]) ** gamma * (p - t[0].numpy()) - lam * jac[y])
    z = z0.clone().requires_grad_()
    poly_focal_sparsemax_fixed(z, t, gamma=gamma, lam=lam, weight=W).backward()
    np.testing.assert_allclose(z.grad[0].numpy(), expected, atol=1e-12)


def test_fixed_loss_reduces_to_sparsemax_loss_and_matches_formula():
    z, y, t = _batch(n=16, seed=55, scale=1.5)
    torch.testing.assert_close(poly_focal_sparsemax_fixed(z, t, gamma=0.0, lam=0.0),
                               sparsemax_loss(z, t).mean())
    p = sparsemax(z)
    py = p[torch.arange(16), y]
    expected = (W[y] * ((1 - py) ** 2 * sparsemax_loss(z, t) + (1 - py))).mean()
    torch.testing.assert_close(poly_focal_sparsemax_fixed(z, t, weight=W), expected)


def test_fixed_loss_decreases_under_sgd_where_paper_loss_is_stuck():
    g = _gen(60)
    centers = torch.randn(K, 4, generator=g) * 3
    y = torch.arange(K).repeat_interleave(20)
    x = centers[y] + torch.randn(len(y), 4, generator=g)
    t = smooth_targets(y, K, 0.05)
    w0 = torch.randn(4, K, generator=g)

    def train(loss_fn, steps=40, lr=0.5):
        w = w0.clone().requires_grad_()
        opt = torch.optim.SGD([w], lr=lr)
        losses = []
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(x @ w, t)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses, (x @ w).argmax(-1).eq(y).float().mean().item()

    losses, acc = train(make_loss("poly_focal_fixed", weight=torch.ones(K)))
    assert all(math.isfinite(v) for v in losses)
    assert losses[-1] < 0.5 * losses[0]
    assert acc > 0.9
    # single misclassified sample with y off the support: the paper's loss (eps-clamped)
    # never moves, the fixed loss does
    zs = torch.tensor([[3.0, 1.0, 0.0, -1.0, 0.5, 0.2, 0.1]])
    ts = F.one_hot(torch.tensor([3]), K).float()
    for fn, moves in ((make_loss("poly_focal", eps=1e-7), False),
                      (make_loss("poly_focal_fixed"), True)):
        z = zs.clone().requires_grad_()
        opt = torch.optim.SGD([z], lr=0.5)
        for _ in range(5):
            opt.zero_grad()
            fn(z, ts).backward()
            opt.step()
        assert bool((z != zs).any()) is moves


# ----------------------------------------------------------------------------------------
# registry and argument checks
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs,direct",
    [
        ("ce", {"weight": W}, lambda z, t: soft_cross_entropy(z, t, weight=W)),
        ("focal", {"gamma": 1.0, "weight": W}, lambda z, t: focal_loss(z, t, 1.0, weight=W)),
        ("hybrid", {"mix": 0.2}, lambda z, t: hybrid_ce_focal(z, t, mix=0.2)),
        ("poly_focal", {"output": "softmax", "weight": W},
         lambda z, t: poly_focal_loss(z, t, output="softmax", weight=W)),
        ("poly_focal_fixed", {"lam": 0.5, "weight": W},
         lambda z, t: poly_focal_sparsemax_fixed(z, t, lam=0.5, weight=W)),
    ],
)
def test_make_loss(name, kwargs, direct):
    z, y, _ = _batch(n=8, seed=70)
    t = smooth_targets(y, K, 0.05, dtype=torch.float64)
    loss_fn = make_loss(name, **kwargs)
    torch.testing.assert_close(loss_fn(z, t), direct(z, t))
    assert torch.isfinite(loss_fn(z, t))


def test_make_loss_and_argument_errors():
    assert set(LOSSES) == {"ce", "focal", "hybrid", "poly_focal", "poly_focal_fixed"}
    with pytest.raises(ValueError):
        make_loss("dice")
    with pytest.raises(TypeError):
        make_loss("ce", gamma=2.0)
    z, _, t = _batch(n=4)
    with pytest.raises(ValueError):
        soft_cross_entropy(z, t[:, :-1])
    with pytest.raises(ValueError):
        soft_cross_entropy(z, t, weight=W[:-1])
    with pytest.raises(ValueError):
        soft_cross_entropy(z, t, weight=W, normalize="sum")


def test_losses_accept_bfloat16_logits():
    z, y, _ = _batch(n=8, seed=80)
    t = smooth_targets(y, K, 0.05)
    zb = z.float().bfloat16().requires_grad_()
    for name in LOSSES:
        kwargs = {"eps": 1e-7} if name == "poly_focal" else {}
        loss = make_loss(name, weight=W.float(), **kwargs)(zb, t)
        assert loss.dtype == torch.float32 and torch.isfinite(loss)
        ref = make_loss(name, weight=W.float(), **kwargs)(zb.detach().float(), t)
        torch.testing.assert_close(loss, ref)
