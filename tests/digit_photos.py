"""Photos of real MNIST digits, as a phone would take them: the digit upscaled with smoothing,
dark ink on light paper, an uneven light across the page, a random place on a larger page, mild
noise. What the own-digit tests feed to ``network.handwriting``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import ndimage


def photo_of(image, rng, *, scale: int = 10, page=(520, 640), tint=(1.0, 0.97, 0.9),
             noise: float = 0.02) -> np.ndarray:
    """A photo (RGB uint8, ``page`` = (height, width)) of MNIST ``image`` (28×28 uint8)."""
    ink = ndimage.zoom(np.asarray(image, dtype=float) / 255.0, scale, order=3)
    ink = np.clip(ndimage.gaussian_filter(ink, scale / 6), 0, 1)
    h, w = page
    top = int(rng.integers(0, h - ink.shape[0]))
    left = int(rng.integers(0, w - ink.shape[1]))
    darkness = np.zeros(page)
    darkness[top:top + ink.shape[0], left:left + ink.shape[1]] = ink
    yy, xx = np.mgrid[0:h, 0:w]
    angle = rng.uniform(0, 2 * np.pi)
    light = 0.9 + 0.12 * ((np.cos(angle) * xx / w + np.sin(angle) * yy / h) - 0.5)
    grey = light * (1 - 0.8 * darkness) + rng.normal(0, noise, page)
    rgb = np.clip(grey[..., None] * np.asarray(tint)[None, None, :], 0, 1)
    return np.round(255 * rgb).astype(np.uint8)


def save_photo(image, path: Path, seed: int = 0, **kwargs) -> Path:
    """Write ``photo_of(image)`` to ``path`` (PNG or JPEG by its suffix); return ``path``."""
    from PIL import Image

    Image.fromarray(photo_of(image, np.random.default_rng(seed), **kwargs)).save(path)
    return path
