"""fer_repro.stats against statsmodels, scipy, hand computations and seeded simulations."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from scipy import stats as ss
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize

from fer_repro import metrics as M
from fer_repro import stats as S


def _acc(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(y == p))


def _acc_vec(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.mean(y == p, axis=-1)


def _f1(y: np.ndarray, p: np.ndarray) -> float:
    return M.macro_f1(y, p, 7)


def _f1_vec(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return M.macro_f1_from_confusion(M.batched_confusion_matrix(y, p, 7))


def _labels(seed: int, n: int, right: float = 0.7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 7, n)
    p = np.where(rng.random(n) < right, y, rng.integers(0, 7, n))
    return y, p


# ---------------------------------------------------------------------------------------
# Binomial intervals
# ---------------------------------------------------------------------------------------

COUNTS = [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (0, 3589), (3589, 3589), (2512, 3589)]


@pytest.mark.parametrize(("k", "n"), COUNTS)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels(k: int, n: int, confidence: float) -> None:
    ref = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    assert S.wilson_ci(k, n, confidence) == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize(("k", "n"), COUNTS)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_clopper_pearson_matches_statsmodels(k: int, n: int, confidence: float) -> None:
    ref = proportion_confint(k, n, alpha=1 - confidence, method="beta")
    assert S.clopper_pearson_ci(k, n, confidence) == pytest.approx(ref, abs=1e-12)


def test_binomial_interval_bounds_and_validation() -> None:
    assert S.wilson_ci(0, 20)[0] == 0.0 and S.wilson_ci(20, 20)[1] == 1.0
    assert S.clopper_pearson_ci(0, 20)[0] == 0.0 and S.clopper_pearson_ci(20, 20)[1] == 1.0
    with pytest.raises(ValueError):
        S.wilson_ci(5, 4)
    with pytest.raises(ValueError):
        S.clopper_pearson_ci(1, 4, confidence=1.5)


# ---------------------------------------------------------------------------------------
# Bootstrap against scipy.stats.bootstrap
# ---------------------------------------------------------------------------------------


def _scipy_boot(data: tuple, statistic, n_boot: int, method: str, seed: int, **kw):
    return ss.bootstrap(
        data,
        statistic,
        n_resamples=n_boot,
        method=method,
        vectorized=False,
        rng=np.random.default_rng(seed),
        **kw,
    )


@pytest.mark.parametrize("method", ["percentile", "BCa"])
@pytest.mark.parametrize("statistic", [_acc, _f1], ids=["accuracy", "macro_f1"])
def test_bootstrap_equals_scipy_on_the_same_resamples(method: str, statistic) -> None:
    """With the same seed, scipy (paired=True, one batch) draws the same index matrix
    ``rng.integers(0, n, (B, n))`` as we do; then both intervals must agree to rounding,
    which checks the quantiles, the BCa bias correction (ties counted one half) and the
    jackknife acceleration exactly. If scipy ever draws differently, the test skips and
    the independent-stream test below still applies."""
    y, p = _labels(1, 500)
    ref = _scipy_boot((y, p), statistic, 3000, method, seed=7, paired=True)
    ours = S.bootstrap_ci(statistic, y, p, n_boot=3000, method=method.lower(), seed=7)
    if not np.array_equal(ref.bootstrap_distribution, ours.distribution):
        pytest.skip("scipy's resampling stream differs from ours; compared elsewhere")
    assert ours.estimate == pytest.approx(statistic(y, p), abs=1e-15)
    assert ours.low == pytest.approx(ref.confidence_interval.low, abs=1e-12)
    assert ours.high == pytest.approx(ref.confidence_interval.high, abs=1e-12)


def test_bca_equals_scipy_on_a_skewed_statistic() -> None:
    """Variance of lognormal data: BCa moves the interval well away from the percentile
    one, so this checks the correction itself (single-sample, same resamples)."""
    x = np.random.default_rng(3).lognormal(0.0, 1.0, 60)
    ref = _scipy_boot((x,), np.var, 4000, "BCa", seed=5)
    ours = S.bootstrap_ci(np.var, x, n_boot=4000, method="bca", seed=5)
    if not np.array_equal(ref.bootstrap_distribution, ours.distribution):
        pytest.skip("scipy's resampling stream differs from ours")
    assert (ours.low, ours.high) == pytest.approx(tuple(ref.confidence_interval), rel=1e-10)
    pct = S.bootstrap_ci(np.var, x, n_boot=4000, method="percentile", seed=5)
    assert ours.low - pct.low > 0.3 and ours.high - pct.high > 1.0


@pytest.mark.parametrize("method", ["percentile", "BCa"])
def test_bootstrap_close_to_scipy_with_independent_streams(method: str) -> None:
    """Accuracy, n = 500, B = 4000, unrelated seeds.

    Tolerance: the bootstrap distribution is close to N(0.7, s^2) with
    s = sqrt(0.7 * 0.3 / 500) = 0.0205; a 2.5 % quantile from B draws has Monte Carlo SE
    sqrt(0.025 * 0.975 / B) / density = 0.0025 / (phi(1.96) / s) ~ 0.0009, so two
    independent runs differ with SD ~ 0.0012. Four of those plus the accuracy grid 1/n
    gives ~0.007.
    """
    y, p = _labels(1, 500)
    n, n_boot = 500, 4000
    s = math.sqrt(0.7 * 0.3 / n)
    se_q = math.sqrt(0.025 * 0.975 / n_boot) / (ss.norm.pdf(1.96) / s)
    tol = 4 * math.sqrt(2) * se_q + 1 / n
    ref = _scipy_boot((y, p), _acc, n_boot, method, seed=12345, paired=True)
    ours = S.bootstrap_ci(
        _acc_vec, y, p, n_boot=n_boot, method=method.lower(), seed=0, vectorized=True
    )
    assert abs(ours.low - ref.confidence_interval.low) < tol
    assert abs(ours.high - ref.confidence_interval.high) < tol
    # And the interval is not trivially wide: about 2 * 1.96 * s.
    assert ours.high - ours.low == pytest.approx(2 * 1.96 * s, rel=0.1)


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_vectorized_path_equals_generic_path(method: str) -> None:
    y, p = _labels(2, 300)
    loop = S.bootstrap_ci(_f1, y, p, n_boot=500, method=method, seed=3)
    vec = S.bootstrap_ci(_f1_vec, y, p, n_boot=500, method=method, seed=3, vectorized=True)
    np.testing.assert_allclose(vec.distribution, loop.distribution, rtol=1e-13)
    assert (vec.low, vec.high) == pytest.approx((loop.low, loop.high), rel=1e-12)


def test_bootstrap_determinism_and_result_type() -> None:
    y, p = _labels(4, 200)
    a = S.bootstrap_ci(_acc, y, p, n_boot=300, seed=1)
    b = S.bootstrap_ci(_acc, y, p, n_boot=300, seed=1)
    c = S.bootstrap_ci(_acc, y, p, n_boot=300, seed=2)
    assert a == b and a != c  # the distribution is left out of the comparison
    np.testing.assert_array_equal(a.distribution, b.distribution)
    assert a.method == "percentile" and a.n_boot == 300 and a.confidence == 0.95
    assert a.distribution.shape == (300,)
    assert a.low <= a.estimate <= a.high
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.low = 0.0  # type: ignore[misc]
    assert S.bootstrap_ci(_acc, y, p, n_boot=10, keep_distribution=False).distribution is None
    with pytest.raises(ValueError):
        S.bootstrap_ci(_acc, y, p[:-1])
    with pytest.raises(ValueError):
        S.bootstrap_ci(_acc, y, p, method="basic")  # type: ignore[arg-type]


def test_grouped_jackknife_close_to_delete_one() -> None:
    """Grouped jackknife only changes the acceleration estimate; with 100 groups the BCa
    bounds move by well under 5 % of the interval width (they are 0.1-1 % apart here)."""
    x = np.random.default_rng(3).lognormal(0.0, 1.0, 400)
    full = S.bootstrap_ci(np.var, x, n_boot=2000, method="bca", seed=0)
    grouped = S.bootstrap_ci(np.var, x, n_boot=2000, method="bca", seed=0, jackknife_max=100)
    np.testing.assert_array_equal(full.distribution, grouped.distribution)
    width = full.high - full.low
    assert abs(grouped.low - full.low) < 0.05 * width
    assert abs(grouped.high - full.high) < 0.05 * width
    assert grouped.high != full.high  # a different (grouped) acceleration was used


# ---------------------------------------------------------------------------------------
# Paired bootstrap
# ---------------------------------------------------------------------------------------


def _paired_data(b: int, c: int, both: int = 380, neither: int = 150, seed: int = 0):
    """Labels with exactly b items only A gets right and c only B gets right."""
    n = both + b + c + neither
    ok_a = np.repeat([True, True, False, False], [both, b, c, neither])
    ok_b = np.repeat([True, False, True, False], [both, b, c, neither])
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    ok_a, ok_b = ok_a[perm], ok_b[perm]
    y = rng.integers(0, 7, n)
    return y, np.where(ok_a, y, (y + 1) % 7), np.where(ok_b, y, (y + 2) % 7)


def test_paired_bootstrap_interval_equals_scipy() -> None:
    y, pa, pb = _paired_data(45, 25)

    def diff(yy, a, b):
        return _f1(yy, a) - _f1(yy, b)

    ref = _scipy_boot((y, pa, pb), diff, 2000, "percentile", seed=9, paired=True)
    ours = S.paired_bootstrap(_f1, y, pa, pb, n_boot=2000, seed=9)
    if not np.array_equal(ref.bootstrap_distribution, ours.distribution):
        pytest.skip("scipy's resampling stream differs from ours")
    assert (ours.low, ours.high) == pytest.approx(tuple(ref.confidence_interval), abs=1e-12)
    assert ours.estimate_a == pytest.approx(_f1(y, pa)) and ours.estimate_b == _f1(y, pb)
    assert ours.estimate == pytest.approx(ours.estimate_a - ours.estimate_b)


@pytest.mark.parametrize(("b", "c"), [(45, 25), (40, 30), (60, 25)])
def test_paired_bootstrap_p_value_matches_normal_theory(b: int, c: int) -> None:
    """For an accuracy difference d = (b - c)/n the bootstrap replicates are a scaled
    trinomial with variance ((b + c)/n - d^2)/n on a grid of step 1/n; counting
    |d* - d| >= |d| is then P(|N(0, var)| >= |d| - 1/(2n)) (continuity correction for
    the atom at the boundary). Monte Carlo SE of p with B = 4000 is <= 0.008; the
    normal approximation adds about as much, so 0.03."""
    y, pa, pb = _paired_data(b, c)
    n = y.size
    d = (b - c) / n
    sd = math.sqrt(((b + c) / n - d * d) / n)
    ref = 2 * ss.norm.sf((abs(d) - 0.5 / n) / sd)
    res = S.paired_bootstrap(_acc_vec, y, pa, pb, n_boot=4000, seed=1, vectorized=True)
    assert res.estimate == pytest.approx(d)
    assert res.p_value == pytest.approx(ref, abs=0.03)
    assert res.low == pytest.approx(d - 1.96 * sd, abs=0.004)
    assert res.high == pytest.approx(d + 1.96 * sd, abs=0.004)


def test_paired_bootstrap_symmetry_and_null() -> None:
    y, pa, pb = _paired_data(45, 25)
    ab = S.paired_bootstrap(_acc, y, pa, pb, n_boot=1000, seed=2, method="bca")
    ba = S.paired_bootstrap(_acc, y, pb, pa, n_boot=1000, seed=2, method="bca")
    assert ab.estimate == pytest.approx(-ba.estimate)
    assert (ab.low, ab.high) == pytest.approx((-ba.high, -ba.low), abs=1e-12)
    assert ab.p_value == ba.p_value
    same = S.paired_bootstrap(_acc, y, pa, pa, n_boot=200, seed=2)
    assert same.estimate == 0.0 and same.p_value == 1.0 and same.low == same.high == 0.0
    # A large gap: every replicate of the centred distribution is closer to 0.
    big = S.paired_bootstrap(_acc, *_paired_data(120, 10), n_boot=500, seed=2)
    assert big.p_value == pytest.approx(1 / 501)


# ---------------------------------------------------------------------------------------
# Cluster bootstrap
# ---------------------------------------------------------------------------------------


def _clustered(n_subjects: int = 60, seed: int = 0):
    """Subjects with 5-40 images each and subject-specific accuracy (strong clustering)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(5, 41, n_subjects)
    acc = rng.beta(4, 2, n_subjects)
    subject = np.repeat(np.arange(n_subjects) * 7 + 3, sizes)  # ids need not be 0..G-1
    ok = rng.random(subject.size) < np.repeat(acc, sizes)
    y = rng.integers(0, 7, subject.size)
    perm = rng.permutation(subject.size)  # rows of a subject need not be contiguous
    return y[perm], np.where(ok, y, (y + 1) % 7)[perm], subject[perm]


def test_cluster_bootstrap_draws_whole_clusters() -> None:
    _, p, subject = _clustered(20)
    ids, sizes = np.unique(subject, return_counts=True)
    size_of = dict(zip(ids.tolist(), sizes.tolist(), strict=True))
    drawn_rows: list[np.ndarray] = []

    def spy(rows: np.ndarray, pp: np.ndarray) -> float:
        drawn_rows.append(rows)
        return float(np.mean(pp))

    # Pass the row numbers as "y_true" so the spy sees which rows each resample holds.
    S.cluster_bootstrap_ci(spy, np.arange(p.size), p, subject, n_boot=50, seed=1)
    assert len(drawn_rows) == 51  # the full-data estimate, then one call per resample
    for rows in drawn_rows[1:]:
        drawn, counts = np.unique(subject[rows], return_counts=True)
        for s, k in zip(drawn.tolist(), counts.tolist(), strict=True):
            assert k % size_of[s] == 0  # each drawn subject comes with all its rows
        # ... all of its distinct rows, and as many subject draws as there are subjects.
        assert len(np.unique(rows)) == sum(size_of[s] for s in drawn.tolist())
        assert sum(
            k // size_of[s] for s, k in zip(drawn.tolist(), counts.tolist(), strict=True)
        ) == len(ids)


def test_cluster_bootstrap_matches_cluster_robust_se() -> None:
    """The cluster bootstrap SD of an accuracy is the plug-in cluster-robust SE of a
    ratio estimator, sqrt(sum_g (S_g - acc N_g)^2) / N (S_g correct, N_g images of
    subject g), up to O(1/G) and Monte Carlo error (about 2 % with B = 2000); the row
    bootstrap, which ignores the clustering, is much narrower here."""
    y, p, subject = _clustered(60)
    res = S.cluster_bootstrap_ci(_acc, y, p, subject, n_boot=2000, seed=0)
    ok = (y == p).astype(float)
    _, codes = np.unique(subject, return_inverse=True)
    s_g = np.bincount(codes, weights=ok)
    n_g = np.bincount(codes)
    acc = ok.mean()
    se = math.sqrt(np.sum((s_g - acc * n_g) ** 2)) / ok.size
    assert res.estimate == pytest.approx(acc)
    assert np.std(res.distribution) == pytest.approx(se, rel=0.1)
    assert res.high - res.low == pytest.approx(2 * 1.96 * se, rel=0.15)
    rows = S.bootstrap_ci(_acc_vec, y, p, n_boot=2000, seed=0, vectorized=True)
    assert res.high - res.low > 1.5 * (rows.high - rows.low)
    bca = S.cluster_bootstrap_ci(_acc, y, p, subject, n_boot=2000, seed=0, method="bca")
    assert bca.low < acc < bca.high
    assert bca.high - bca.low == pytest.approx(res.high - res.low, rel=0.15)


# ---------------------------------------------------------------------------------------
# McNemar
# ---------------------------------------------------------------------------------------

TABLES = [(0, 1), (1, 0), (3, 9), (9, 3), (12, 5), (25, 45), (100, 70), (1, 30), (400, 360)]


@pytest.mark.parametrize(("b", "c"), TABLES)
def test_mcnemar_matches_statsmodels(b: int, c: int) -> None:
    table = [[50, b], [c, 20]]
    res = S.mcnemar_from_counts(b, c)
    exact = sm_mcnemar(table, exact=True)
    chi2 = sm_mcnemar(table, exact=False, correction=False)
    chi2_cc = sm_mcnemar(table, exact=False, correction=True)
    assert res.p_exact == pytest.approx(exact.pvalue, rel=1e-12)
    assert res.p_chi2 == pytest.approx(chi2.pvalue, rel=1e-12)
    assert res.statistic == pytest.approx(chi2.statistic, rel=1e-12)
    assert res.p_chi2_cc == pytest.approx(chi2_cc.pvalue, rel=1e-12)
    assert res.statistic_cc == pytest.approx(chi2_cc.statistic, rel=1e-12)
    # Mid-p: 2 P(X < k) + P(X = k) with X ~ Bin(b + c, 1/2), k = min(b, c).
    k, m = min(b, c), b + c
    midp = 2 * ss.binom.cdf(k - 1, m, 0.5) + ss.binom.pmf(k, m, 0.5)
    assert res.p_midp == pytest.approx(min(1.0, midp), rel=1e-12)
    assert res.p_midp < res.p_exact


def test_mcnemar_ties_and_empty() -> None:
    tie = S.mcnemar_from_counts(7, 7)
    assert tie.p_exact == tie.p_midp == tie.p_chi2 == tie.p_chi2_cc == 1.0
    assert tie.statistic == tie.statistic_cc == 0.0
    assert S.mcnemar_from_counts(0, 0).p_exact == 1.0
    with pytest.raises(ValueError):
        S.mcnemar_from_counts(-1, 2)


def test_mcnemar_from_labels_counts_discordant_pairs() -> None:
    y, pa, pb = _paired_data(45, 25, seed=3)
    res = S.mcnemar(y, pa, pb)
    b = sum(1 for t, a, q in zip(y, pa, pb, strict=True) if a == t and q != t)
    c = sum(1 for t, a, q in zip(y, pa, pb, strict=True) if a != t and q == t)
    assert (res.b, res.c) == (b, c) == (45, 25)
    assert res == S.mcnemar_from_counts(45, 25)
    # Both wrong but with different labels is still concordant (both wrong).
    assert S.mcnemar([0, 0], [1, 0], [2, 0]).b == 0


# ---------------------------------------------------------------------------------------
# Intervals over folds
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_t_interval_matches_scipy(confidence: float) -> None:
    v = np.array([0.71, 0.69, 0.74, 0.70, 0.72, 0.66, 0.73, 0.70, 0.68, 0.75])
    mean, low, high = S.t_interval(v, confidence)
    ref = ss.t.interval(confidence, v.size - 1, loc=v.mean(), scale=ss.sem(v))
    assert mean == pytest.approx(v.mean())
    assert (low, high) == pytest.approx(ref, rel=1e-12)


def test_corrected_t_interval_by_hand() -> None:
    # Mean 0.71; deviations -0.01, 0.01, -0.03, 0.03, 0: s^2 = 0.002 / 4 = 0.0005.
    # Corrected variance (1/5 + 200/800) * 0.0005 = 0.000225, sd 0.015; t_{4, 0.975}.
    v = [0.70, 0.72, 0.68, 0.74, 0.71]
    mean, low, high = S.corrected_t_interval(v, n_train=800, n_test=200)
    half = 2.7764451051977987 * 0.015
    assert mean == pytest.approx(0.71)
    assert (low, high) == pytest.approx((0.71 - half, 0.71 + half), abs=1e-12)
    # The uncorrected one is narrower by sqrt(0.45 / 0.2) = 1.5.
    _, ulow, uhigh = S.t_interval(v)
    assert (high - low) / (uhigh - ulow) == pytest.approx(1.5)
    # 10-fold CV of 1000 items: n_test / n_train = 100 / 900, width ratio
    # sqrt((1/10 + 1/9) / (1/10)).
    v10 = np.linspace(0.66, 0.75, 10)
    _, clow, chigh = S.corrected_t_interval(v10, n_train=900, n_test=100)
    _, ulow, uhigh = S.t_interval(v10)
    assert (chigh - clow) / (uhigh - ulow) == pytest.approx(math.sqrt((0.1 + 1 / 9) / 0.1))
    with pytest.raises(ValueError):
        S.t_interval([0.7])


# ---------------------------------------------------------------------------------------
# Power and minimum detectable differences
# ---------------------------------------------------------------------------------------


def _exact_power_bruteforce(n: int, p10: float, p01: float, alpha: float) -> float:
    """Sum over every (b, c) of the trinomial probability times 1{binomtest p <= alpha}."""
    total = 0.0
    for b, c in itertools.product(range(n + 1), repeat=2):
        if b + c > n or b + c == 0:
            continue
        if ss.binomtest(b, b + c, 0.5).pvalue <= alpha:
            total += ss.multinomial.pmf([b, c, n - b - c], n, [p10, p01, 1 - p10 - p01])
    return total


@pytest.mark.parametrize(("n", "p10", "p01"), [(20, 0.3, 0.1), (25, 0.2, 0.15), (18, 0.5, 0.0)])
def test_mcnemar_power_equals_bruteforce_enumeration(n: int, p10: float, p01: float) -> None:
    ref = _exact_power_bruteforce(n, p10, p01, 0.05)
    assert S.mcnemar_power(n, p10, p01, alpha=0.05) == pytest.approx(ref, abs=1e-12)


def test_mcnemar_power_matches_simulation() -> None:
    """4000 simulated test sets; the rejection rate has Monte Carlo SE
    sqrt(0.5 * 0.5 / 4000) <= 0.008, so 4 SE = 0.032."""
    n, p10, p01, reps = 300, 0.09, 0.05, 4000
    rng = np.random.default_rng(2024)
    counts = rng.multinomial(n, [p10, p01, 1 - p10 - p01], size=reps)
    b, c = counts[:, 0], counts[:, 1]
    p_exact = np.minimum(1.0, 2 * ss.binom.cdf(np.minimum(b, c), b + c, 0.5))
    rate = np.mean(p_exact <= 0.05)
    power = S.mcnemar_power(n, p10, p01)
    assert 0.3 < power < 0.7  # an informative regime
    assert power == pytest.approx(rate, abs=4 * math.sqrt(0.25 / reps))


def test_mcnemar_power_normal_approximation_against_exact() -> None:
    # Connor's approximation ignores the discreteness of the exact test: a few points too
    # high at moderate n, converging at large n.
    for n, p10, p01, tol in [
        (500, 0.10, 0.05, 0.04),
        (1000, 0.06, 0.04, 0.05),
        (5000, 0.03, 0.02, 0.015),
        (20000, 0.011, 0.01, 0.015),
    ]:
        exact = S.mcnemar_power(n, p10, p01)
        normal = S.mcnemar_power(n, p10, p01, method="normal")
        assert normal == pytest.approx(exact, abs=tol)
        assert normal >= exact - 1e-3
    assert S.mcnemar_power(100, 0.0, 0.0) == 0.0
    # Size under the null is at most alpha (the exact test is conservative).
    assert S.mcnemar_power(400, 0.05, 0.05) <= 0.05


def test_mcnemar_mdd_round_trip() -> None:
    for method in ("exact", "normal"):
        mdd = S.mcnemar_mdd(3589, 0.10, method=method)
        p10, p01 = (0.10 + mdd) / 2, (0.10 - mdd) / 2
        assert S.mcnemar_power(3589, p10, p01, method=method) == pytest.approx(0.8, abs=1e-6)
    exact, normal = S.mcnemar_mdd(3589, 0.10), S.mcnemar_mdd(3589, 0.10, method="normal")
    assert normal < exact < 1.05 * normal  # the exact test needs a slightly larger gap
    # Connor's closed form for the normal version: sqrt(n) d = z_a sqrt(psi) + z_b sqrt(psi - d^2)
    za, zb = ss.norm.isf(0.025), ss.norm.isf(0.2)
    assert math.sqrt(3589) * normal == pytest.approx(
        za * math.sqrt(0.1) + zb * math.sqrt(0.1 - normal**2), rel=1e-4
    )
    assert S.mcnemar_mdd(10000, 0.10) < exact  # more items, smaller detectable gap
    assert math.isnan(S.mcnemar_mdd(5, 0.1))  # never reaches 80 % power


@pytest.mark.parametrize(
    ("p1", "p2", "n1", "n2"),
    [(0.7, 0.73, 3589, 3589), (0.6, 0.5, 500, 1200), (0.9, 0.95, 200, 300)],
)
def test_two_proportion_power_arcsine_matches_statsmodels(p1, p2, n1, n2) -> None:
    h = proportion_effectsize(p2, p1)
    ref = NormalIndPower().power(h, nobs1=n1, alpha=0.05, ratio=n2 / n1)
    assert S.two_proportion_power(p1, p2, n1, n2) == pytest.approx(ref, rel=1e-10)


def test_two_proportion_power_pooled_matches_simulation() -> None:
    """Rejection rate of the pooled two-sample z-test over 4000 simulated pairs of test
    sets; Monte Carlo SE <= 0.008, and the normal approximation is good at these n."""
    p1, p2, n1, n2, reps = 0.70, 0.75, 800, 600, 4000
    rng = np.random.default_rng(7)
    k1 = rng.binomial(n1, p1, reps)
    k2 = rng.binomial(n2, p2, reps)
    pooled = (k1 + k2) / (n1 + n2)
    z = (k2 / n2 - k1 / n1) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    rate = np.mean(np.abs(z) > ss.norm.isf(0.025))
    power = S.two_proportion_power(p1, p2, n1, n2, method="pooled")
    assert 0.3 < power < 0.8
    assert power == pytest.approx(rate, abs=4 * math.sqrt(0.25 / reps))
    assert S.two_proportion_power(p1, p2, n1, n2) == pytest.approx(power, abs=0.02)


def test_two_proportion_mdd_matches_statsmodels_solve_power() -> None:
    for p1, n1, n2 in [(0.7, 3589, 3589), (0.55, 400, 900)]:
        h = NormalIndPower().solve_power(nobs1=n1, alpha=0.05, power=0.8, ratio=n2 / n1)
        p2 = math.sin(math.asin(math.sqrt(p1)) + h / 2) ** 2  # invert Cohen's h
        ours = S.two_proportion_mdd(p1, n1, n2)
        # solve_power's own root finder stops at ~1e-5 relative; its power function is exact.
        assert ours == pytest.approx(p2 - p1, rel=1e-4)
        h_ours = proportion_effectsize(p1 + ours, p1)
        assert NormalIndPower().power(h_ours, n1, 0.05, ratio=n2 / n1) == pytest.approx(
            0.8, abs=1e-9
        )
        pooled = S.two_proportion_mdd(p1, n1, n2, method="pooled")
        assert S.two_proportion_power(p1, p1 + pooled, n1, n2, method="pooled") == (
            pytest.approx(0.8, abs=1e-8)
        )
    assert math.isnan(S.two_proportion_mdd(0.9, 5, 5))


# ---------------------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------------------

# 400 replicates: the Monte Carlo SE of a coverage near 0.95 is sqrt(0.95 * 0.05 / 400)
# = 0.011, so [0.88, 0.99] is about -6 to +3.5 SE around 0.95 (the bootstrap intervals
# are known to under-cover slightly at this n, hence the asymmetric window). A method
# with the wrong quantiles (e.g. a 90 % or 99 % interval) falls outside.
COVER_REPS, COVER_N, COVER_P = 400, 300, 0.8


def _bernoulli_replicates() -> np.ndarray:
    return np.random.default_rng(99).random((COVER_REPS, COVER_N)) < COVER_P


def test_coverage_of_bootstrap_and_wilson() -> None:
    data = _bernoulli_replicates()
    ones = np.ones(COVER_N, dtype=bool)
    covered = {"percentile": 0, "bca": 0, "wilson": 0}
    for r, row in enumerate(data):
        for method in ("percentile", "bca"):
            res = S.bootstrap_ci(
                _acc_vec,
                ones,
                row,
                n_boot=500,
                method=method,
                seed=r,
                vectorized=True,
                keep_distribution=False,
            )
            covered[method] += res.low <= COVER_P <= res.high
        low, high = S.wilson_ci(int(row.sum()), COVER_N)
        covered["wilson"] += low <= COVER_P <= high
    for method, count in covered.items():
        assert 0.88 <= count / COVER_REPS <= 0.99, (method, count / COVER_REPS)


def test_wilson_exact_coverage() -> None:
    # Exact coverage at p = 0.8, n = 300: sum of binomial probabilities of the k whose
    # interval covers p. Wilson's is close to nominal there (0.94-0.96 for such n, p).
    k = np.arange(COVER_N + 1)
    covers = np.array([lo <= COVER_P <= hi for lo, hi in (S.wilson_ci(i, COVER_N) for i in k)])
    assert 0.935 <= float(ss.binom.pmf(k, COVER_N, COVER_P)[covers].sum()) <= 0.965


def test_generic_path_on_coverage_data() -> None:
    """The coverage test uses the vectorized path; on a few of the same replicates the
    generic (one call per resample) path must give identical intervals."""
    ones = np.ones(COVER_N, dtype=bool)
    for r, row in enumerate(_bernoulli_replicates()[:3]):
        for method in ("percentile", "bca"):
            vec = S.bootstrap_ci(
                _acc_vec, ones, row, n_boot=300, method=method, seed=r, vectorized=True
            )
            gen = S.bootstrap_ci(_acc, ones, row, n_boot=300, method=method, seed=r)
            assert (gen.low, gen.high) == pytest.approx((vec.low, vec.high), abs=1e-12)


@pytest.mark.parametrize("k1,n1,k2,n2", [(60, 100, 45, 100), (3, 40, 0, 35), (980, 1000, 700, 1200)])
def test_newcombe_diff_ci_matches_statsmodels(k1, n1, k2, n2):
    from statsmodels.stats.proportion import confint_proportions_2indep

    from fer_repro.stats import newcombe_diff_ci

    lo, hi = newcombe_diff_ci(k1, n1, k2, n2)
    ref = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    assert lo == pytest.approx(ref[0], abs=1e-10) and hi == pytest.approx(ref[1], abs=1e-10)
    assert lo < k1 / n1 - k2 / n2 < hi


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_holm_matches_statsmodels(seed: int) -> None:
    from statsmodels.stats.multitest import multipletests

    from fer_repro.stats import holm

    p = np.random.default_rng(seed).uniform(0, 0.2, size=12)
    p[3] = p[7]  # a tie
    np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=1e-12)
    assert holm([]).size == 0
    with pytest.raises(ValueError):
        holm([0.1, 1.5])
