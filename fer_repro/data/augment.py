"""Batch-level augmentation on tensors (no per-image PIL work in the training loop).

All functions take a float batch ``x`` of shape (N, C, H, W) and a ``torch.Generator`` on the
batch's device, so a seeded run is repeatable. One affine warp (rotation, scale, translation) is
applied to the whole batch with a single ``grid_sample`` call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


def _uniform(n: int, lo: float, hi: float, g: torch.Generator, device: torch.device) -> torch.Tensor:
    return torch.rand(n, generator=g, device=device) * (hi - lo) + lo


def random_hflip(x: torch.Tensor, g: torch.Generator, p: float = 0.5) -> torch.Tensor:
    flip = torch.rand(x.shape[0], generator=g, device=x.device) < p
    return torch.where(flip[:, None, None, None], x.flip(-1), x)


def random_affine(
    x: torch.Tensor,
    g: torch.Generator,
    degrees: float = 0.0,
    scale: tuple[float, float] = (1.0, 1.0),
    translate: float = 0.0,
) -> torch.Tensor:
    """Random rotation (+-degrees), isotropic zoom (scale range) and shift (fraction of size)."""
    n, dev = x.shape[0], x.device
    ang = _uniform(n, -degrees, degrees, g, dev) * (math.pi / 180)
    s = _uniform(n, scale[0], scale[1], g, dev)
    tx = _uniform(n, -translate, translate, g, dev) * 2  # grid units span [-1, 1]
    ty = _uniform(n, -translate, translate, g, dev) * 2
    cos, sin = torch.cos(ang) / s, torch.sin(ang) / s  # inverse map: output -> input coordinates
    theta = torch.stack(
        [torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1
    ).to(x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def mixup(
    x: torch.Tensor, y: torch.Tensor, g: torch.Generator, alpha: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """MixUp (Zhang et al. 2018): one Beta(alpha, alpha) weight per batch, y as soft targets."""
    # torch's Beta sampler ignores generators: draw lambda by inverse CDF for determinism
    u = torch.rand(1, generator=g, device=x.device).double().clamp_min(1e-12)
    lam = float(_beta_from_uniforms(u, alpha)) if alpha > 0 else 1.0
    perm = torch.randperm(x.shape[0], generator=g, device=x.device)
    return lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm]


def _beta_from_uniforms(u: torch.Tensor, alpha: float) -> float:
    """Beta(alpha, alpha) sample from two uniforms via the inverse-CDF of scipy (exact, seeded)."""
    from scipy.stats import beta

    return float(beta.ppf(float(u[0]), alpha, alpha))


def cutmix(
    x: torch.Tensor, y: torch.Tensor, g: torch.Generator, alpha: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """CutMix (Yun et al. 2019): paste one random box per batch; targets mixed by box area."""
    n, _, h, w = x.shape
    u = torch.rand(3, generator=g, device=x.device).double().clamp_min(1e-12)
    lam = _beta_from_uniforms(u, alpha) if alpha > 0 else 1.0
    rh, rw = int(h * math.sqrt(1 - lam)), int(w * math.sqrt(1 - lam))
    cy, cx = int(float(u[1]) * h), int(float(u[2]) * w)
    y0, y1 = max(cy - rh // 2, 0), min(cy + rh // 2, h)
    x0, x1 = max(cx - rw // 2, 0), min(cx + rw // 2, w)
    perm = torch.randperm(n, generator=g, device=x.device)
    out = x.clone()
    out[:, :, y0:y1, x0:x1] = x[perm, :, y0:y1, x0:x1]
    lam_area = 1 - (y1 - y0) * (x1 - x0) / (h * w)
    return out, lam_area * y + (1 - lam_area) * y[perm]


def random_photometric(x: torch.Tensor, g: torch.Generator, brightness: float = 0.0,
                       contrast: float = 0.0) -> torch.Tensor:
    """Per-image contrast ``c ~ U(1 - contrast, 1 + contrast)`` about the image mean and a
    brightness shift ``b ~ U(-brightness, brightness)`` in units of the image's standard
    deviation, so the same setting means the same change under any input normalisation."""
    n, dev = x.shape[0], x.device
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    std = x.std(dim=(1, 2, 3), keepdim=True)
    c = _uniform(n, 1 - contrast, 1 + contrast, g, dev).view(n, 1, 1, 1).to(x.dtype)
    b = _uniform(n, -brightness, brightness, g, dev).view(n, 1, 1, 1).to(x.dtype)
    return mean + c * (x - mean) + b * std


def random_occlusion(x: torch.Tensor, g: torch.Generator, p: float = 0.5,
                     area: tuple[float, float] = (0.02, 0.15),
                     ratio: tuple[float, float] = (0.5, 2.0)) -> torch.Tensor:
    """Simulated occlusion: with probability p, one rectangle per image (a fraction `area` of
    the image, aspect ratio in `ratio`, anywhere inside it) is filled with the image mean."""
    n, _, h, w = x.shape
    dev = x.device
    a = _uniform(n, area[0], area[1], g, dev) * h * w
    r = torch.exp(_uniform(n, math.log(ratio[0]), math.log(ratio[1]), g, dev))
    bh = torch.sqrt(a * r).round().clamp(1, h)
    bw = torch.sqrt(a / r).round().clamp(1, w)
    top = (torch.rand(n, generator=g, device=dev) * (h - bh + 1)).floor()
    left = (torch.rand(n, generator=g, device=dev) * (w - bw + 1)).floor()
    on = torch.rand(n, generator=g, device=dev) < p
    rows = torch.arange(h, device=dev).view(1, h, 1)
    cols = torch.arange(w, device=dev).view(1, 1, w)
    box = ((rows >= top.view(n, 1, 1)) & (rows < (top + bh).view(n, 1, 1))
           & (cols >= left.view(n, 1, 1)) & (cols < (left + bw).view(n, 1, 1))
           & on.view(n, 1, 1))
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return torch.where(box[:, None], mean, x)


@dataclass(frozen=True)
class Augment:
    """A training-time augmentation policy, applied to whole batches."""

    hflip: float = 0.0  # probability
    degrees: float = 0.0
    scale: tuple[float, float] = (1.0, 1.0)
    translate: float = 0.0
    mixup_alpha: float = 0.0
    cutmix_alpha: float = 0.0
    mix_prob: float = 0.0  # probability that a batch gets MixUp/CutMix (chosen 50/50 when both)
    brightness: float = 0.0  # shift of up to this many image standard deviations
    contrast: float = 0.0  # contrast factor in [1 - contrast, 1 + contrast]
    occlusion: float = 0.0  # probability of one mean-filled rectangle per image
    occlusion_area: tuple[float, float] = (0.02, 0.15)  # its share of the image

    def geometric(self, x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
        if self.hflip > 0:
            x = random_hflip(x, g, self.hflip)
        if self.degrees or self.translate or self.scale != (1.0, 1.0):
            x = random_affine(x, g, self.degrees, self.scale, self.translate)
        if self.brightness or self.contrast:
            x = random_photometric(x, g, self.brightness, self.contrast)
        if self.occlusion > 0:
            x = random_occlusion(x, g, self.occlusion, tuple(self.occlusion_area))
        return x

    def __call__(
        self, x: torch.Tensor, y_soft: torch.Tensor, g: torch.Generator
    ) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.geometric(x, g)
        use_mix = self.mix_prob > 0 and (self.mixup_alpha > 0 or self.cutmix_alpha > 0)
        if use_mix and float(torch.rand(1, generator=g, device=x.device)) < self.mix_prob:
            pick_cut = self.cutmix_alpha > 0 and (
                self.mixup_alpha <= 0 or float(torch.rand(1, generator=g, device=x.device)) < 0.5
            )
            if pick_cut:
                return cutmix(x, y_soft, g, self.cutmix_alpha)
            return mixup(x, y_soft, g, self.mixup_alpha)
        return x, y_soft
