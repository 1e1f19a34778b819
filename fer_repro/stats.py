"""Uncertainty and significance tools for the audits.

* Binomial intervals for an accuracy: :func:`wilson_ci`, :func:`clopper_pearson_ci`.
* Non-parametric bootstrap of any metric: :func:`bootstrap_ci` (percentile or BCa),
  :func:`paired_bootstrap` (difference of two classifiers on the same rows, with a
  p-value) and :func:`cluster_bootstrap_ci` (resampling subjects, not images).
* Paired test of two classifiers: :func:`mcnemar`, :func:`mcnemar_from_counts`.
* Intervals over cross-validation folds: :func:`t_interval`, :func:`corrected_t_interval`.
* Whether a reproduction agrees with a paper's number (equivalent / different /
  inconclusive, counting both test sets' sampling and the training seed): :func:`agreement`.
* Power and minimum detectable differences: :func:`mcnemar_power`, :func:`mcnemar_mdd`,
  :func:`two_proportion_power`, :func:`two_proportion_mdd`.

Bootstrap metrics are plain callables on the resampled arrays, e.g.
``lambda y, p: macro_f1(y, p, 7)``. With ``vectorized=True`` the callable instead gets
arrays with a leading batch axis ``(B, n, ...)`` and must return ``B`` values; e.g.
``lambda y, p: (y == p).mean(axis=-1)`` for accuracy, or
``lambda y, p: macro_f1_from_confusion(batched_confusion_matrix(y, p, 7))``. Both paths
draw the same resampling indices for a given seed, so they give the same result.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

__all__ = [
    "Agreement",
    "BootstrapResult",
    "McNemarResult",
    "PairedBootstrapResult",
    "agreement",
    "binomial_se",
    "bootstrap_ci",
    "clopper_pearson_ci",
    "cluster_bootstrap_ci",
    "corrected_t_interval",
    "holm",
    "mcnemar",
    "mcnemar_from_counts",
    "mcnemar_mdd",
    "mcnemar_power",
    "paired_bootstrap",
    "t_interval",
    "two_proportion_mdd",
    "two_proportion_power",
    "wilson_ci",
]

Metric = Callable[..., Any]
BootMethod = Literal["percentile", "bca"]

# Largest number of index entries held at once when resampling (about 16 MB of int64).
_CHUNK_ELEMENTS = 2_000_000


def _check_confidence(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    return 1.0 - confidence


def _check_counts(k: int, n: int) -> None:
    if n < 1 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")


# ---------------------------------------------------------------------------------------
# Binomial intervals
# ---------------------------------------------------------------------------------------


def wilson_ci(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``k / n`` (Wilson, 1927).

    The interval inverts the score test, so it keeps close to nominal coverage for small
    ``n`` and for proportions near 0 or 1, where the Wald interval fails.
    """
    _check_counts(k, n)
    alpha = _check_confidence(confidence)
    z = stats.norm.isf(alpha / 2.0)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_diff_ci(
    k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95
) -> tuple[float, float]:
    """Interval for the difference ``k1/n1 - k2/n2`` of two independent proportions: Newcombe's
    hybrid score method (1998, method 10), built from the two Wilson intervals."""
    _check_counts(k1, n1)
    _check_counts(k2, n2)
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_ci(k1, n1, confidence)
    l2, u2 = wilson_ci(k2, n2, confidence)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def clopper_pearson_ci(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson ("exact") interval for ``k / n`` from beta quantiles.

    Guaranteed coverage of at least ``confidence`` for every true proportion, hence
    conservative. The bounds are 0 for ``k = 0`` and 1 for ``k = n``.
    """
    _check_counts(k, n)
    alpha = _check_confidence(confidence)
    low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2.0, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.isf(alpha / 2.0, k + 1, n - k))
    return low, high


# ---------------------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BootstrapResult:
    """A bootstrap confidence interval.

    ``distribution`` holds the ``n_boot`` bootstrap replicates of the metric (or None
    when not kept).
    """

    estimate: float
    low: float
    high: float
    method: str
    n_boot: int
    confidence: float
    distribution: NDArray[np.float64] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class PairedBootstrapResult:
    """Bootstrap of ``metric(a) - metric(b)`` over the same resampled rows.

    ``estimate``/``low``/``high`` refer to the difference; ``p_value`` is the two-sided
    bootstrap p-value of :func:`paired_bootstrap`.
    """

    estimate: float
    low: float
    high: float
    p_value: float
    estimate_a: float
    estimate_b: float
    method: str
    n_boot: int
    confidence: float
    distribution: NDArray[np.float64] | None = field(default=None, repr=False, compare=False)


def _as_arrays(arrays: tuple[ArrayLike, ...]) -> tuple[list[np.ndarray], int]:
    if not arrays:
        raise ValueError("need at least one data array")
    arrs = [np.asarray(a) for a in arrays]
    n = arrs[0].shape[0] if arrs[0].ndim else 0
    if any(a.ndim == 0 or a.shape[0] != n for a in arrs):
        shapes = [a.shape for a in arrs]
        raise ValueError(f"all arrays must have the same first dimension, got {shapes}")
    if n < 2:
        raise ValueError(f"need at least 2 rows to bootstrap, got {n}")
    return arrs, n


def _index_chunks(rng: np.random.Generator, n: int, n_boot: int) -> Iterator[NDArray[np.int64]]:
    """Resampling index matrices, ``(m, n)`` each, ``n_boot`` rows in all.

    The chunk size depends only on ``n`` and ``n_boot``, so a seed fixes the indices.
    """
    chunk = max(1, min(n_boot, _CHUNK_ELEMENTS // n))
    done = 0
    while done < n_boot:
        m = min(chunk, n_boot - done)
        yield rng.integers(0, n, size=(m, n))
        done += m


def _evaluate(
    metric: Metric, arrays: list[np.ndarray], idx: NDArray[np.int64], vectorized: bool
) -> NDArray[np.float64]:
    """Metric on each row of the index matrix ``idx`` (shape ``(m, k)``): ``(m,)`` values."""
    if vectorized:
        out = np.asarray(metric(*(a[idx] for a in arrays)), dtype=np.float64)
        if out.shape != (idx.shape[0],):
            raise ValueError(
                f"a vectorized metric must return shape ({idx.shape[0]},), got {out.shape}"
            )
        return out
    return np.array([float(metric(*(a[row] for a in arrays))) for row in idx], dtype=np.float64)


def _point(metric: Metric, arrays: list[np.ndarray], vectorized: bool) -> float:
    n = arrays[0].shape[0]
    return float(_evaluate(metric, arrays, np.arange(n)[None, :], vectorized)[0])


def _jackknife(
    metric: Metric,
    arrays: list[np.ndarray],
    vectorized: bool,
    jackknife_max: int | None,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Jackknife replicates of the metric.

    Delete-one (``n`` replicates) when ``jackknife_max`` is None or ``n <= jackknife_max``;
    otherwise the rows are split at random into ``jackknife_max`` groups of (nearly) equal
    size and each group is deleted in turn (grouped, delete-d jackknife).
    """
    n = arrays[0].shape[0]
    if jackknife_max is None or n <= jackknife_max:
        base = np.arange(n - 1)
        chunk = max(1, _CHUNK_ELEMENTS // n)
        out = []
        for start in range(0, n, chunk):
            left_out = np.arange(start, min(n, start + chunk))
            idx = base[None, :] + (base[None, :] >= left_out[:, None])
            out.append(_evaluate(metric, arrays, idx, vectorized))
        return np.concatenate(out)
    if jackknife_max < 2:
        raise ValueError(f"jackknife_max must be >= 2, got {jackknife_max}")
    group = np.empty(n, dtype=np.int64)
    group[rng.permutation(n)] = np.arange(n) % jackknife_max
    return np.array(
        [
            _evaluate(metric, arrays, np.flatnonzero(group != g)[None, :], vectorized)[0]
            for g in range(jackknife_max)
        ]
    )


def _acceleration(jack: NDArray[np.float64]) -> float:
    """BCa acceleration from jackknife replicates (Efron & Tibshirani 1993, ch. 14)."""
    d = jack.mean() - jack
    ss = float(np.sum(d * d))
    if ss == 0.0:
        return 0.0
    return float(np.sum(d * d * d) / (6.0 * ss**1.5))


def _interval(
    dist: NDArray[np.float64],
    estimate: float,
    alpha: float,
    method: str,
    jack: NDArray[np.float64] | None,
) -> tuple[float, float]:
    """Percentile or BCa bounds from a bootstrap distribution."""
    probs = np.array([alpha / 2.0, 1.0 - alpha / 2.0])
    if method == "bca":
        assert jack is not None
        # Bias correction from the proportion of replicates below the estimate, counting
        # ties as one half (they are common for discrete metrics such as accuracy).
        below = np.count_nonzero(dist < estimate) + np.count_nonzero(dist <= estimate)
        z0 = stats.norm.ppf(below / (2.0 * dist.size))
        a = _acceleration(jack)
        z = stats.norm.ppf(probs)
        probs = stats.norm.cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
        if not np.all(np.isfinite(probs)):
            warnings.warn(
                "BCa interval undefined (the estimate lies outside the bootstrap "
                "distribution); returning NaN",
                RuntimeWarning,
                stacklevel=3,
            )
            return math.nan, math.nan
    low, high = np.quantile(dist, probs)
    return float(low), float(high)


def _method(method: str) -> str:
    m = method.lower()
    if m not in ("percentile", "bca"):
        raise ValueError(f"method must be 'percentile' or 'bca', got {method!r}")
    return m


def _bootstrap_core(
    metric: Metric,
    arrays: list[np.ndarray],
    n_boot: int,
    seed: int | None,
    method: str,
    vectorized: bool,
    jackknife_max: int | None,
) -> tuple[float, NDArray[np.float64], NDArray[np.float64] | None]:
    """Estimate, bootstrap replicates and (for BCa) jackknife replicates."""
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    n = arrays[0].shape[0]
    rng = np.random.default_rng(seed)
    estimate = _point(metric, arrays, vectorized)
    dist = np.concatenate(
        [_evaluate(metric, arrays, idx, vectorized) for idx in _index_chunks(rng, n, n_boot)]
    )
    jack = _jackknife(metric, arrays, vectorized, jackknife_max, rng) if method == "bca" else None
    return estimate, dist, jack


def bootstrap_ci(
    metric: Metric,
    *arrays: ArrayLike,
    n_boot: int = 2000,
    confidence: float = 0.95,
    method: BootMethod = "percentile",
    seed: int | None = 0,
    vectorized: bool = False,
    jackknife_max: int | None = None,
    keep_distribution: bool = True,
) -> BootstrapResult:
    """Non-parametric bootstrap confidence interval of ``metric(*arrays)``.

    Rows (the first axis) of all ``arrays`` are resampled jointly with replacement,
    ``n_boot`` times, with ``np.random.default_rng(seed)``.

    * ``method='percentile'``: the ``alpha/2`` and ``1 - alpha/2`` quantiles of the
      replicates.
    * ``method='bca'``: bias-corrected and accelerated (Efron 1987; Efron & Tibshirani
      1993, ch. 14). The bias correction ``z0`` uses the proportion of replicates below
      the estimate, ties counted one half; the acceleration comes from jackknife
      replicates. The jackknife costs ``n`` extra metric calls (delete-one), which is
      cheap for the metrics of :mod:`fer_repro.metrics` (n = 3589 is well under a second)
      and is done in batches when ``vectorized``. With ``jackknife_max`` set and
      ``n > jackknife_max``, a grouped (delete-d) jackknife over ``jackknife_max`` random
      groups is used instead; the acceleration is a ratio of third to 1.5-th power of
      second moments of the influence values, which the group sums estimate without
      rescaling, at the price of more Monte Carlo noise in ``a``.

    ``vectorized=True`` calls ``metric`` on batches of resamples (arrays with a leading
    batch axis) and expects one value per resample; it is much faster and gives the
    same numbers as the loop.
    """
    alpha = _check_confidence(confidence)
    m = _method(method)
    arrs, _ = _as_arrays(arrays)
    estimate, dist, jack = _bootstrap_core(metric, arrs, n_boot, seed, m, vectorized, jackknife_max)
    low, high = _interval(dist, estimate, alpha, m, jack)
    return BootstrapResult(
        estimate=estimate,
        low=low,
        high=high,
        method=m,
        n_boot=n_boot,
        confidence=confidence,
        distribution=dist if keep_distribution else None,
    )


def paired_bootstrap(
    metric: Metric,
    y_true: ArrayLike,
    pred_a: ArrayLike,
    pred_b: ArrayLike,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int | None = 0,
    method: BootMethod = "percentile",
    vectorized: bool = False,
    jackknife_max: int | None = None,
    keep_distribution: bool = True,
) -> PairedBootstrapResult:
    """Paired bootstrap of ``metric(y_true, pred_a) - metric(y_true, pred_b)``.

    Both classifiers are scored on the same resampled rows, so the interval accounts for
    their correlation. The two-sided p-value for "no difference" centres the bootstrap
    replicates ``d*`` of the difference on the observed difference ``d`` (so that they
    mimic the null distribution, whose centre is 0) and counts how many are at least as
    far from 0 as ``d``:

        p = (1 + #{b : |d*_b - d| >= |d|}) / (n_boot + 1)

    (the ``+1`` terms, as in Davison & Hinkley 1997, ch. 4, keep ``p > 0`` with a finite
    number of replicates; the smallest attainable p is ``1 / (n_boot + 1)``).
    """
    arrs, _ = _as_arrays((y_true, pred_a, pred_b))

    def diff(y: Any, a: Any, b: Any) -> Any:
        return np.asarray(metric(y, a), dtype=np.float64) - np.asarray(
            metric(y, b), dtype=np.float64
        )

    res = bootstrap_ci(diff, *arrs, n_boot=n_boot, confidence=confidence, method=method,
                       seed=seed, vectorized=vectorized, jackknife_max=jackknife_max)
    estimate, dist = res.estimate, res.distribution
    # The relative 1e-12 slack keeps replicates that equal |d| up to rounding (d* - d is a
    # difference of floats) on the 'at least as extreme' side.
    extreme = np.count_nonzero(np.abs(dist - estimate) >= abs(estimate) - 1e-12 * abs(estimate))
    p_value = (1.0 + extreme) / (n_boot + 1.0)
    return PairedBootstrapResult(
        estimate=estimate,
        low=res.low,
        high=res.high,
        p_value=float(min(1.0, p_value)),
        estimate_a=_point(metric, arrs[:2], vectorized),
        estimate_b=_point(metric, [arrs[0], arrs[2]], vectorized),
        method=res.method,
        n_boot=n_boot,
        confidence=confidence,
        distribution=dist if keep_distribution else None,
    )


def cluster_bootstrap_ci(
    metric: Metric,
    y_true: ArrayLike,
    y_pred: ArrayLike,
    clusters: ArrayLike,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int | None = 0,
    method: BootMethod = "percentile",
    keep_distribution: bool = True,
) -> BootstrapResult:
    """Cluster (block) bootstrap interval of ``metric(y_true, y_pred)``.

    The ``G`` distinct values of ``clusters`` (e.g. subject ids) are drawn ``G`` times
    with replacement and every row of each drawn cluster enters the resample (a cluster
    drawn twice contributes its rows twice), so the resample size varies. This respects
    the dependence between images of the same subject, which a row bootstrap ignores
    (it gives too narrow intervals when subjects differ). ``method='bca'`` uses a
    delete-one-cluster jackknife for the acceleration.
    """
    alpha = _check_confidence(confidence)
    m = _method(method)
    arrs, _ = _as_arrays((y_true, y_pred, clusters))
    yt, yp, cl = arrs
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    _, codes = np.unique(cl, return_inverse=True)
    codes = codes.ravel()
    order = np.argsort(codes, kind="stable")  # rows grouped by cluster
    sizes = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    n_clusters = sizes.size
    if n_clusters < 2:
        raise ValueError("need at least 2 clusters")

    def rows_of(drawn: NDArray[np.int64]) -> NDArray[np.int64]:
        # Concatenated row indices of the drawn clusters, without a Python loop.
        lens = sizes[drawn]
        offsets = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
        return order[np.repeat(starts[drawn], lens) + offsets]

    rng = np.random.default_rng(seed)
    estimate = float(metric(yt, yp))
    dist = np.empty(n_boot, dtype=np.float64)
    for b in range(n_boot):
        rows = rows_of(rng.integers(0, n_clusters, size=n_clusters))
        dist[b] = float(metric(yt[rows], yp[rows]))
    jack = None
    if m == "bca":
        everything = np.arange(n_clusters)
        jack = np.array(
            [
                float(metric(yt[r], yp[r]))
                for r in (rows_of(everything[everything != g]) for g in range(n_clusters))
            ]
        )
    low, high = _interval(dist, estimate, alpha, m, jack)
    return BootstrapResult(
        estimate=estimate,
        low=low,
        high=high,
        method=m,
        n_boot=n_boot,
        confidence=confidence,
        distribution=dist if keep_distribution else None,
    )


# ---------------------------------------------------------------------------------------
# McNemar
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class McNemarResult:
    """McNemar's test for two classifiers on the same items.

    ``b``: items A gets right and B wrong; ``c``: A wrong and B right. ``statistic`` is
    ``(b - c)^2 / (b + c)``, ``statistic_cc`` is ``(max(|b - c| - 1, 0))^2 / (b + c)``
    (both 0 when ``b + c = 0``). p-values: ``p_exact`` two-sided binomial,
    ``p_midp`` mid-p, ``p_chi2`` chi-square (1 df) without and ``p_chi2_cc`` with
    Edwards' continuity correction.
    """

    b: int
    c: int
    statistic: float
    statistic_cc: float
    p_exact: float
    p_midp: float
    p_chi2: float
    p_chi2_cc: float


def mcnemar_from_counts(b: int, c: int) -> McNemarResult:
    """McNemar's test from the two discordant counts ``b`` and ``c``.

    * exact: ``min(1, 2 P(X <= min(b, c)))`` with ``X ~ Binomial(b + c, 1/2)``;
    * mid-p: ``2 P(X < min(b, c)) + P(X = min(b, c))``, i.e. the exact p-value minus
      ``P(X = min(b, c))``; less conservative than the exact test and recommended by
      Fagerland, Lydersen & Laake (2013, BMC Med Res Methodol 13:91);
    * chi2: ``(b - c)^2 / (b + c)`` against chi-square with 1 df;
    * chi2_cc: ``(|b - c| - 1)^2 / (b + c)``, Edwards' correction, floored at 0 so that
      ``b = c`` gives p = 1 (statsmodels does not floor it and gives a smaller p there).

    With no discordant pairs every p-value is 1.
    """
    b, c = int(b), int(c)
    if b < 0 or c < 0:
        raise ValueError(f"counts must be non-negative, got b={b}, c={c}")
    n = b + c
    if n == 0:
        return McNemarResult(b, c, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0)
    k = min(b, c)
    cdf = float(stats.binom.cdf(k, n, 0.5))
    pmf = float(stats.binom.pmf(k, n, 0.5))
    stat = (b - c) ** 2 / n
    stat_cc = max(abs(b - c) - 1, 0) ** 2 / n
    return McNemarResult(
        b=b,
        c=c,
        statistic=float(stat),
        statistic_cc=float(stat_cc),
        p_exact=min(1.0, 2.0 * cdf),
        p_midp=min(1.0, 2.0 * cdf - pmf),
        p_chi2=float(stats.chi2.sf(stat, 1)),
        p_chi2_cc=float(stats.chi2.sf(stat_cc, 1)),
    )


def mcnemar(y_true: ArrayLike, pred_a: ArrayLike, pred_b: ArrayLike) -> McNemarResult:
    """McNemar's test of equal accuracy of two classifiers on the same test items."""
    yt, pa, pb = (np.asarray(x) for x in (y_true, pred_a, pred_b))
    if yt.ndim != 1 or pa.shape != yt.shape or pb.shape != yt.shape:
        raise ValueError(
            f"need three 1-D arrays of equal length, got {yt.shape}, {pa.shape}, {pb.shape}"
        )
    ok_a = pa == yt
    ok_b = pb == yt
    return mcnemar_from_counts(
        int(np.count_nonzero(ok_a & ~ok_b)), int(np.count_nonzero(~ok_a & ok_b))
    )


# ---------------------------------------------------------------------------------------
# Intervals over folds
# ---------------------------------------------------------------------------------------


def holm(p_values: ArrayLike) -> NDArray[np.float64]:
    """Holm's step-down adjusted p-values (family-wise error control for several tests).

    Sort ``p`` ascending, multiply the i-th smallest (from 0) by ``m - i``, take the running
    maximum and cap at 1; reject where the adjusted value is below alpha."""
    p = np.asarray(p_values, dtype=np.float64).ravel()
    if p.size == 0:
        return p
    if np.any((p < 0) | (p > 1) | ~np.isfinite(p)):
        raise ValueError("p-values must lie in [0, 1]")
    order = np.argsort(p, kind="stable")
    scaled = (p.size - np.arange(p.size)) * p[order]
    adjusted = np.minimum(1.0, np.maximum.accumulate(scaled))
    out = np.empty_like(p)
    out[order] = adjusted
    return out


def _fold_values(values: ArrayLike) -> NDArray[np.float64]:
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size < 2:
        raise ValueError(f"need at least 2 fold scores, got {v.size}")
    return v


def t_interval(values: ArrayLike, confidence: float = 0.95) -> tuple[float, float, float]:
    """Student-t interval ``(mean, low, high)`` for the mean of per-fold scores.

    Uses ``mean +- t_{k-1} * s / sqrt(k)`` over the ``k`` scores. Cross-validation fold
    scores are not independent (the training sets overlap), so this interval is too
    narrow, i.e. optimistic. :func:`corrected_t_interval` applies the Nadeau & Bengio
    (2003) correction for that.
    """
    alpha = _check_confidence(confidence)
    v = _fold_values(values)
    mean = float(v.mean())
    half = stats.t.isf(alpha / 2.0, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size)
    return mean, mean - float(half), mean + float(half)


def corrected_t_interval(
    values: ArrayLike, n_train: int, n_test: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Corrected resampled t interval ``(mean, low, high)`` (Nadeau & Bengio 2003).

    The variance of the mean of ``k`` fold scores is estimated as
    ``(1/k + n_test/n_train) * s^2`` instead of ``s^2 / k``, where ``n_train`` and
    ``n_test`` are the training- and test-set sizes of one fold; the critical value is
    still ``t_{k-1}``. For k-fold CV, ``n_test/n_train = 1/(k-1)``, which roughly doubles
    the variance.
    """
    alpha = _check_confidence(confidence)
    if n_train < 1 or n_test < 1:
        raise ValueError(f"n_train and n_test must be positive, got {n_train}, {n_test}")
    v = _fold_values(values)
    mean = float(v.mean())
    var = (1.0 / v.size + n_test / n_train) * v.var(ddof=1)
    half = stats.t.isf(alpha / 2.0, v.size - 1) * math.sqrt(var)
    return mean, mean - float(half), mean + float(half)


# ---------------------------------------------------------------------------------------
# Does a reproduction agree with a paper's number?
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """The outcome of :func:`agreement`: ``equivalent``, ``different`` or ``inconclusive``.

    ``difference`` is ours minus the paper's; ``low``/``high`` its two-sided interval at the
    test's level; ``se`` the standard error of the difference (every source of variation the
    rule counts); ``p`` the two-sided p-value of "no difference"."""

    outcome: Literal["equivalent", "different", "inconclusive"]
    difference: float
    se: float
    low: float
    high: float
    margin: float
    p: float

    @property
    def direction(self) -> Literal["lower", "higher", "none"]:
        """Where ours lies, when the outcome is ``different``."""
        if self.outcome != "different":
            return "none"
        return "lower" if self.difference < 0 else "higher"


def agreement(ours: float, ours_se: float, paper: float, paper_se: float, margin: float,
              seed_sd: float = 0.0, n_seeds: int = 1, alpha: float = 0.05) -> Agreement:
    """Three-way comparison of our estimate with a paper's number.

    The difference ``d = ours - paper`` varies through our test-set sampling (``ours_se``), the
    paper's (``paper_se``, from its stated test size) and the training seed: the paper's number
    is one training run, ours the mean of ``n_seeds`` runs, so the seed adds
    ``seed_sd^2 (1 + 1/n_seeds)`` to the variance. With ``se`` the square root of the sum:

    * ``different`` when the two-sided z-test of ``d = 0`` rejects at `alpha`
      (``|d| > z_{1-alpha/2} se``): a faithful reproduction is called different at most `alpha`
      of the time;
    * ``equivalent`` when the two one-sided tests (TOST) reject ``|true d| >= margin`` at
      `alpha` (``|d| + z_{1-alpha} se < margin``): the difference is shown to be smaller than the
      margin that the book treats as material;
    * ``inconclusive`` otherwise: the data cannot tell at this size.
    """
    _check_confidence(1 - alpha)
    if min(ours_se, paper_se, seed_sd) < 0 or margin <= 0 or n_seeds < 1:
        raise ValueError("standard errors and seed_sd must be >= 0, margin > 0, n_seeds >= 1")
    d = float(ours - paper)
    se = math.sqrt(ours_se**2 + paper_se**2 + seed_sd**2 * (1 + 1 / n_seeds))
    z2 = float(stats.norm.isf(alpha / 2))
    if se == 0:
        outcome = "different" if abs(d) > 0 else "equivalent"
        return Agreement(outcome, d, 0.0, d, d, margin, 0.0 if d else 1.0)
    p = float(2 * stats.norm.sf(abs(d) / se))
    if abs(d) > z2 * se:
        outcome = "different"
    elif abs(d) + float(stats.norm.isf(alpha)) * se < margin:
        outcome = "equivalent"
    else:
        outcome = "inconclusive"
    return Agreement(outcome, d, se, d - z2 * se, d + z2 * se, margin, p)  # type: ignore[arg-type]


def binomial_se(p: float, n: int) -> float:
    """Standard error of an accuracy ``p`` measured on ``n`` independent test images."""
    if n < 1 or not 0.0 <= p <= 1.0:
        raise ValueError(f"need 0 <= p <= 1 and n >= 1, got {p}, {n}")
    return math.sqrt(p * (1 - p) / n)


# ---------------------------------------------------------------------------------------
# Power and minimum detectable differences
# ---------------------------------------------------------------------------------------


def _check_power_args(alpha: float, power: float | None = None) -> None:
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    if power is not None and not alpha < power < 1.0:
        raise ValueError(f"power must lie in (alpha, 1), got {power}")


def _exact_lower_critical(m: NDArray[np.int64], alpha: float) -> NDArray[np.int64]:
    """Largest ``k`` with ``2 P(X <= k) <= alpha``, ``X ~ Bin(m, 1/2)`` (-1 if none).

    The exact McNemar test with ``m`` discordant pairs rejects iff ``min(b, c) <= k``.
    """
    half = alpha / 2.0
    k = stats.binom.ppf(half, m, 0.5).astype(np.int64)
    # binom.ppf gives the smallest k with cdf >= alpha/2; step to the rejection boundary,
    # guarding against off-by-one from floating point.
    for _ in range(2):
        k = np.where(stats.binom.cdf(k, m, 0.5) > half, k - 1, k)
        k = np.where((k + 1 <= m) & (stats.binom.cdf(k + 1, m, 0.5) <= half), k + 1, k)
    return k


def mcnemar_power(
    n: int,
    p10: float,
    p01: float,
    alpha: float = 0.05,
    method: Literal["exact", "normal"] = "exact",
) -> float:
    """Power of the two-sided exact McNemar test on ``n`` paired items.

    Each item is discordant in favour of A with probability ``p10`` and in favour of B
    with probability ``p01``, independently.

    * ``method='exact'`` (default): the number of discordant items is
      ``M ~ Binomial(n, p10 + p01)`` and, given ``M = m``, ``b ~ Binomial(m, pi)`` with
      ``pi = p10 / (p10 + p01)``; the power is
      ``sum_m P(M = m) P(exact test rejects | m)``, summed over every ``m`` with
      non-negligible probability (``n psi +- 12 sd``; the rest is below 1e-20).
      This is the power of exactly the test of :func:`mcnemar_from_counts` (``p_exact``).
    * ``method='normal'``: Connor's (1987, Biometrics 43:207) normal approximation with
      ``psi = p10 + p01`` and ``delta = p10 - p01``:
      ``Phi((sqrt(n)|delta| - z sqrt(psi)) / sqrt(psi - delta^2))`` plus the (tiny) other
      tail. It ignores the discreteness of the exact test and so tends to overstate the
      exact test's power a little at small ``n``.
    """
    _check_power_args(alpha)
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if p10 < 0 or p01 < 0 or p10 + p01 > 1 + 1e-12:
        raise ValueError(f"need p10, p01 >= 0 and p10 + p01 <= 1, got {p10}, {p01}")
    psi = min(1.0, p10 + p01)
    if psi == 0.0:
        return 0.0
    delta = p10 - p01
    if method == "normal":
        z = stats.norm.isf(alpha / 2.0)
        sd = math.sqrt(max(psi - delta * delta, 0.0))
        if sd == 0.0:
            return 1.0 if math.sqrt(n) * abs(delta) > z * math.sqrt(psi) else 0.0
        upper = (math.sqrt(n) * abs(delta) - z * math.sqrt(psi)) / sd
        lower = (-math.sqrt(n) * abs(delta) - z * math.sqrt(psi)) / sd
        return float(stats.norm.cdf(upper) + stats.norm.cdf(lower))
    if method != "exact":
        raise ValueError(f"method must be 'exact' or 'normal', got {method!r}")
    # Only m within 12 standard deviations (+10) of n * psi matter: the binomial mass
    # outside is below 1e-20, and skipping it makes large n cheap.
    sd = math.sqrt(n * psi * (1.0 - psi))
    lo = max(0, math.floor(n * psi - 12.0 * sd - 10.0))
    hi = min(n, math.ceil(n * psi + 12.0 * sd + 10.0))
    m = np.arange(lo, hi + 1)
    weight = stats.binom.pmf(m, n, psi)
    k = _exact_lower_critical(m, alpha)
    pi = p10 / psi
    reject = stats.binom.cdf(k, m, pi) + stats.binom.sf(m - k - 1, m, pi)
    return float(min(1.0, np.sum(weight * reject)))


def mcnemar_mdd(
    n: int,
    discordance: float,
    alpha: float = 0.05,
    power: float = 0.8,
    method: Literal["exact", "normal"] = "exact",
) -> float:
    """Smallest accuracy difference ``p10 - p01`` the McNemar test detects with ``power``.

    The total discordance ``p10 + p01 = discordance`` is held fixed (it is what two
    classifiers' disagreement rate measures); the difference is found by root finding on
    :func:`mcnemar_power` (which increases with the difference). Returns NaN when even
    ``p01 = 0`` does not reach the power.
    """
    _check_power_args(alpha, power)
    if not 0.0 < discordance <= 1.0:
        raise ValueError(f"discordance must lie in (0, 1], got {discordance}")

    def gap(delta: float) -> float:
        p10 = (discordance + delta) / 2.0
        p01 = max(0.0, (discordance - delta) / 2.0)
        return mcnemar_power(n, p10, p01, alpha, method) - power

    if gap(discordance) < 0:
        return math.nan
    return float(optimize.brentq(gap, 0.0, discordance, xtol=1e-10, rtol=1e-10))


def two_proportion_power(
    p1: float,
    p2: float,
    n1: int,
    n2: int,
    alpha: float = 0.05,
    method: Literal["arcsine", "pooled"] = "arcsine",
) -> float:
    """Power of a two-sided test of ``p1 = p2`` from independent samples (normal approx.).

    * ``'arcsine'`` (default): Cohen's ``h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1))``, power
      ``Phi(|h| sqrt(n_eff) - z) + Phi(-|h| sqrt(n_eff) - z)`` with
      ``n_eff = n1 n2 / (n1 + n2)``; the same as statsmodels' ``NormalIndPower`` with
      ``proportion_effectsize``.
    * ``'pooled'``: the usual z-test with the pooled variance under the null and the
      unpooled variance under the alternative (Fleiss, Levin & Paik 2003):
      ``Phi((|p2 - p1| - z se0) / se1)`` plus the other tail.

    Use this to compare accuracies measured on *different* test sets; on the same test
    set use :func:`mcnemar_power`.
    """
    _check_power_args(alpha)
    for p in (p1, p2):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"proportions must lie in [0, 1], got {p1}, {p2}")
    if n1 < 1 or n2 < 1:
        raise ValueError(f"sample sizes must be positive, got {n1}, {n2}")
    z = stats.norm.isf(alpha / 2.0)
    if method == "arcsine":
        h = abs(2.0 * math.asin(math.sqrt(p2)) - 2.0 * math.asin(math.sqrt(p1)))
        shift = h * math.sqrt(n1 * n2 / (n1 + n2))
        return float(stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z))
    if method != "pooled":
        raise ValueError(f"method must be 'arcsine' or 'pooled', got {method!r}")
    pbar = (n1 * p1 + n2 * p2) / (n1 + n2)
    se0 = math.sqrt(pbar * (1.0 - pbar) * (1.0 / n1 + 1.0 / n2))
    se1 = math.sqrt(p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2)
    d = abs(p2 - p1)
    if se1 == 0.0:
        return 1.0 if d > z * se0 else 0.0
    return float(stats.norm.cdf((d - z * se0) / se1) + stats.norm.cdf((-d - z * se0) / se1))


def two_proportion_mdd(
    p1: float,
    n1: int,
    n2: int,
    alpha: float = 0.05,
    power: float = 0.8,
    method: Literal["arcsine", "pooled"] = "arcsine",
) -> float:
    """Smallest improvement ``p2 - p1 > 0`` detectable with ``power`` (independent samples).

    Root of :func:`two_proportion_power` in ``p2`` over ``(p1, 1]``; NaN when even
    ``p2 = 1`` does not reach the power. Because the binomial variance shrinks towards 1,
    the detectable decrease ``p1 - p2`` is generally a little different.
    """
    _check_power_args(alpha, power)
    if not 0.0 <= p1 < 1.0:
        raise ValueError(f"p1 must lie in [0, 1), got {p1}")

    def gap(p2: float) -> float:
        return two_proportion_power(p1, p2, n1, n2, alpha, method) - power

    if gap(1.0) < 0:
        return math.nan
    p2 = optimize.brentq(gap, p1, 1.0, xtol=1e-12, rtol=1e-12)
    return float(p2 - p1)


# ---------------------------------------------------------------------------------------
# McNemar for clustered items (several images per subject)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusteredMcNemarResult:
    """McNemar's test when the paired items come in clusters (e.g. frames of one subject).

    ``b``/``c`` are the pooled discordant counts as in :class:`McNemarResult`;
    ``n_clusters`` the number of clusters and ``n_discordant_clusters`` those with
    ``b_k != c_k``. ``statistic`` is chi-square with 1 df under the null, ``p_value`` its
    upper tail. ``variance_ratio``: the clustered variance estimate of ``b - c`` over the
    one that treats items as independent (``b + c``, McNemar's): above 1 the items of a
    cluster agree more than independent items would, and the plain test is too liberal.
    """

    b: int
    c: int
    n_clusters: int
    n_discordant_clusters: int
    statistic: float
    p_value: float
    variance_ratio: float
    method: str


def clustered_mcnemar(
    y_true: ArrayLike,
    pred_a: ArrayLike,
    pred_b: ArrayLike,
    clusters: ArrayLike,
    method: Literal["durkalski", "obuchowski"] = "durkalski",
) -> ClusteredMcNemarResult:
    """McNemar's test of equal accuracy of two classifiers on clustered items.

    With ``b_k`` (only A right) and ``c_k`` (only B right) counted in cluster ``k``:

    * ``'durkalski'`` (Durkalski, Palesch, Lipsitz & Rust 2003, Stat Med 22:2417-2428):
      ``X^2 = (sum_k (b_k - c_k))^2 / sum_k (b_k - c_k)^2``. The denominator estimates the
      variance of ``b - c`` under the null from the clusters themselves, so items of one
      cluster are not counted as independent evidence. With one item per cluster
      ``(b_k - c_k)^2 = |b_k - c_k|`` and ``X^2 = (b - c)^2 / (b + c)``, McNemar's statistic.
    * ``'obuchowski'`` (Obuchowski 1998, Stat Med 17:1495-1507): ``(p_A - p_B)^2 / var``,
      ``p_j`` the pooled accuracies, ``var = K / ((K - 1) N^2) sum_k (d_k - n_k d)^2`` with
      ``d_k = b_k - c_k``, ``n_k`` the cluster sizes, ``N = sum n_k``, ``d = (b - c) / N``
      (the ratio-estimator variance of ``p_A - p_B`` over ``K`` clusters, under the
      alternative).

    Both are large-sample tests (many clusters with discordant pairs); with no discordant
    items the p-value is 1.
    """
    yt, pa, pb, cl = (np.asarray(x) for x in (y_true, pred_a, pred_b, clusters))
    if yt.ndim != 1 or not (pa.shape == pb.shape == cl.shape == yt.shape):
        raise ValueError(
            f"need four 1-D arrays of equal length, got {yt.shape}, {pa.shape}, {pb.shape}, "
            f"{cl.shape}"
        )
    if method not in ("durkalski", "obuchowski"):
        raise ValueError(f"method must be 'durkalski' or 'obuchowski', got {method!r}")
    _, codes = np.unique(cl, return_inverse=True)
    codes = codes.ravel()
    n_clusters = int(codes.max()) + 1 if codes.size else 0
    ok_a, ok_b = pa == yt, pb == yt
    bk = np.bincount(codes, weights=(ok_a & ~ok_b).astype(float), minlength=n_clusters)
    ck = np.bincount(codes, weights=(~ok_a & ok_b).astype(float), minlength=n_clusters)
    d = bk - ck
    b, c = round(float(bk.sum())), round(float(ck.sum()))
    n_disc = int(np.count_nonzero(d))
    if b + c == 0:
        return ClusteredMcNemarResult(b, c, n_clusters, n_disc, 0.0, 1.0, math.nan, method)
    if method == "durkalski":
        var = float((d ** 2).sum())
        stat = (b - c) ** 2 / var if var > 0 else 0.0
    else:
        if n_clusters < 2:
            raise ValueError("the Obuchowski test needs at least 2 clusters")
        nk = np.bincount(codes, minlength=n_clusters).astype(float)
        n = nk.sum()
        dbar = (b - c) / n
        var_p = n_clusters / ((n_clusters - 1) * n ** 2) * float(((d - nk * dbar) ** 2).sum())
        var = var_p * n ** 2  # on the scale of b - c, for variance_ratio
        stat = dbar ** 2 / var_p if var_p > 0 else (0.0 if b == c else math.inf)
    return ClusteredMcNemarResult(
        b=b, c=c, n_clusters=n_clusters, n_discordant_clusters=n_disc,
        statistic=float(stat), p_value=float(stats.chi2.sf(stat, 1)),
        variance_ratio=float(var / (b + c)), method=method,
    )


def format_p(p: float, digits: int = 2, floor: float = 1e-300, html: bool = False) -> str:
    """A p-value for prose and tables: ``digits`` significant digits, ``"< 1e-300"`` below
    ``floor`` (where double precision has run out: a printed 1.5e-322 is a rounding
    artefact, not a probability), ``"n/a"`` for NaN. ``html=True`` writes ``&lt;`` (for a
    pandas Styler formatter, whose output is not escaped)."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "n/a"
    p = float(p)
    if p < floor:
        return f"{'&lt;' if html else '<'} {floor:.0e}"
    return f"{p:.{digits}g}"
