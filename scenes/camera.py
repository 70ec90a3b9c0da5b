"""Cameras that draw the same frames as manim's, faster.

manim 0.21's ``Camera.display_image_mobject`` pastes every image into a transparent picture
the size of the whole frame and alpha-composites that over the frame: the cost of one
thumbnail is the cost of a full frame (8 MB at 1080p), so a scene with 300 digit thumbnails
composites 300 full frames per frame. ``BoxedImages`` warps the image exactly as manim does
(same corners, same perspective coefficients, same resampling) and composites it only over
the pixels its box covers. Outside the box manim's overlay is fully transparent and leaves
the frame as it was, so the frames are the same.

``NN_STOCK_CAMERA=1`` renders with manim's own cameras, to compare against.
"""

from __future__ import annotations

import os

import numpy as np
from manim import Camera, ThreeDCamera
from PIL import Image


def stock_camera_wanted() -> bool:
    return os.environ.get("NN_STOCK_CAMERA", "").strip() not in ("", "0")


def _cross(u: np.ndarray, v: np.ndarray) -> float:
    return float(u[0] * v[1] - u[1] * v[0])


def perspective_coefficients(target: np.ndarray, width: int, height: int) -> np.ndarray | None:
    """The 8 coefficients of PIL's PERSPECTIVE transform that map a frame pixel inside the
    quadrilateral ``target`` (the image's corners: upper left, upper right, lower left, lower
    right) back to the source image's pixel; None when the corners are collinear."""
    source = np.array([[0, 0], [width, 0], [0, height], [width, height]], dtype=np.float64)
    rows = []
    for (x, y), (sx, sy) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -sx * x, -sx * y])
        rows.append([0, 0, 0, x, y, 1, -sy * x, -sy * y])
    try:
        return np.linalg.solve(np.array(rows, dtype=np.float64), source.reshape(8))
    except np.linalg.LinAlgError:
        return None


def too_thin(target: np.ndarray) -> bool:
    """Whether the quadrilateral ``target`` covers no pixel: its longest side has length 0, or
    its height over that side is under half a pixel (the transform would be ill-conditioned)."""
    ring = [target[i] for i in (0, 1, 3, 2)]
    sides = [ring[(i + 1) % 4] - ring[i] for i in range(4)]
    lengths = np.linalg.norm(sides, axis=1)
    longest = int(np.argmax(lengths))
    if lengths[longest] == 0:
        return True
    # manim measures the height from the side before the longest one (both terms use it)
    height = abs(_cross(sides[longest], sides[(longest - 1) % 4])) / lengths[longest]
    return height < 0.5


class BoxedImages:
    """Camera mixin: draw each ``ImageMobject`` by compositing only the pixels it covers."""

    def display_image_mobject(self, image_mobject, pixel_array: np.ndarray) -> None:
        rgba = image_mobject.get_pixel_array()
        source = Image.fromarray(np.ascontiguousarray(rgba, dtype=np.uint8))
        if source.mode != "RGBA":
            source = source.convert("RGBA")
        target = self.points_to_subpixel_coords(image_mobject, image_mobject.points)
        whole = target.astype(np.int64)
        corner = whole.min(axis=0)
        target = target - corner
        size = (whole - corner).max(axis=0)
        if too_thin(target):
            return
        coefficients = perspective_coefficients(target, source.width, source.height)
        if coefficients is None:
            return
        warped = source.transform(size=(int(size[0]), int(size[1])),
                                  method=Image.Transform.PERSPECTIVE, data=coefficients,
                                  resample=image_mobject.resampling_algorithm)
        # the part of the warped image that falls inside the frame
        height, width = pixel_array.shape[:2]
        x0, y0 = max(int(corner[0]), 0), max(int(corner[1]), 0)
        x1 = min(int(corner[0] + size[0]), width)
        y1 = min(int(corner[1] + size[1]), height)
        if x1 <= x0 or y1 <= y0:
            return
        piece = warped.crop((x0 - int(corner[0]), y0 - int(corner[1]),
                             x1 - int(corner[0]), y1 - int(corner[1])))
        under = Image.fromarray(np.ascontiguousarray(pixel_array[y0:y1, x0:x1]))
        pixel_array[y0:y1, x0:x1] = np.asarray(Image.alpha_composite(under, piece))


class BoxedImageCamera(BoxedImages, Camera):
    """manim's ``Camera``, with images composited over their own box only."""


class BoxedImageThreeDCamera(BoxedImages, ThreeDCamera):
    """manim's ``ThreeDCamera``, with images composited over their own box only."""


def camera_class(three_d: bool):
    """The camera class scenes render with (manim's own with ``NN_STOCK_CAMERA=1``)."""
    if stock_camera_wanted():
        return ThreeDCamera if three_d else Camera
    return BoxedImageThreeDCamera if three_d else BoxedImageCamera
