"""A real MNIST image on screen: ``DigitImage`` (one crisp image, fast) and ``PixelGrid``
(one square per pixel, for scenes that move pixels one by one).

Both take the image as a 28×28 (or any h×w) array of uint8 values 0–255, or of floats in
[0, 1], and expose exactly what they show: ``pixels`` (uint8) and ``values`` (floats in [0, 1],
``pixels / 255``; the network's input is ``values.ravel()``). Pixel ``i`` in the network's
input order is row ``i // w``, column ``i % w``.
"""

from __future__ import annotations

import numpy as np
from manim import Rectangle, Square, VGroup

from .. import style
from .image import CellGeometry, PixelImage


def as_pixels(image) -> np.ndarray:
    """Return ``image`` as a 2-D uint8 array (floats in [0, 1] are scaled by 255 and rounded)."""
    a = np.asarray(image)
    if a.ndim == 1:
        side = int(round(np.sqrt(a.size)))
        if side * side != a.size:
            raise ValueError(f"a flat image needs a square number of pixels, got {a.size}")
        a = a.reshape(side, side)
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D image, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a.copy()
    a = a.astype(float)
    if a.size and a.max() <= 1.0:
        a = a * 255.0
    return np.clip(np.round(a), 0, 255).astype(np.uint8)


class _PixelGeometry(CellGeometry):
    """What both image mobjects show: ``pixels`` (uint8), ``values`` and pixel squares."""

    pixels: np.ndarray

    @property
    def values(self) -> np.ndarray:
        """The brightness each pixel shows, in [0, 1]: ``pixels / 255``."""
        return self.pixels.astype(float) / 255.0

    @property
    def shape(self) -> tuple[int, int]:
        return self.pixels.shape

    def pixel_square(self, index: int, **style_kwargs) -> Square:
        """A new square exactly covering pixel ``index``, filled with its grey value."""
        v = float(self.values.ravel()[int(index)])
        sq = Square(side_length=self.pixel_size, stroke_width=0, fill_color=style.NEURON_FILL_COLOR,
                    fill_opacity=v)
        if style_kwargs:
            sq.set_style(**style_kwargs)
        return sq.move_to(self.pixel_center(index))


class DigitImage(_PixelGeometry, PixelImage):
    """A real image drawn as ONE ``ImageMobject`` with crisp (nearest-neighbour) pixels,
    framed by a thin white rectangle, ``height`` scene units tall.

    ``image`` is the image mobject, ``frame`` the rectangle; ``pixels``/``values`` are what is
    shown. White ink on black, like MNIST itself.
    """

    def __init__(self, image, height: float = 3.0, frame: bool = True, **kwargs):
        self.pixels = as_pixels(image)
        super().__init__(np.repeat(self.pixels[..., None], 3, axis=2), height=height, frame=frame,
                         **kwargs)


class PixelGrid(_PixelGeometry, VGroup):
    """One ``Square`` per pixel (``squares[i]`` is pixel ``i``, row-major), no gaps, filled
    white with opacity = the pixel's value, framed by a thin rectangle (``frame``).

    Slower to draw than ``DigitImage`` (784 mobjects) but every pixel can move on its own.
    """

    def __init__(self, image, height: float = 3.0, frame: bool = True,
                 square_stroke_width: float = 0.0, **kwargs):
        super().__init__(**kwargs)
        self.pixels = as_pixels(image)
        h, w = self.pixels.shape
        side = height / h
        values = self.values.ravel()
        self.squares = VGroup(*[
            Square(side_length=side, stroke_width=square_stroke_width,
                   stroke_color=style.DIM_TEXT_COLOR, fill_color=style.NEURON_FILL_COLOR,
                   fill_opacity=float(v))
            for v in values
        ])
        self.squares.arrange_in_grid(rows=h, cols=w, buff=0)
        self.add(self.squares)
        self.frame = Rectangle(width=self.squares.width, height=self.squares.height,
                               stroke_color=style.IMAGE_FRAME_COLOR,
                               stroke_width=style.IMAGE_FRAME_WIDTH).move_to(self.squares)
        if frame:
            self.add(self.frame)

    def _box(self):
        return self.squares

    def shown_values(self) -> np.ndarray:
        """The fill opacity of every square, read back from the mobjects (row-major)."""
        return np.array([sq.get_fill_opacity() for sq in self.squares])
