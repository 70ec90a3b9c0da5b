"""The boxed-image cameras draw exactly what manim's own cameras draw, only faster."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (DEGREES, LEFT, RIGHT, UP, Camera, Circle, ImageMobject, Square,
                   ThreeDCamera, tempconfig)

from scenes.camera import BoxedImageCamera, BoxedImageThreeDCamera, camera_class


def images() -> list:
    """Images as scenes use them: digit-like greys, scaled, rotated, faded, overlapping,
    partly off the frame, tiny, and over a filled shape."""
    rng = np.random.default_rng(3)
    grey = (255 * rng.random((28, 28))).astype(np.uint8)
    rgba = (255 * rng.random((9, 13, 4))).astype(np.uint8)
    backdrop = Square(3, fill_color="#3B6FB6", fill_opacity=1).shift(LEFT)
    a = ImageMobject(grey).scale_to_fit_height(2.5).shift(LEFT * 3)
    b = ImageMobject(grey).scale_to_fit_height(1.7).rotate(20 * DEGREES).shift(UP)
    b.set_opacity(0.6)
    c = ImageMobject(rgba).scale_to_fit_height(3).move_to(RIGHT * 7.2 + UP * 3.5)  # off frame
    d = ImageMobject(grey).scale_to_fit_height(0.05)                                # sub-pixel
    e = ImageMobject(rgba).stretch_to_fit_width(4).stretch_to_fit_height(1).shift(RIGHT * 2)
    e.set_resampling_algorithm(2)
    return [backdrop, Circle(1, fill_opacity=0.5).shift(RIGHT), a, b, c, d, e]


def frame(camera_cls, mobjects) -> np.ndarray:
    with tempconfig({"pixel_width": 480, "pixel_height": 270}):
        camera = camera_cls(background_color="#000000")
        camera.capture_mobjects(mobjects)
        return camera.pixel_array.copy()


@pytest.mark.parametrize("stock, boxed", [(Camera, BoxedImageCamera),
                                          (ThreeDCamera, BoxedImageThreeDCamera)])
def test_boxed_images_draw_the_same_pixels(stock, boxed):
    mobjects = images()
    expected, got = frame(stock, mobjects), frame(boxed, mobjects)
    assert expected.any() and (expected != frame(stock, mobjects[:2])).any()  # images drawn
    assert np.array_equal(got, expected)


def test_stock_camera_switch(monkeypatch):
    monkeypatch.setenv("NN_STOCK_CAMERA", "1")
    assert camera_class(three_d=False) is Camera and camera_class(three_d=True) is ThreeDCamera
    monkeypatch.setenv("NN_STOCK_CAMERA", "0")
    assert camera_class(three_d=False) is BoxedImageCamera
    assert camera_class(three_d=True) is BoxedImageThreeDCamera
