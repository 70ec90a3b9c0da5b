"""Chapter 2, gradient descent on surfaces: the surfaces drawn are the functions named, the
arrows are the real gradient, and the paths drawn are gradient-descent iterates, all
recomputed here and read back from the drawing with ``axes.p2c``."""

import numpy as np
import pytest
import srt
from manim import (
    DEGREES,
    UL,
    UR,
    WHITE,
    Dot3D,
    ImageMobject,
    Square,
    ThreeDScene,
    VMobject,
    config,
)

from network.landscape import CostSlice
from scenes.base import ThreeDBeatScene
from scenes.ch2 import surface
from tests.scene_support import FRAME_X, FRAME_Y, check_subtitles, render_scene


def c(x, y):
    """The bowl written out independently: 3/2 x² + 1/2 y²."""
    return 1.5 * x ** 2 + 0.5 * y ** 2


def grad_c(p):
    return np.array([3.0 * p[0], 1.0 * p[1]])


def drawn_parts(scene):
    for mob in scene.mobjects:
        for part in mob.get_family():
            if isinstance(part, ImageMobject) or (isinstance(part, VMobject) and part.has_points()):
                yield part


def check_3d_on_frame(scene):
    """Fixed-in-frame text is on the frame as it stands; everything else is on the frame as
    the camera projects it."""
    camera = scene.renderer.camera
    fixed = camera.fixed_in_frame_mobjects
    for part in drawn_parts(scene):
        points = part.points if not isinstance(part, ImageMobject) else part.get_all_points()
        if part not in fixed:
            points = camera.project_points(points)
        assert np.all(np.abs(points[:, 0]) <= FRAME_X), part
        assert np.all(np.abs(points[:, 1]) <= FRAME_Y), part


def check_surface_heights(axes, surf, height, *, every=1, atol=1e-6):
    """Every ``every``-th face's corners lie on z = height(x, y)."""
    faces = [f for f in surf.submobjects if f.has_points()]
    assert faces
    for face in faces[::every]:
        for point in face.get_anchors()[:4]:
            x, y, z = axes.p2c(point)
            assert z == pytest.approx(height(x, y), abs=atol)


class FixedTextIn3D(ThreeDBeatScene):
    """Two beats: a white square fixed in the frame's upper left corner, a second square at the
    upper right left in the 3-D scene, and a dot; then the camera turns."""

    def construct(self):
        self.set_camera_orientation(phi=60 * DEGREES, theta=-60 * DEGREES)
        self.beat("A square fixed in the frame, one in the scene.", "fixed")
        self.fixed_square = Square(side_length=0.8, fill_color=WHITE, fill_opacity=1,
                                   stroke_width=0).to_corner(UL, buff=0.5)
        self.scene_square = self.fixed_square.copy().to_corner(UR, buff=0.5)
        self.add_fixed_in_frame_mobjects(self.fixed_square)
        self.add(self.scene_square)
        self.dot = Dot3D([2, 0, 0], color=WHITE)
        self.add(self.dot)
        self.dot_before = self.renderer.camera.project_point(self.dot.get_center())
        self.beat("The camera turns; the fixed square stays put.", "turn")
        self.move_camera(theta=30 * DEGREES, run_time=1)
        self.dot_after = self.renderer.camera.project_point(self.dot.get_center())


def brightness_at(scene, point) -> float:
    """Brightness in [0, 1] of the scene's last rendered frame at the frame point ``point``."""
    frame = scene.renderer.get_frame()
    h, w = frame.shape[:2]
    col = int((point[0] / config.frame_width + 0.5) * w)
    row = int((0.5 - point[1] / config.frame_height) * h)
    return float(frame[row, col, :3].mean()) / 255.0


def test_three_d_beat_scene_tells_beats_and_keeps_fixed_text_flat(tmp_path, monkeypatch, tex_dir):
    """The 3-D base (the one TwoVariableGradient and CostSurfaceDescent stand on) really is a
    3-D scene told in beats: one subtitle per beat, in order, and text fixed in the frame
    drawn where it was put however the camera turns, while the scene itself turns."""
    scene, video = render_scene(FixedTextIn3D, None, None, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    assert isinstance(scene, ThreeDScene)
    assert [name for name, _ in scene.narrations] == ["fixed", "turn"]
    subtitles = list(srt.parse(video.with_suffix(".srt").read_text()))
    assert [s.content for s in subtitles] == [text for _, text in scene.narrations]
    assert subtitles[0].start.total_seconds() == pytest.approx(0, abs=0.25)
    for a, b in zip(subtitles, subtitles[1:]):
        assert a.start < a.end <= b.start
    for sub, (_, text) in zip(subtitles, scene.narrations):  # each on screen long enough to read
        assert (sub.end - sub.start).total_seconds() >= scene.reading_time(text) - 0.25
    # The camera did turn: the dot's place on screen moved.
    assert np.linalg.norm(scene.dot_after[:2] - scene.dot_before[:2]) > 1.0
    # The fixed square is drawn where it was put; the square left in the scene is not.
    assert scene.fixed_square in scene.renderer.camera.fixed_in_frame_mobjects
    assert scene.scene_square not in scene.renderer.camera.fixed_in_frame_mobjects
    assert brightness_at(scene, scene.fixed_square.get_center()) > 0.95
    assert brightness_at(scene, scene.scene_square.get_center()) < 0.05


def test_two_variable_gradient_is_the_real_bowl(tmp_path, monkeypatch, tex_dir):
    scene, video = render_scene(surface.TwoVariableGradient, None, None, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5, resolution=12)
    ax = scene.axes

    # The surface is C = 3/2 x² + 1/2 y² and the formula says so.
    check_surface_heights(ax, scene.surface, c)
    assert scene.formula.get_tex_string().replace(" ", "") == r"C(x,y)=\tfrac{3}{2}x^2+\tfrac{1}{2}y^2"

    # ∇C(1, 1) = (3, 1), recomputed; the readouts show exactly these numbers.
    assert scene.point == (1.0, 1.0)
    assert np.allclose(scene.gradient, grad_c(scene.point))
    assert scene.gradient_tex[5].tex_string == "3" and scene.gradient_tex[7].tex_string == "1"
    assert scene.partials_tex[1].tex_string == "3" and scene.partials_tex[3].tex_string == "1"
    narr = dict(scene.narrations)
    assert "(3, 1)" in narr["components"] and "nudging x changes the cost 3 times" in narr["components"]
    assert "the point (1, 1)" in narr["directions"]

    # The arrows lie in the input plane, from (1, 1), along +∇C and -∇C.
    for arrow, sign in ((scene.gradient_arrow, 1), (scene.downhill_arrow, -1)):
        start, end = ax.p2c(arrow.get_start()), ax.p2c(arrow.get_end())
        assert np.allclose(start, [1, 1, 0], atol=1e-6) and end[2] == pytest.approx(0, abs=1e-6)
        step = end[:2] - start[:2]
        assert np.allclose(step, sign * scene.arrow_scale * grad_c(scene.point), atol=1e-6)

    # The path drawn: gradient-descent iterates of C, on the surface; its shadow in the plane.
    eta, path = scene.eta, scene.path
    expected = [np.array(scene.point)]
    for _ in range(scene.steps):
        expected.append(expected[-1] - eta * grad_c(expected[-1]))
    assert np.allclose(path, expected, atol=1e-12)
    drawn = [ax.p2c(line.get_start()) for line in scene.path_line] + [ax.p2c(scene.path_line[-1].get_end())]
    for (x, y, z), (ex, ey) in zip(drawn, expected):
        assert (x, y) == (pytest.approx(ex, abs=1e-6), pytest.approx(ey, abs=1e-6))
        assert z == pytest.approx(c(x, y), abs=1e-6)
    for line, (ex, ey) in zip(scene.shadow_line, expected):
        assert np.allclose(ax.p2c(line.get_start()), [ex, ey, 0], atol=1e-6)
    x, y, z = ax.p2c(scene.ball.get_center() - scene.ball.lift * np.array([0, 0, 1]))
    assert np.allclose([x, y, z], [*expected[-1], c(*expected[-1])], atol=1e-6)
    assert c(*expected[-1]) < c(*expected[0]) / 100
    end = c(*expected[-1])
    assert f"in {scene.steps} steps the cost goes from {c(*expected[0]):g} to " in narr["descent"]
    shown_end = float(narr["descent"].split(" to ")[-1].split(",")[0])
    assert shown_end == pytest.approx(end, rel=0.01)
    assert narr["descent"].endswith("the bottom of the bowl.")
    assert f"{eta:g}" in scene.rule_eta.get_tex_string()

    check_subtitles(scene, video, min_beats=6, in_order=True, seconds=(25, 90))
    check_3d_on_frame(scene)


@pytest.fixture
def small_surface():
    return dict(grid_size=9, image_count=200, steps=8)


def test_cost_surface_descent_is_the_real_cost_slice(tmp_path, monkeypatch, tex_dir, mnist,
                                                     quick_model, small_surface):
    scene, _ = render_scene(surface.CostSurfaceDescent, mnist, quick_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False, **small_surface)
    ax = scene.axes
    n = small_surface["image_count"]
    # The slice recomputed independently: same network, same images, same seed.
    recomputed = CostSlice.around(quick_model.network, mnist.train_x[:n], mnist.train_labels[:n],
                                  seed=scene.direction_seed)
    assert np.array_equal(recomputed.d1, scene.slice.d1) and np.array_equal(recomputed.d2, scene.slice.d2)
    assert scene.parameter_count == quick_model.network.flat_parameters().size == 13002
    assert "13{,}002" in scene.count_tex.get_tex_string()
    assert f"{n:,}" in scene.images_tex.get_tex_string()

    # Surface heights are C(θ* + α d₁ + β d₂) at the grid points, sampled and recomputed.
    faces = [f for f in scene.surface.submobjects if f.has_points()]
    assert len(faces) == (small_surface["grid_size"] - 1) ** 2
    for face in faces[::7]:
        for point in face.get_anchors()[:4]:
            a, b, z = ax.p2c(point)
            assert z == pytest.approx(recomputed.cost(a, b), abs=1e-6)

    # Each drawn path, read back in (α, β), is recomputed gradient descent on the slice.
    assert scene.eta == pytest.approx(0.05)
    for start in scene.starts:
        expected = recomputed.descent(start, scene.eta, scene.steps)
        line = scene.path_lines[tuple(start)]
        drawn = np.array([ax.p2c(seg.get_start()) for seg in line] + [ax.p2c(line[-1].get_end())])
        assert drawn.shape == expected.shape
        assert np.allclose(drawn, expected, atol=1e-6)
        for k in range(scene.steps):  # and each step really is -eta times the slice's gradient
            step = expected[k + 1, :2] - expected[k, :2]
            assert np.allclose(step, -scene.eta * recomputed.gradient(*expected[k, :2]), atol=1e-9)
        ball = scene.balls[tuple(start)]
        assert np.allclose(ax.p2c(ball.get_center() - ball.lift * np.array([0, 0, 1])), expected[-1], atol=1e-6)

    # Readouts: the lead ball's last iterate, and the cost at θ* itself.
    lead = recomputed.descent(scene.starts[0], scene.eta, scene.steps)[-1]
    assert scene.alpha_number.get_value() == pytest.approx(lead[0], abs=1e-9)
    assert scene.beta_number.get_value() == pytest.approx(lead[1], abs=1e-9)
    assert scene.cost_number.get_value() == pytest.approx(lead[2], abs=1e-9)
    center = quick_model.network.cost(mnist.train_x[:n], mnist.train_labels[:n])
    assert scene.center_number.get_value() == pytest.approx(center, abs=1e-9)
    # The ending's words follow the numbers.
    ending = scene.narrations[-1][1]
    path = recomputed.descent(scene.starts[0], scene.eta, scene.steps)
    assert f"α = {lead[0]:+.3f}, β = {lead[1]:+.3f}" in ending
    k = next((k for k in range(4, 9) if f"{lead[2]:.{k}f}" != f"{center:.{k}f}"), 8)
    assert scene.cost_places == k
    assert scene.cost_number.num_decimal_places == scene.center_number.num_decimal_places == k
    assert f"C = {lead[2]:.{k}f}" in ending and f"{center:.{k}f} at θ*" in ending
    assert ("off centre" in ending) == (lead[2] < center)
    if lead[2] < center:
        assert ("slightly off centre" in ending) == (center - lead[2] < 0.1 * center)
    last_step = np.hypot(*(path[-1, :2] - path[-2, :2]))
    assert ("settles" in ending) == (last_step < 0.01 * scene.extent)
    assert ("close to the trained weights" in ending) == (np.hypot(*lead[:2]) < 0.25 * scene.extent)
    check_3d_on_frame(scene)


@pytest.mark.parametrize("overrides, message", [(dict(grid_size=1), "grid_size"),
                                                (dict(image_count=10 ** 9), "image_count")])
def test_cost_surface_descent_rejects_impossible_sizes(tmp_path, monkeypatch, mnist, quick_model,
                                                       overrides, message):
    with pytest.raises(ValueError, match=message):
        render_scene(surface.CostSurfaceDescent, mnist, quick_model, tmp_path, monkeypatch,
                     video=False, **overrides)
