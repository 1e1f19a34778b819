"""Near-duplicate images across data sets: which FER2013 images are copies of CK+48 or KDEF images.

FER2013 was collected by web image search, and CK+ and KDEF photographs are all over the web, so
a FER2013 image can be a laboratory photograph re-cropped, re-scaled, mirrored and re-encoded.
Byte hashes (:mod:`fer_repro.data.duplicates`) cannot find such copies; this module can.

How a match is found (:func:`near_copies`), for every query image (CK+48 or KDEF) against every
reference image (FER2013):

1. **Candidates.** Every image is brought to 48x48 (area averaging; KDEF is 240x240), blurred
   (Gaussian, :attr:`MatchConfig.coarse_blur` pixels) and described by windows resampled to
   12x12 and normalised to zero mean and unit norm (so brightness and contrast do not matter).
   The query gets windows at several sizes (:attr:`MatchConfig.query_scales`, fractions of the
   side), small shifts and both mirror images; the reference gets centred windows at
   :attr:`MatchConfig.reference_scales`. The cosine between two windows is their correlation;
   the best correlation over all window pairs scores a (query, reference) pair, and the
   :attr:`MatchConfig.candidates` best reference images per query go on.
2. **Alignment.** For each candidate a similarity transform (scale, shift, rotation; the mirror
   chosen in step 1) of the query is fitted to the central :attr:`MatchConfig.window` of the
   reference image by gradient ascent on their normalised cross-correlation at 48x48, first on
   blurred images, then on the originals, starting from the window pair of step 1.
3. **Distance.** ``1 - r``, with ``r`` the normalised cross-correlation of the aligned pair at
   full resolution. Copies of one photograph land near 0; different photographs of the same
   person in the same session, the hardest negatives, well above. The threshold is calibrated on
   known copies and known different photographs (:func:`calibration_copies`,
   :func:`same_person_pairs`, :func:`calibrated_threshold`) in :func:`crossmatch_outcome`.

torch and scipy are imported inside the functions, so importing :mod:`fer_repro.data` stays light.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class MatchConfig:
    size: int = 48  # every image is compared at size x size
    coarse: int = 12  # side of the candidate windows
    coarse_blur: float = 1.5  # Gaussian sigma (pixels at `size`) before the candidate windows
    #: query window sizes (fractions of the side): relative scales from 0.56 to 1.67 with
    #: the reference windows below
    query_scales: tuple[float, ...] = (1.0, 0.87, 0.75, 0.65, 0.56)
    #: the query windows are also shifted on a (2 n + 1)^2 grid with this step (fraction of the
    #: half side: 0.12 is 2.9 pixels at 48x48), n = query_shift_steps
    query_shift: float = 0.12
    query_shift_steps: int = 1
    reference_scales: tuple[float, ...] = (1.0, 0.75, 0.6)
    candidates: int = 16  # reference images per query that are aligned
    window: float = 0.75  # the central part of the reference image that is compared
    #: alignment: (Gaussian sigma, Adam steps) stages; lr of Adam
    refine: tuple[tuple[float, int], ...] = ((1.5, 40), (0.0, 40))
    lr: float = 0.01
    chunk: int = 2048  # pairs aligned at once

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, eq=False)
class NearCopies:
    """Result of :func:`near_copies` for ``nq`` queries and ``k`` candidates each, best first."""

    candidates: np.ndarray  # (nq, k) indices into the reference images
    distance: np.ndarray  # (nq, k) 1 - normalised cross-correlation after alignment
    params: np.ndarray  # (nq, k, 5): window half-size, centre x, centre y, rotation, mirror (+-1)
    reference_window: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (nq, k)

    def matches(self, threshold: float) -> list[tuple[int, int, float]]:
        """(query, reference, distance) of every candidate at or below `threshold`."""
        q, j = np.nonzero(self.distance <= threshold)
        return [(int(a), int(self.candidates[a, b]), float(self.distance[a, b]))
                for a, b in zip(q, j, strict=True)]


# --------------------------------------------------------------------------------------------
# image handling


def as_float(images: np.ndarray, size: int = 48):
    """uint8 (n, H, W) -> float tensor (n, 1, size, size), area-averaged when H != size."""
    import torch
    import torch.nn.functional as F

    x = torch.as_tensor(np.ascontiguousarray(images)).float().unsqueeze(1)
    if x.shape[-2:] != (size, size):
        x = F.interpolate(x, size=(size, size), mode="area")
    return x


def _blur(x, sigma: float):
    import torch
    from scipy import ndimage

    if sigma <= 0:
        return x
    return torch.from_numpy(ndimage.gaussian_filter(x.numpy(), (0, 0, sigma, sigma),
                                                    mode="nearest"))


def _normalise(v):
    v = v.flatten(1)
    v = v - v.mean(1, keepdim=True)
    return v / (v.norm(dim=1, keepdim=True) + 1e-6)


def _theta(h, cx, cy, rot, flip):
    """Affine matrices (torch, align_corners=False) of windows: half-size h, centre (cx, cy) in
    [-1, 1] coordinates, rotation (radians), mirror flip = +-1."""
    import torch

    c, s = torch.cos(rot), torch.sin(rot)
    return torch.stack([torch.stack([h * c * flip, -h * s, cx], -1),
                        torch.stack([h * s * flip, h * c, cy], -1)], -2)


def _sample(x, theta, out: int):
    import torch.nn.functional as F

    g = F.affine_grid(theta, [len(theta), 1, out, out], align_corners=False)
    return F.grid_sample(x, g, mode="bilinear", padding_mode="border", align_corners=False)


def _windows(x, params: np.ndarray, out: int, batch: int = 256):
    """(n, 1, S, S) images, (m, 4) windows (h, cx, cy, flip) -> (n, m, out*out) normalised
    vectors, each window sampled at 2*out and averaged down to out (no aliasing)."""
    import torch
    import torch.nn.functional as F

    p = torch.as_tensor(params, dtype=torch.float32)
    m = len(p)
    th = _theta(p[:, 0], p[:, 1], p[:, 2], torch.zeros(m), p[:, 3])
    res = []
    for i in range(0, len(x), batch):
        xb = x[i:i + batch]
        nb = len(xb)
        w = _sample(xb.repeat_interleave(m, 0), th.repeat(nb, 1, 1), 2 * out)
        res.append(_normalise(F.avg_pool2d(w, 2)).view(nb, m, -1))
    return torch.cat(res)


def query_windows(cfg: MatchConfig) -> np.ndarray:
    """(m, 4) candidate windows of a query: every scale and shift, both mirrors."""
    n, s = cfg.query_shift_steps, cfg.query_shift
    shifts = [(a * s, b * s) for b in range(-n, n + 1) for a in range(-n, n + 1)]
    return np.array([(h, cx, cy, f) for h in cfg.query_scales for f in (1.0, -1.0)
                     for cx, cy in shifts], dtype=np.float32)


def reference_windows(cfg: MatchConfig) -> np.ndarray:
    return np.array([(h, 0.0, 0.0, 1.0) for h in cfg.reference_scales], dtype=np.float32)


# --------------------------------------------------------------------------------------------
# the two steps


def _init_params(qp: np.ndarray, rp: np.ndarray, cfg: MatchConfig) -> tuple[np.ndarray, np.ndarray]:
    """Alignment start and reference window from the best (query window, reference window) pair:
    the query window that covers the reference's central window, scaled so that it stays
    inside the query image (a smaller reference window when the query is the wider crop)."""
    rel = qp[..., 0] / rp[..., 0]  # query half-size per reference half-size
    ref_h = np.minimum(cfg.window, 0.95 / rel)
    init = np.stack([rel * ref_h, qp[..., 1], qp[..., 2], np.zeros_like(rel), qp[..., 3]], -1)
    return init.astype(np.float32), ref_h.astype(np.float32)


def candidates(query, reference, cfg: MatchConfig, batch: int = 8):
    """Step 1: (nq, k) best reference indices, (nq, k, 5) alignment starts, (nq, k) reference
    window half-sizes. `query`, `reference`: float tensors from :func:`as_float`."""
    import torch

    qw, rw = query_windows(cfg), reference_windows(cfg)
    Q = _windows(_blur(query, cfg.coarse_blur), qw, cfg.coarse)  # (nq, V, d)
    R = _windows(_blur(reference, cfg.coarse_blur), rw, cfg.coarse)  # (nr, W, d)
    nr, W = R.shape[:2]
    V = len(qw)
    Rf = R.reshape(nr * W, -1).T.contiguous()
    k = min(cfg.candidates, nr)
    cand = np.zeros((len(Q), k), dtype=np.int64)
    qv = np.zeros((len(Q), k), dtype=np.int64)
    rv = np.zeros((len(Q), k), dtype=np.int64)
    for i in range(0, len(Q), batch):
        qb = Q[i:i + batch]
        s = (qb.reshape(-1, qb.shape[-1]) @ Rf).view(len(qb), V, nr, W)
        s_w, a_w = s.max(3)  # best reference window
        s_v, a_v = s_w.max(1)  # best query window
        top = torch.topk(s_v, k, dim=1).indices
        cand[i:i + len(qb)] = top.numpy()
        best_v = torch.gather(a_v, 1, top)
        qv[i:i + len(qb)] = best_v.numpy()
        rv[i:i + len(qb)] = _pick(a_w, best_v, top).numpy()
    init, ref_h = _init_params(qw[qv], rw[rv], cfg)
    return cand, init, ref_h


def _pick(a_w, best_v, top):
    """a_w (b, V, nr): best reference window per (query window, reference); -> (b, k) at the
    chosen query window and reference."""
    import torch

    b = torch.arange(len(a_w))[:, None]
    return a_w[b, best_v, top]


def align(query, reference, init: np.ndarray, ref_h: np.ndarray, cfg: MatchConfig):
    """Step 2 for pairs (query[i], reference[i]): fit the query's window to the reference's
    central window of half-size ``ref_h[i]`` and return (distance, fitted params (P, 5))."""
    import torch

    P = len(query)
    dist = np.zeros(P, dtype=np.float64)
    out = np.zeros((P, 5), dtype=np.float32)
    n = cfg.size
    for i in range(0, P, cfg.chunk):
        qx, rx = query[i:i + cfg.chunk], reference[i:i + cfg.chunk]
        m = len(qx)
        p = torch.as_tensor(init[i:i + m, :4]).clone().requires_grad_(True)
        flip = torch.as_tensor(init[i:i + m, 4])
        rh = torch.as_tensor(ref_h[i:i + m])
        zero = torch.zeros(m)
        ref_theta = _theta(rh, zero, zero, zero, torch.ones(m))
        for sigma, steps in cfg.refine:
            qb, rb = _blur(qx, sigma), _blur(rx, sigma)
            ref = _normalise(_sample(rb, ref_theta, n)).detach()
            opt = torch.optim.Adam([p], lr=cfg.lr)
            for _ in range(steps):
                opt.zero_grad()
                w = _normalise(_sample(qb, _theta(p[:, 0], p[:, 1], p[:, 2], p[:, 3], flip), n))
                (-(w * ref).sum()).backward()
                opt.step()
        with torch.no_grad():
            ref = _normalise(_sample(rx, ref_theta, n))
            w = _normalise(_sample(qx, _theta(p[:, 0], p[:, 1], p[:, 2], p[:, 3], flip), n))
            dist[i:i + m] = (1.0 - (w * ref).sum(1)).double().numpy()
        out[i:i + m] = torch.cat([p.detach(), flip[:, None]], 1).numpy()
    return dist, out


def near_copies(query_images: np.ndarray, reference_images: np.ndarray,
                cfg: MatchConfig | None = None) -> NearCopies:
    """For every query image, its :attr:`MatchConfig.candidates` nearest reference images after
    alignment, nearest first (uint8 arrays (n, H, W) of any square size)."""
    import torch

    cfg = cfg or MatchConfig()
    q, r = as_float(query_images, cfg.size), as_float(reference_images, cfg.size)
    cand, init, ref_h = candidates(q, r, cfg)
    nq, k = cand.shape
    qi = np.repeat(np.arange(nq), k)
    with torch.enable_grad():
        dist, params = align(q[qi], r[cand.ravel()], init.reshape(-1, 5), ref_h.ravel(), cfg)
    dist, params, ref_h = dist.reshape(nq, k), params.reshape(nq, k, 5), ref_h.reshape(nq, k)
    order = np.argsort(dist, axis=1, kind="stable")
    take = np.take_along_axis
    return NearCopies(take(cand, order, 1), take(dist, order, 1),
                      take(params, order[..., None], 1), take(ref_h, order, 1))


def pair_distances(a_images: np.ndarray, b_images: np.ndarray,
                   cfg: MatchConfig | None = None) -> np.ndarray:
    """The distance of :func:`near_copies` for given pairs (a[i], b[i]): the best window pair of
    step 1 for each pair starts the alignment of step 2."""
    import torch

    cfg = cfg or MatchConfig()
    a, b = as_float(a_images, cfg.size), as_float(b_images, cfg.size)
    qw, rw = query_windows(cfg), reference_windows(cfg)
    Q = _windows(_blur(a, cfg.coarse_blur), qw, cfg.coarse)
    R = _windows(_blur(b, cfg.coarse_blur), rw, cfg.coarse)
    s = torch.einsum("pvd,pwd->pvw", Q, R).reshape(len(a), -1)
    best = s.argmax(1).numpy()
    init, ref_h = _init_params(qw[best // len(rw)], rw[best % len(rw)], cfg)
    with torch.enable_grad():
        return align(a, b, init, ref_h, cfg)[0]


# --------------------------------------------------------------------------------------------
# calibration


#: how :func:`calibration_copies` alters an image: relative scale (log-uniform), shift
#: (fraction of the side), rotation (degrees), mirror probability, gamma (log-uniform),
#: contrast factor, brightness shift (grey levels), JPEG quality
COPY_RANGES: dict[str, Any] = {"scale": (0.75, 1.33), "shift": 0.08, "degrees": 5.0,
                               "mirror": 0.5, "gamma": (0.8, 1.25), "contrast": (0.8, 1.2),
                               "brightness": 20.0, "jpeg_quality": (50, 95)}


def calibration_copies(images: np.ndarray, seed: int = 0, size: int = 48,
                       ranges: dict[str, Any] | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Synthetic copies, as a web crawler would make them: each image re-cropped at a random
    scale and shift, rotated a little, mirrored with probability 1/2, resampled to ``size``,
    gamma-, contrast- and brightness-changed and JPEG re-encoded (:data:`COPY_RANGES`).
    Returns the uint8 copies and the drawn parameters."""
    import io

    import torch
    from PIL import Image

    r = {**COPY_RANGES, **(ranges or {})}
    rng = np.random.default_rng(seed)
    n = len(images)
    lo, hi = np.log(r["scale"])
    prm = {"scale": np.exp(rng.uniform(lo, hi, n)),
           "dx": rng.uniform(-r["shift"], r["shift"], n), "dy": rng.uniform(-r["shift"], r["shift"], n),
           "rot": np.deg2rad(rng.uniform(-r["degrees"], r["degrees"], n)),
           "mirror": np.where(rng.random(n) < r["mirror"], -1.0, 1.0),
           "gamma": np.exp(rng.uniform(*np.log(r["gamma"]), n)),
           "contrast": rng.uniform(*r["contrast"], n),
           "brightness": rng.uniform(-r["brightness"], r["brightness"], n),
           "quality": rng.integers(r["jpeg_quality"][0], r["jpeg_quality"][1] + 1, n)}
    x = torch.as_tensor(np.ascontiguousarray(images)).float().unsqueeze(1)
    th = _theta(torch.as_tensor(1.0 / prm["scale"], dtype=torch.float32),
                torch.as_tensor(2 * prm["dx"], dtype=torch.float32),
                torch.as_tensor(2 * prm["dy"], dtype=torch.float32),
                torch.as_tensor(prm["rot"], dtype=torch.float32),
                torch.as_tensor(prm["mirror"], dtype=torch.float32))
    big = _sample(x, th, 4 * size)  # supersampled, then area-averaged: no aliasing
    y = torch.nn.functional.avg_pool2d(big, 4)[:, 0].numpy() / 255.0
    y = np.clip(y, 0, 1) ** prm["gamma"][:, None, None]
    m = y.mean(axis=(1, 2), keepdims=True)
    y = (y - m) * prm["contrast"][:, None, None] + m
    y = np.clip(np.rint(255 * y + prm["brightness"][:, None, None]), 0, 255).astype(np.uint8)
    out = np.empty_like(y)
    for i in range(n):
        buf = io.BytesIO()
        Image.fromarray(y[i]).save(buf, format="JPEG", quality=int(prm["quality"][i]))
        out[i] = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return out, prm


def same_person_pairs(subjects: np.ndarray, units: np.ndarray, images: np.ndarray,
                      per_image: int = 2, cfg: MatchConfig | None = None) -> np.ndarray:
    """Pairs (i, j) of different photographs of the same person: same subject, different
    `units` (pass the expression labels: the same person with another expression). For each
    image the `per_image` most similar such partners by the candidate score of step 1 (the
    hardest negatives)."""
    cfg = cfg or MatchConfig()
    x = as_float(images, cfg.size)
    d = _windows(_blur(x, cfg.coarse_blur), np.array([(1.0, 0.0, 0.0, 1.0)], np.float32),
                 cfg.coarse)[:, 0]
    out = []
    subjects, units = np.asarray(subjects), np.asarray(units)
    for i in range(len(x)):
        js = np.flatnonzero((subjects == subjects[i]) & (units != units[i]))
        if not len(js):
            continue
        s = (d[js] @ d[i]).numpy()
        for j in js[np.argsort(-s, kind="stable")[:per_image]]:
            out.append((i, int(j)))
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def calibrated_threshold(copies: np.ndarray, different: np.ndarray,
                         copy_quantile: float = 0.99) -> dict[str, float]:
    """A distance threshold between known copies and known different photographs: halfway on a
    log scale (both distributions are skewed) between the ``copy_quantile`` quantile of the copy
    distances and the smallest different-photograph distance when the first is below the
    second; otherwise the distance that minimises the number of errors. A quantile rather than
    the largest copy distance, so that one failed alignment of a synthetic copy does not set
    the rule. Returns the threshold and both error rates on the calibration pairs."""
    copies, different = np.sort(np.asarray(copies, float)), np.sort(np.asarray(different, float))
    cq, dmin = float(np.quantile(copies, copy_quantile)), float(different.min())
    if cq < dmin:
        t = float(np.sqrt(max(cq, 1e-6) * dmin))
    else:
        grid = np.unique(np.concatenate([copies, different]))
        err = [(copies > g).sum() + (different <= g).sum() for g in grid]
        t = float(grid[int(np.argmin(err))])
    return {"threshold": t, "copy_quantile": copy_quantile, "copies_q": cq,
            "copies_max": float(copies.max()), "different_min": dmin,
            "copies_missed": float((copies > t).mean()),
            "different_flagged": float((different <= t).mean()),
            "n_copies": len(copies), "n_different": len(different)}


def twin_pairs(subjects: np.ndarray, labels: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Each unordered pair (i < j) of photographs of the same person with the same expression
    from different `units` (CK+: another sequence; KDEF: the other session)."""
    subjects, labels, units = map(np.asarray, (subjects, labels, units))
    out = [(i, j) for i in range(len(subjects)) for j in np.flatnonzero(
        (subjects == subjects[i]) & (labels == labels[i]) & (units != units[i])) if j > i]
    return np.array(out, dtype=np.int64).reshape(-1, 2)


# --------------------------------------------------------------------------------------------
# the run-store record behind the data chapter's cross-data-set section


def crossmatch_config(seed: int = 0) -> dict[str, Any]:
    from .store import CANONICAL_CONTENT_SHA256

    return {"data": {k: CANONICAL_CONTENT_SHA256[k] for k in
                     ("fer2013.npz", "ckplus48.npz", "kdef_subset3.npz")},
            "match": MatchConfig().to_dict(), "copy_ranges": COPY_RANGES,
            "same_person_per_image": 2, "seed": seed}


def crossmatch_outcome(config: dict[str, Any], workdir: object = None):
    """Search FER2013 (all splits) for near-copies of every CK+48 and KDEF-subset image.

    The reference set is FER2013 plus one synthetic copy (:func:`calibration_copies`) of every
    query image, so the search itself shows whether it finds a known copy among 35,887
    distractors. Known different photographs are the :func:`same_person_pairs` (same person,
    another expression) of both data sets. The threshold (:func:`calibrated_threshold`)
    separates the two; how often it also flags :func:`twin_pairs` (same person and expression,
    another sequence or session) is recorded, since at 48x48 those can be as close as copies."""
    from ..runs import Outcome
    from .datasets import load_ckplus48, load_fer2013, load_kdef_subset

    m = config["match"]
    cfg = MatchConfig(**{k: tuple(tuple(x) if isinstance(x, list) else x for x in v)
                         if isinstance(v, list) else v for k, v in m.items()})
    seed = int(config["seed"])
    fer, ck, kd = load_fer2013(), load_ckplus48(), load_kdef_subset()
    x_ck = ck.images
    x_kd = np.asarray(as_float(kd.images, cfg.size)[:, 0].round().clamp(0, 255).to(
        __import__("torch").uint8))
    queries = np.concatenate([x_ck, x_kd])
    source = np.concatenate([np.zeros(len(ck), int), np.ones(len(kd), int)])  # 0 CK+, 1 KDEF
    # synthetic copies: CK+ from its 48x48 frames, KDEF from its 240x240 originals
    cp_ck, prm_ck = calibration_copies(ck.images, seed, cfg.size, config["copy_ranges"])
    cp_kd, prm_kd = calibration_copies(kd.images, seed + 1, cfg.size, config["copy_ranges"])
    n_fer = len(fer)
    reference = np.concatenate([fer.images, cp_ck, cp_kd])
    res = near_copies(queries, reference, cfg)
    own = n_fer + np.arange(len(queries))  # the index of each query's own synthetic copy
    found = res.candidates == own[:, None]
    copy_found = found.any(1)
    copy_dist = np.where(copy_found, np.where(found, res.distance, np.inf).min(1),
                         pair_distances(queries, reference[own], cfg))
    # known different photographs: the same person with another expression (the hardest
    # negatives), and "twins": the same person and expression in another sequence or session
    neg, twins = {}, {}
    for name, ds, x, units in (("ckplus48", ck, x_ck, ck.meta["sequence_ids"]),
                               ("kdef", kd, x_kd, kd.meta["session"])):
        pairs = same_person_pairs(ds.meta["subject_ids"], ds.labels, x,
                                  config["same_person_per_image"], cfg)
        neg[name] = (pairs, pair_distances(x[pairs[:, 0]], x[pairs[:, 1]], cfg))
        tp = twin_pairs(ds.meta["subject_ids"], ds.labels, units)
        twins[name] = (tp, pair_distances(x[tp[:, 0]], x[tp[:, 1]], cfg) if len(tp)
                       else np.zeros(0))
    different = np.concatenate([d for _, d in neg.values()])
    cal = calibrated_threshold(copy_dist, different)
    t = cal["threshold"]
    for name, (tp, d) in twins.items():
        cal[f"twins_{name}_flagged"] = float((d <= t).mean()) if len(d) else None
        cal[f"twins_{name}_n"] = len(d)
    # end to end: the copy is among the candidates AND within the threshold
    hit = copy_found & (copy_dist <= t)
    cal["search_recall"] = float(hit.mean())
    cal["search_recall_ckplus48"] = float(hit[source == 0].mean())
    cal["search_recall_kdef"] = float(hit[source == 1].mean())
    # the FER2013 part of the search
    is_fer = res.candidates < n_fer
    fer_dist = np.where(is_fer, res.distance, np.inf)
    best_fer = fer_dist.min(1)
    best_fer_idx = np.take_along_axis(res.candidates, fer_dist.argmin(1)[:, None], 1)[:, 0]
    rows = []
    for qi, fi, d in res.matches(t):
        if fi >= n_fer:
            continue
        ds, j = (ck, qi) if source[qi] == 0 else (kd, qi - len(ck))
        k = int(np.flatnonzero(res.candidates[qi] == fi)[0])
        rows.append({
            "fer_index": fi, "fer_split": fer.split_names[int(fer.split[fi])],
            "fer_label": fer.class_names[int(fer.labels[fi])], "fer_id": str(fer.meta["ids"][fi]),
            "dataset": "CK+48" if source[qi] == 0 else "KDEF subset", "query_index": int(j),
            "subject": str(ds.meta["subject_ids"][j]),
            "sequence": str(ck.meta["sequence_ids"][j]) if source[qi] == 0 else
            str(kd.meta["names"][j]) if "names" in kd.meta else "",
            "query_label": ds.class_names[int(ds.labels[j])], "distance": d,
            "mirrored": bool(res.params[qi, k, 4] < 0),
            "relative_scale": float(res.params[qi, k, 0] / res.reference_window[qi, k])})
    counts = _overlap_counts(rows, fer, ck, kd)
    # the examples: every matched FER2013 image with its nearest query image
    by_fer: dict[int, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: r["distance"]):
        by_fer.setdefault(r["fer_index"], r)
    ex = list(by_fer.values())
    arrays = {
        "best_fer_distance": best_fer.astype(np.float32),
        "best_fer_index": best_fer_idx.astype(np.int32),
        "query_source": source.astype(np.int8),
        "copy_distance": copy_dist.astype(np.float32),
        "copy_found": copy_found,
        "copy_rank": np.where(copy_found, found.argmax(1), -1).astype(np.int8),
        "different_distance_ckplus48": neg["ckplus48"][1].astype(np.float32),
        "different_distance_kdef": neg["kdef"][1].astype(np.float32),
        "twin_distance_ckplus48": twins["ckplus48"][1].astype(np.float32),
        "twin_distance_kdef": twins["kdef"][1].astype(np.float32),
        "example_fer": (fer.images[[r["fer_index"] for r in ex]] if ex
                        else np.zeros((0, 48, 48), np.uint8)),
        "example_query": (queries[[(r["query_index"] if r["dataset"] == "CK+48" else
                                    len(ck) + r["query_index"]) for r in ex]] if ex
                          else np.zeros((0, 48, 48), np.uint8)),
        "copy_examples": np.stack([cp_ck[:4], ck.images[:4]]) if len(ck) >= 4 else np.zeros(0),
    }
    extra = {"calibration": cal, "matches": rows, "examples": ex, "counts": counts,
             "n_fer": n_fer, "n_queries": {"CK+48": len(ck), "KDEF subset": len(kd)},
             "copy_recall_top_k": float(copy_found.mean()),
             "copy_params": {"CK+48": {k: v.tolist() for k, v in prm_ck.items()},
                             "KDEF subset": {k: v.tolist() for k, v in prm_kd.items()}},
             "n_different_pairs": {k: len(v[1]) for k, v in neg.items()}}
    metrics = {"threshold": t, "fer_images_matched": float(len(by_fer)),
               "ckplus_frames_matched": float(counts["CK+48"]["query_images"]),
               "kdef_images_matched": float(counts["KDEF subset"]["query_images"])}
    return Outcome(metrics, extra=extra, arrays=arrays)


def _overlap_counts(rows: list[dict[str, Any]], fer, ck, kd) -> dict[str, Any]:
    """Per query data set: matched FER2013 images per split, matched query images, sequences
    (CK+) and subjects, and the totals they are out of."""
    out: dict[str, Any] = {}
    for name, ds in (("CK+48", ck), ("KDEF subset", kd)):
        rs = [r for r in rows if r["dataset"] == name]
        per_split = {s: len({r["fer_index"] for r in rs if r["fer_split"] == s})
                     for s in fer.split_names}
        out[name] = {
            "fer_images": per_split, "fer_images_all": len({r["fer_index"] for r in rs}),
            "query_images": len({r["query_index"] for r in rs}), "query_total": len(ds),
            "subjects": len({r["subject"] for r in rs}),
            "subjects_total": len(np.unique(ds.meta["subject_ids"])),
            "label_agrees": int(sum(r["fer_label"][:3] == r["query_label"][:3] for r in rs)),
            "pairs": len(rs)}
        if name == "CK+48":
            out[name]["sequences"] = len({r["sequence"] for r in rs})
            out[name]["sequences_total"] = len(np.unique(ds.meta["sequence_ids"]))
    return out


#: the run-store name of the cross-data-set search
RECORD_NAME = "data_crossmatch"


def crossmatch_record(seed: int = 0, mode: str = "auto"):
    """The recorded search (:func:`crossmatch_outcome`); computed when missing and allowed
    (about 10 minutes on one CPU thread)."""
    from .. import runs

    return runs.fetch(RECORD_NAME, crossmatch_config(seed), crossmatch_outcome, mode=mode)
