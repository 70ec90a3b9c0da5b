"""``PixelImage``: an h×w array of colours drawn as ONE crisp ``ImageMobject``
(nearest-neighbour resampling, so each pixel stays a sharp square), framed by a thin white
rectangle. ``DigitImage`` and ``WeightGrid`` are both pictures of this kind."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RESAMPLING_ALGORITHMS, RIGHT, UP, Group, ImageMobject, Rectangle

from .. import style


class CellGeometry:
    """Where cell ``i`` (row-major, as the network reads pixels and weights) sits on screen,
    for a picture of ``shape`` cells drawn inside ``_box()``."""

    @property
    def shape(self) -> tuple[int, int]:
        raise NotImplementedError

    def _box(self):
        raise NotImplementedError

    @property
    def pixel_size(self) -> float:
        """Side of one cell in scene units."""
        return self._box().width / self.shape[1]

    def pixel_center(self, index: int) -> np.ndarray:
        """Scene point at the centre of cell ``index``: row ``index // w``, column ``index % w``."""
        h, w = self.shape
        r, c = divmod(int(index), w)
        box = self._box()
        ul = box.get_corner(UP + LEFT)
        return ul + RIGHT * (c + 0.5) * box.width / w + DOWN * (r + 0.5) * box.height / h


class PixelImage(CellGeometry, Group):
    """``rgb`` (h×w×3 uint8) drawn ``height`` scene units tall; ``image`` is the
    ImageMobject, ``frame`` the rectangle (added only if ``frame``)."""

    def __init__(self, rgb, height: float = 3.0, frame: bool = True, **kwargs):
        super().__init__(**kwargs)
        rgb = np.asarray(rgb)
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an h×w×3 uint8 array, got {rgb.dtype} {rgb.shape}")
        self._cells = rgb.shape[:2]
        rgba = np.empty((*rgb.shape[:2], 4), dtype=np.uint8)
        rgba[..., :3] = rgb
        rgba[..., 3] = 255
        self.image = ImageMobject(rgba)
        self.image.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
        self.image.height = height
        self.add(self.image)
        self.frame = Rectangle(width=self.image.width, height=self.image.height,
                               stroke_color=style.IMAGE_FRAME_COLOR,
                               stroke_width=style.IMAGE_FRAME_WIDTH).move_to(self.image)
        if frame:
            self.add(self.frame)

    @property
    def shape(self) -> tuple[int, int]:
        return self._cells

    def _box(self):
        return self.image
