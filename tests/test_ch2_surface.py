"""Chapter 2, gradient descent on surfaces: the surfaces drawn are the functions named, the
arrows are the real gradient, and the paths drawn are gradient-descent iterates, all
recomputed here and read back from the drawing with ``axes.p2c``."""

import numpy as np
import pytest
from manim import ImageMobject, VMobject

from network.landscape import CostSlice
from scenes.base import ThreeDBeatScene, ThreeDNetworkScene
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


def test_three_d_bases_are_beat_scenes():
    from scenes.base import BeatScene, Beats, NetworkScene
    for cls in (ThreeDBeatScene, ThreeDNetworkScene, BeatScene, NetworkScene):
        assert issubclass(cls, Beats) and hasattr(cls, "beat")
    assert hasattr(ThreeDBeatScene, "set_camera_orientation")
    assert hasattr(ThreeDNetworkScene, "load_network") and hasattr(NetworkScene, "load_network")


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
    assert "(3, 1)" in scene.narrations[4][1] and "3 times" in scene.narrations[4][1]

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
    assert ("slightly off centre" in scene.narrations[-1][1]) == (lead[2] < center)
    check_3d_on_frame(scene)


@pytest.mark.parametrize("overrides, message", [(dict(grid_size=1), "grid_size"),
                                                (dict(image_count=10 ** 9), "image_count")])
def test_cost_surface_descent_rejects_impossible_sizes(tmp_path, monkeypatch, mnist, quick_model,
                                                       overrides, message):
    with pytest.raises(ValueError, match=message):
        render_scene(surface.CostSurfaceDescent, mnist, quick_model, tmp_path, monkeypatch,
                     video=False, **overrides)
