"""Chapter 3, the careful and the drunk walker: the heat map is the real cost of the trained
network on chapter 2's slice, and both paths are real descent iterates, recomputed here from
backprop and read back from the drawing through the axes."""

import numpy as np
import pytest
from manim import DL, UR

from network import one_hot
from network.landscape import CostSlice
from scenes.ch3 import walkers
from tests.scene_support import check_on_frame, check_subtitles, render_scene

SMALL = dict(n_images=100, resolution=12, careful_steps_count=5, batch_size=10)


def slice_gradient(s, alpha, beta, x, labels):
    """(dC/dα, dC/dβ) from backprop of the moved network, projected on the two directions."""
    net = s.net.copy()
    net.set_flat_parameters(s.center + alpha * s.d1 + beta * s.d2)
    g = net.backprop(x, one_hot(labels)).flat()
    return np.array([s.d1 @ g, s.d2 @ g])


def cost_at(s, alpha, beta):
    net = s.net.copy()
    net.set_flat_parameters(s.center + alpha * s.d1 + beta * s.d2)
    return net.cost(s.x, s.labels)


@pytest.fixture(scope="module")
def rendered(mnist, partial_model, quick_model, tmp_path_factory, tex_dir):
    mp = pytest.MonkeyPatch()
    try:
        scene, video = render_scene(walkers.StochasticDescent, mnist, partial_model,
                                    tmp_path_factory.mktemp("walkers"), mp, tex_dir=tex_dir,
                                    frame_rate=5, load_slice_model=lambda self, d: quick_model,
                                    **SMALL)
    finally:
        mp.undo()
    n = SMALL["n_images"]
    s = CostSlice.around(quick_model.network, np.asarray(mnist.train_x[:n], dtype=float),
                         mnist.train_labels[:n], seed=walkers.StochasticDescent.slice_seed)
    return scene, video, s


def test_heat_map_is_the_real_cost(rendered):
    scene, video, s = rendered
    ax = scene.axes
    assert scene.cost_slice.net is not None
    assert np.allclose(scene.cost_slice.center, s.center) and np.allclose(scene.cost_slice.d1, s.d1)

    # sample points: cell centres of the square, and their costs
    res, e = SMALL["resolution"], scene.extent
    assert len(scene.alphas) == len(scene.betas) == res
    assert scene.alphas[0] > -e and scene.alphas[-1] < e
    for i, j in [(0, 0), (3, 7), (res - 1, 2), (6, res - 1), (res // 2, res // 2)]:
        assert scene.heat_values[i, j] == pytest.approx(cost_at(s, scene.alphas[j], scene.betas[i]), rel=1e-9)
    low = min(cost_at(s, a, b) for a in scene.alphas for b in scene.betas)
    high = max(cost_at(s, a, b) for a in scene.alphas for b in scene.betas)
    assert scene.scale_low.get_value() == pytest.approx(low) and scene.scale_high.get_value() == pytest.approx(high)

    # the image's pixels: where each pixel sits, through the axes, is its sample point, and
    # its colour is that point's cost on the colour scale (darkest stop at the lowest cost)
    pixels = scene.heat_map.pixel_array
    assert pixels.shape[:2] == (res, res)
    left_bottom, right_top = scene.heat_map.get_corner(DL), scene.heat_map.get_corner(UR)
    size = (right_top - left_bottom)[:2] / res
    for r, c in [(0, 0), (2, 9), (res - 1, res - 1), (7, 4)]:
        point = left_bottom + np.array([(c + 0.5) * size[0], (res - r - 0.5) * size[1], 0])
        alpha, beta = ax.p2c(point)
        assert (alpha, beta) == pytest.approx((scene.alphas[c], scene.betas[res - 1 - r]), abs=1e-6)
        expected = walkers.heat_color(cost_at(s, alpha, beta), low, high).to_rgb()
        assert np.allclose(pixels[r, c, :3] / 255, expected, atol=1.5 / 255)
    darkest = np.unravel_index(np.argmin(scene.heat_values[::-1]), (res, res))
    brightest = np.unravel_index(np.argmax(scene.heat_values[::-1]), (res, res))
    assert pixels[darkest][:3].sum() < pixels[brightest][:3].sum()

    # contour lines: every segment end lies on a cell edge where the costs, interpolated
    # linearly along that edge, equal the contour's level
    alphas, betas = scene.alphas, scene.betas
    assert len(scene.contours) == len(scene.contour_levels) > 0
    for curve, level in zip(scene.contours, scene.contour_levels):
        assert low < level < high
        points = np.concatenate([curve.points[0::4], curve.points[3::4]])
        ends = [ax.p2c(p) for p in points[::3]]
        assert ends
        for a, b in ends:
            on_column = np.isclose(alphas, a, atol=1e-6)
            on_row = np.isclose(betas, b, atol=1e-6)
            assert on_column.any() or on_row.any()
            if on_column.any():
                j = int(np.argmax(on_column))
                i = min(int(np.searchsorted(betas, b)) - 1, res - 2)
                i = max(i, 0)
                t = (b - betas[i]) / (betas[i + 1] - betas[i])
                v = (1 - t) * cost_at(s, alphas[j], betas[i]) + t * cost_at(s, alphas[j], betas[i + 1])
            else:
                i = int(np.argmax(on_row))
                j = max(min(int(np.searchsorted(alphas, a)) - 1, res - 2), 0)
                t = (a - alphas[j]) / (alphas[j + 1] - alphas[j])
                v = (1 - t) * cost_at(s, alphas[j], betas[i]) + t * cost_at(s, alphas[j + 1], betas[i])
            assert v == pytest.approx(level, rel=1e-6)


def test_walkers_are_real_descent_iterates(rendered):
    scene, video, s = rendered
    ax, eta = scene.axes, scene.eta
    n, batch = SMALL["n_images"], SMALL["batch_size"]

    # careful: full-batch gradient steps from the start
    careful = [np.array(scene.start, dtype=float)]
    for _ in range(SMALL["careful_steps_count"]):
        careful.append(careful[-1] - eta * slice_gradient(s, *careful[-1], s.x, s.labels))
    careful = np.array(careful)
    # drunk: consecutive minibatches of a seeded shuffle, one pass over the images
    order = np.random.default_rng(scene.shuffle_seed).permutation(n)
    drunk = [np.array(scene.start, dtype=float)]
    for k in range(n // batch):
        b = order[k * batch:(k + 1) * batch]
        drunk.append(drunk[-1] - eta * slice_gradient(s, *drunk[-1], s.x[b], s.labels[b]))
    drunk = np.array(drunk)

    for path, expected, dots, line in [
            (scene.careful_path, careful, scene.careful_dots, scene.careful_line),
            (scene.drunk_path, drunk, scene.drunk_dots, scene.drunk_line)]:
        assert np.allclose(path[:, :2], expected, atol=1e-10)
        assert np.allclose(path[:, 2], [cost_at(s, a, b) for a, b in expected], rtol=1e-9)
        drawn = np.array([ax.p2c(d.get_center()) for d in dots])
        assert np.allclose(drawn, expected, atol=1e-6)
        corners = np.array([ax.p2c(p) for p in line.get_start_anchors()] + [ax.p2c(line.get_end())])
        assert np.allclose(corners, expected, atol=1e-6)

    # minibatch steps are not the full-batch ones, and one pass of them gets much further
    assert not np.allclose(drunk[1], careful[1])
    assert scene.drunk_path[-1, 2] < scene.careful_path[1, 2]

    # readouts
    assert scene.careful_steps.get_value() == SMALL["careful_steps_count"]
    assert scene.drunk_steps.get_value() == n // batch
    assert scene.careful_cost.get_value() == pytest.approx(cost_at(s, *careful[-1]))
    assert scene.drunk_cost.get_value() == pytest.approx(cost_at(s, *drunk[-1]))
    assert scene.same_work == n and scene.same_work_steps == n // batch
    careful_n, drunk_n = scene.same_work_costs
    assert careful_n.get_value() == pytest.approx(cost_at(s, *careful[1]))
    assert drunk_n.get_value() == pytest.approx(cost_at(s, *drunk[n // batch]))

    check_subtitles(scene, video, min_beats=4, in_order=True)
    check_on_frame(scene)


def test_narration_states_the_measured_paths(rendered):
    """What the narration says about each walk, recomputed from the iterates' costs and from
    the heat map's sampled costs."""
    scene, video, s = rendered
    said = dict(scene.narrations)
    n, batch = SMALL["n_images"], SMALL["batch_size"]
    careful = np.array([cost_at(s, a, b) for a, b in scene.careful_path[:, :2]])
    drunk = np.array([cost_at(s, a, b) for a, b in scene.drunk_path[:, :2]])
    careful_down = int(np.sum(np.diff(careful) < 0))
    steps = SMALL["careful_steps_count"]
    if careful_down == steps:
        assert f"every one of its {steps} steps lowering the cost" in said["careful"]
    else:
        assert f"{careful_down} of its {steps} steps lower the cost" in said["careful"]
    uphill = int(np.sum(np.diff(drunk) >= 0))
    if uphill:
        assert f"it stumbles, {uphill} of its {n // batch} steps going uphill" in said["drunk"]
    else:
        assert "it stumbles" not in said["drunk"]
    assert f"{n // batch} times cheaper" in said["drunk"]

    # For the same work: where the drunk walker is, against the map's lowest and highest cost.
    low = min(cost_at(s, a, b) for a in scene.alphas for b in scene.betas)
    high = max(cost_at(s, a, b) for a in scene.alphas for b in scene.betas)
    c = drunk[n // batch]
    height = (c - low) / (high - low)
    assert scene.drunk_height == pytest.approx(height)
    compare = said["compare"]
    assert f"the drunk one has taken {n // batch} steps" in compare
    assert ("near the bottom" in compare) == (0 < height <= 0.1)
    assert ("at the bottom" in compare) == (height <= 0)
    if height > 0:
        assert f"{100 * height:.0f}% of the map's range" in compare or 100 * height < 1
    assert ("yet is no lower" in compare) == (c >= careful[1])
    assert f"C = {c:.3f}" in compare


def test_height_phrase_words_follow_the_numbers():
    assert walkers.height_phrase(0.05, 0.02, 0.04) == \
        "near the bottom: C = 0.050, 2% of the map's range above its lowest point (0.040)"
    assert walkers.height_phrase(0.4, 0.5, 0.04).startswith("at C = 0.400, 50% of the map's range")
    assert walkers.height_phrase(0.0441, -0.001, 0.0443) == \
        "at the bottom: C = 0.0441, below even the map's lowest sampled point (0.0443)"
    assert walkers.count_downhill([3.0, 2.0, 2.5, 1.0]) == (2, 3)


def test_bad_batch_size_is_a_clear_error(mnist, partial_model, quick_model, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="batch_size must divide"):
        render_scene(walkers.StochasticDescent, mnist, partial_model, tmp_path, monkeypatch,
                     video=False, n_images=100, batch_size=7,
                     load_slice_model=lambda self, d: quick_model)


def test_contour_segments_of_a_plane():
    xs = ys = np.linspace(0, 1, 5)
    values = np.add.outer(ys, xs)          # v = x + y
    segments = walkers.contour_segments(values, xs, ys, 1.0)
    assert segments
    for (x0, y0), (x1, y1) in segments:
        assert x0 + y0 == pytest.approx(1.0) and x1 + y1 == pytest.approx(1.0)
