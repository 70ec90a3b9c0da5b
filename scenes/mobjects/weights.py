"""A neuron's incoming weights as a picture: ``WeightGrid``.

The 784 weights into one neuron, laid out like the pixels they multiply (weight ``i`` at row
``i // 28``, column ``i % 28``), drawn as ONE crisp ``ImageMobject`` (nearest-neighbour
resampling, like ``DigitImage``): positive weights in ``palette.positive``, negative ones in
``palette.negative``, on black, brightness growing with ``|w| / scale`` where ``scale`` is the
largest ``|w|`` of the row (or a scale given by the caller, so that two grids can share one).

It exposes exactly what it drew: ``weights`` (h×w floats), ``weight_scale``, ``brightness`` (h×w in
[0, 1]) and ``rgb`` (h×w×3 uint8, the image's colours).
"""

from __future__ import annotations

import numpy as np
from manim import color_to_rgb

from .. import style
from ..style import Palette
from .image import PixelImage


def as_square_grid(values) -> np.ndarray:
    """``values`` as a 2-D float array (a flat vector of a square size becomes a square)."""
    a = np.asarray(values, dtype=float)
    if a.ndim == 1:
        side = int(round(np.sqrt(a.size)))
        if side * side != a.size:
            raise ValueError(f"a flat weight vector needs a square number of entries, got {a.size}")
        a = a.reshape(side, side)
    if a.ndim != 2:
        raise ValueError(f"expected weights for a 2-D grid, got shape {a.shape}")
    return a.copy()


def weight_colors(weights, scale: float, palette: Palette) -> tuple[np.ndarray, np.ndarray]:
    """``(brightness, rgb)`` for ``weights``: brightness ``min(|w| / scale, 1)``, rgb the sign
    colour of each weight times its brightness (black for 0), as uint8."""
    w = np.asarray(weights, dtype=float)
    brightness = np.clip(np.abs(w) / scale, 0.0, 1.0)
    pos = np.asarray(color_to_rgb(palette.positive), dtype=float)
    neg = np.asarray(color_to_rgb(palette.negative), dtype=float)
    base = np.where((w >= 0)[..., None], pos, neg)
    rgb = np.round(255.0 * base * brightness[..., None]).astype(np.uint8)
    return brightness, rgb


class WeightGrid(PixelImage):
    """The weights into one neuron as a ``height``-tall grid of coloured pixels, framed in white.

    ``weights``: 784 numbers (any square count, or an h×w array). ``scale``: the ``|w|`` drawn
    at full brightness; by default the largest ``|w|`` (1 if all are 0). ``palette``: the sign
    colours (``style.PALETTE`` by default).

    Attributes: ``weights`` (h×w), ``weight_scale`` (the scale used; ``scale`` is manim's
    method), ``brightness`` (h×w), ``rgb`` (h×w×3 uint8),
    ``image`` (the ImageMobject), ``frame`` (the rectangle), ``palette``.
    """

    def __init__(self, weights, height: float = 3.0, palette: Palette | None = None,
                 scale: float | None = None, frame: bool = True, **kwargs):
        self.palette = palette or style.PALETTE
        self.weights = as_square_grid(weights)
        largest = float(np.max(np.abs(self.weights))) if self.weights.size else 0.0
        self.weight_scale = float(scale) if scale is not None else (largest if largest > 0 else 1.0)
        if not self.weight_scale > 0:
            raise ValueError(f"scale must be positive, got {scale}")
        self.brightness, self.rgb = weight_colors(self.weights, self.weight_scale, self.palette)
        super().__init__(self.rgb, height=height, frame=frame, **kwargs)

    @property
    def flat_weights(self) -> np.ndarray:
        """The weights in the network's order (row-major)."""
        return self.weights.ravel()

    def color_of(self, index: int) -> np.ndarray:
        """The RGB (uint8) drawn for weight ``index``."""
        h, w = self.shape
        return self.rgb[divmod(int(index), w)]
