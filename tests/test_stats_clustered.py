"""fer_repro.stats.clustered_mcnemar and format_p: hand computations, the plain McNemar test
as the one-item-per-cluster case, and the type-I error under within-cluster correlation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as ss
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from fer_repro import stats as S


def _items(per_cluster: list[tuple[int, int, int]]):
    """Labels and two prediction vectors from per-cluster counts (b_k, c_k, concordant_k):
    b_k items only A gets right, c_k only B, concordant_k both right."""
    y, a, b, g = [], [], [], []
    for k, (bk, ck, nk) in enumerate(per_cluster):
        for ra, rb, n in ((1, 0, bk), (0, 1, ck), (1, 1, nk)):
            y += [0] * n
            a += [0 if ra else 1] * n
            b += [0 if rb else 1] * n
            g += [f"s{k}"] * n
    return np.array(y), np.array(a), np.array(b), np.array(g)


CLUSTERS = [(2, 0, 1), (1, 1, 0), (0, 1, 2), (3, 0, 0)]  # d_k = 2, 0, -1, 3


def test_durkalski_by_hand():
    r = S.clustered_mcnemar(*_items(CLUSTERS))
    # sum d_k = 4, sum d_k^2 = 4 + 0 + 1 + 9 = 14
    assert (r.b, r.c, r.n_clusters, r.n_discordant_clusters) == (6, 2, 4, 3)
    assert r.statistic == pytest.approx(16 / 14)
    assert r.p_value == pytest.approx(ss.chi2.sf(16 / 14, 1))
    assert r.variance_ratio == pytest.approx(14 / 8)


def test_obuchowski_by_hand():
    r = S.clustered_mcnemar(*_items(CLUSTERS), method="obuchowski")
    n_k = np.array([3, 2, 3, 3])
    d_k = np.array([2, 0, -1, 3])
    N, K = n_k.sum(), 4
    dbar = d_k.sum() / N
    var = K / ((K - 1) * N**2) * ((d_k - n_k * dbar) ** 2).sum()
    assert r.statistic == pytest.approx(dbar**2 / var)
    assert r.p_value == pytest.approx(ss.chi2.sf(dbar**2 / var, 1))


@pytest.mark.parametrize("b,c", [(7, 2), (15, 15), (30, 12), (1, 0)])
def test_one_item_per_cluster_is_plain_mcnemar(b, c):
    rng = np.random.default_rng(b * 100 + c)
    y, pa, pb, _ = _items([(b, c, 20)])
    g = rng.permutation(len(y))  # every item its own cluster
    r = S.clustered_mcnemar(y, pa, pb, g)
    plain = S.mcnemar(y, pa, pb)
    sm = sm_mcnemar([[20, b], [c, 0]], exact=False, correction=False)
    assert r.statistic == pytest.approx(plain.statistic) == pytest.approx(sm.statistic)
    assert r.p_value == pytest.approx(plain.p_chi2)
    assert r.variance_ratio == pytest.approx(1.0)


def test_copies_within_a_cluster_are_not_new_evidence():
    """Every item repeated 3 times in its cluster (three near-identical frames): the clustered
    statistic is that of one item per cluster, the pooled McNemar statistic triples."""
    y, pa, pb, g = _items([(1, 0, 2)] * 6 + [(0, 1, 1)] * 2)
    once = S.clustered_mcnemar(y, pa, pb, g)
    rep = [np.repeat(x, 3) for x in (y, pa, pb, g)]
    thrice = S.clustered_mcnemar(*rep)
    assert thrice.statistic == pytest.approx(once.statistic)
    assert S.mcnemar(*rep[:3]).statistic == pytest.approx(3 * S.mcnemar(y, pa, pb).statistic)


def test_no_discordant_items_and_bad_input():
    r = S.clustered_mcnemar(*_items([(0, 0, 3), (0, 0, 2)]))
    assert (r.statistic, r.p_value) == (0.0, 1.0)
    with pytest.raises(ValueError):
        S.clustered_mcnemar([0, 1], [0, 1], [0, 1], [0])
    with pytest.raises(ValueError):
        S.clustered_mcnemar(*_items(CLUSTERS), method="wald")


def test_type_one_error_under_within_cluster_correlation():
    """Seeded simulation of the null (A and B equally good) with subject effects: frames of one
    subject share who is right. Plain McNemar on pooled frames rejects far too often; the
    clustered tests stay near the nominal 5%."""
    rng = np.random.default_rng(0)
    reps, K, m = 1500, 40, 6
    rej = {"plain": 0, "durkalski": 0, "obuchowski": 0}
    g = np.repeat(np.arange(K), m)
    y = np.zeros(K * m, dtype=int)
    for _ in range(reps):
        # per subject: probability that A alone / B alone is right, exchangeable between A and B
        u = rng.beta(0.5, 0.5, K)
        disc = rng.random(K) < 0.5  # half the subjects have discordant frames at all
        pa_only = np.where(disc, 0.8 * u, 0.0)
        pb_only = np.where(disc, 0.8 * (1 - u), 0.0)
        r = rng.random(K * m)
        a_only = r < np.repeat(pa_only, m)
        b_only = ~a_only & (r < np.repeat(pa_only + pb_only, m))
        pa = np.where(b_only, 1, 0)
        pb = np.where(a_only, 1, 0)
        rej["plain"] += S.mcnemar(y, pa, pb).p_chi2 < 0.05
        for meth in ("durkalski", "obuchowski"):
            rej[meth] += S.clustered_mcnemar(y, pa, pb, g, meth).p_value < 0.05
    rate = {k: v / reps for k, v in rej.items()}
    assert rate["plain"] > 0.2
    assert 0.02 < rate["durkalski"] < 0.085
    assert 0.02 < rate["obuchowski"] < 0.10


@pytest.mark.parametrize("p,want", [(1.5e-322, "< 1e-300"), (0.0, "< 1e-300"), (0.0312, "0.031"),
                                    (3.0e-12, "3e-12"), (1.0, "1"), (float("nan"), "n/a")])
def test_format_p(p, want):
    assert S.format_p(p) == want


def test_format_p_for_html_tables():
    assert S.format_p(0.0, html=True) == "&lt; 1e-300"
    assert S.format_p(0.5, html=True) == "0.5"
    assert S.format_p(0.01234, digits=3) == "0.0123"
