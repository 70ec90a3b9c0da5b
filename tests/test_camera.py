"""The boxed-image cameras draw exactly what manim's own cameras draw, only faster."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (DEGREES, DOWN, LEFT, RIGHT, UP, Camera, Circle, ImageMobject, Square,
                   ThreeDCamera, ThreeDVMobject, tempconfig)

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
    monkeypatch.setenv("NN_STOCK_MANIM", "1")
    assert camera_class(three_d=False) is Camera and camera_class(three_d=True) is ThreeDCamera
    monkeypatch.setenv("NN_STOCK_MANIM", "0")
    assert camera_class(three_d=False) is BoxedImageCamera
    assert camera_class(three_d=True) is BoxedImageThreeDCamera


def surface_scene():
    """A shaded, checkered, stroked surface seen at an angle, a sphere, a flat square and an
    unshaded ball, and 3-D axes (whose pieces share their axis's shading gradient)."""
    from manim import Sphere, Surface, ThreeDAxes

    surface = Surface(lambda u, v: np.array([u, v, 0.3 * np.sin(2 * u) * np.cos(v)]),
                      u_range=[-2, 2], v_range=[-2, 2], resolution=(16, 16),
                      checkerboard_colors=["#1D4F91", "#2F6DB5"], stroke_width=0.5,
                      stroke_color="#E0E0E0", fill_opacity=0.85)
    ball = Sphere(radius=0.3, resolution=(8, 8)).shift(DOWN * 1.2 + RIGHT * 2.5)
    for face in ball.get_family():
        face.shade_in_3d = False   # drawn unshaded, as the scenes' balls are
    return [surface, Sphere(radius=0.4, resolution=(8, 8)).shift(UP * 1.5 + RIGHT * 2),
            Square(1, fill_opacity=1).shift(LEFT * 3), ball, ThreeDAxes()]


def three_d_frame(camera_cls, mobjects, phi, theta) -> np.ndarray:
    with tempconfig({"pixel_width": 480, "pixel_height": 270}):
        camera = camera_cls(background_color="#000000")
        camera.set_phi(phi)
        camera.set_theta(theta)
        camera.capture_mobjects(mobjects)
        return camera.pixel_array.copy()


@pytest.mark.parametrize("phi, theta", [(60 * DEGREES, -45 * DEGREES), (75 * DEGREES, 30 * DEGREES),
                                        (0, -90 * DEGREES)])
def test_batched_faces_draw_what_manims_three_d_camera_draws(phi, theta):
    mobjects = surface_scene()
    expected = three_d_frame(ThreeDCamera, mobjects, phi, theta)
    one_by_one = []

    class Counting(BoxedImageThreeDCamera):
        def display_vectorized(self, vmobject, ctx):
            one_by_one.append(vmobject)
            return super().display_vectorized(vmobject, ctx)

    got = three_d_frame(Counting, mobjects, phi, theta)
    faces = len(mobjects[0]) + len(mobjects[1]) + len(mobjects[3])
    # the flat square, and faces whose normal manim finds another way (a sphere's poles),
    # go manim's own way; every other face is batched
    faces_alone = [m for m in one_by_one if isinstance(m, ThreeDVMobject)]
    assert mobjects[2] in one_by_one and len(faces_alone) < 0.05 * faces, len(faces_alone)
    assert expected[..., :3].std() > 5
    difference = np.abs(expected.astype(int) - got.astype(int))
    # the same shading arithmetic, vectorised: at most one level of 255 apart, on few pixels
    assert difference.max() <= 1, difference.max()
    assert np.mean(difference > 0) < 0.01


def vector_shapes() -> list:
    """What scenes draw: text with holes (several subpaths), open curves, thick mitred
    strokes, gradient and transparent fills, a shape just off the frame whose stroke reaches
    in, shapes wholly off it (one with round joins, which Cairo keeps for the next stroke),
    points at infinity, one-curve paths."""
    from manim import ORIGIN, Arc, Line, MathTex, Polygon, Text, VMobject
    from manim.constants import LineJointType

    glyphs = MathTex(r"\sigma(w_1 a_1 + b) = 0.98", font_size=60).shift(UP * 2)
    word = Text("B8 eight", font_size=40).shift(DOWN * 2.5 + LEFT * 2)
    spiky = Polygon(LEFT * 2, UP, RIGHT * 0.5 + DOWN * 0.2, stroke_width=40).shift(DOWN)
    spiky.joint_type = LineJointType.MITER
    gradient = Square(2, fill_opacity=0.7, stroke_width=6).set_fill(["#FC6255", "#58C4DD"])
    gradient.shift(RIGHT * 3)
    hollow = Circle(1, fill_opacity=0, stroke_width=3).shift(LEFT * 4)
    # the frame is 14.2 wide at 16:9: this stroke starts outside and reaches in
    edge = Line(LEFT * 7.3 + UP * 3, LEFT * 7.3 + DOWN * 3, stroke_width=60)
    gone = Circle(0.5, stroke_width=8).move_to(UP * 30)
    gone.joint_type = LineJointType.ROUND
    after = Polygon(UP * 3 + RIGHT * 5, UP * 1 + RIGHT * 6.5, RIGHT * 4, stroke_width=30)
    inf = Square(1).shift(DOWN * 3 + RIGHT * 5)
    inf.points[2] = [np.inf, 0, 0]
    nan = Square(1).shift(DOWN * 3 + RIGHT * 3)
    nan.points[5] = [np.nan, 1, 0]
    one_curve = Arc(radius=1, angle=1.2, stroke_width=5).shift(RIGHT * 0.5)
    broken = VMobject(stroke_width=4)
    broken.set_points_as_corners([LEFT, ORIGIN, UP]).add_points_as_corners([DOWN * 2, DOWN * 3])
    # an edge's flash before its window arrives: every point the same; with round caps a dot
    from manim.constants import CapStyleType
    point = VMobject(stroke_width=12).set_points(np.tile([1.0, -1.0, 0.0], (8, 1)))
    dot = point.copy().shift(RIGHT * 1.5)
    dot.cap_style = CapStyleType.ROUND
    return [glyphs, word, spiky, gradient, hollow, edge, gone, after, inf, nan, one_curve, broken,
            point, dot]


@pytest.mark.parametrize("stock, fast", [(Camera, BoxedImageCamera),
                                         (ThreeDCamera, BoxedImageThreeDCamera)])
def test_fast_paths_draw_the_same_pixels(stock, fast):
    mobjects = vector_shapes()
    expected, got = frame(stock, mobjects), frame(fast, mobjects)
    assert (expected != frame(stock, [])).any()
    assert np.array_equal(got, expected)


def test_wholly_off_frame_mobjects_are_not_drawn_but_change_nothing(monkeypatch):
    """The shortcuts are taken (no path is built for a mobject far outside, nor for a stroke of
    no length), and what they skip
    would have drawn nothing: the frame equals manim's, and the line join the skipped stroke
    sets still reaches the stroke after it."""
    from manim import Polygon
    from manim.constants import LineJointType

    from manim import VMobject

    gone = Circle(0.5, stroke_width=8).move_to(UP * 30)
    gone.joint_type = LineJointType.ROUND
    after = Polygon(UP * 3 + RIGHT * 5, UP * 1 + RIGHT * 6.5, RIGHT * 4, stroke_width=40)
    point = VMobject(stroke_width=12).set_points(np.tile([1.0, -1.0, 0.0], (8, 1)))
    paths = []
    original = BoxedImageCamera._set_path
    monkeypatch.setattr(BoxedImageCamera, "_set_path",
                        lambda self, ctx, vm, flat: (paths.append(vm), original(self, ctx, vm, flat)))
    got = frame(BoxedImageCamera, [gone, point, after])
    assert paths == [after]
    assert np.array_equal(got, frame(Camera, [gone, point, after]))
    # the join matters: with manim's default (mitre) joins the corners come out differently
    assert not np.array_equal(got, frame(Camera, [after]))
