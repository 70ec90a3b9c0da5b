"""Chapter 2, learning scenes: the gradient column, the learning curve and the test count are
read back from what was drawn and compared with numbers recomputed from the network/data."""

import numpy as np
import pytest
from manim import Arrow, color_to_rgb

from network import load_trained
from network.train import TrainConfig
from scenes import style
from scenes.ch2.learning import (
    GradientAsNudges,
    LearningCurve,
    TestAccuracy,
    moving_average,
    parameter_location,
)
from scenes.text import decimal_places, parameter_name
from tests.scene_support import check_on_frame, check_subtitles, quiet, render_scene


def same_color(a, b):
    return np.allclose(color_to_rgb(a), color_to_rgb(b), atol=1e-3)


# ---------------------------------------------------------------------- helpers
def test_parameter_names_follow_flat_parameters(quick_model):
    net = quick_model.network
    n = net.num_parameters
    n_w = sum(w.size for w in net.weights)
    assert n == 13002 and n_w == 12960
    assert parameter_name(net, 0) == "w_{0}" and parameter_name(net, n_w - 1) == "w_{12{,}959}"
    assert parameter_name(net, n_w) == "b_{0}" and parameter_name(net, n - 1) == "b_{41}"
    with pytest.raises(IndexError):
        parameter_name(net, n)
    flat = net.flat_parameters()
    for k in (0, 5000, 12543, 12544, 12959, 12960, 12999, n - 1):
        kind, l, idx = parameter_location(net, k)
        assert getattr(net, kind)[l][idx] == flat[k]


def test_decimal_places_show_the_significant_digits():
    assert decimal_places(0.0054) == 4 and decimal_places(-0.0054) == 4   # 0.0054
    assert decimal_places(0.05, digits=1) == 2 and decimal_places(3.2) == 2
    assert decimal_places(0.0176, least=4, most=10) == 4
    assert decimal_places(2e-7, least=4, most=10) == 8                      # not +0.0000
    assert decimal_places(1e-12, least=4, most=10) == 10
    assert decimal_places(0.0) == 2 and decimal_places(0.0, least=3, most=6) == 3
    assert decimal_places(0.00123, digits=4, least=3, most=6) == 6


def test_moving_average():
    v = np.arange(10.0)
    assert np.allclose(moving_average(v, 3), [1, 2, 3, 4, 5, 6, 7, 8])
    assert np.allclose(moving_average(v, 10), [4.5])


# ------------------------------------------------------------------- GradientAsNudges
def test_gradient_scene_shows_the_real_gradient(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(GradientAsNudges, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    net = quick_model.network
    b0, n = GradientAsNudges.batch_start, GradientAsNudges.batch_size
    x = np.asarray(mnist.train_x[b0:b0 + n], dtype=float)
    expected = -net.backprop(x, mnist.train_labels[b0:b0 + n]).flat()
    assert np.allclose(scene.gradient, expected, atol=1e-15)
    # It is not the gradient of another batch (the check can fail).
    other = -net.backprop(np.asarray(mnist.train_x[n:2 * n], float), mnist.train_labels[n:2 * n]).flat()
    assert not np.allclose(scene.gradient, other, atol=1e-6)

    shown = [i for i in scene.shown_indices if i is not None]
    N = net.num_parameters
    assert shown[:2] == [0, 1] and shown[-2:] == [N - 2, N - 1]
    assert scene.shown_indices.count(None) == 2
    k = int(np.argmax(np.abs(expected[:12960])))
    assert scene.largest_index == k and k in shown
    names = [m.get_tex_string() for m in scene.label_mobjects]
    assert names == [parameter_name(net, i) for i in shown]
    assert names[-1] == "b_{41}" and names[0] == "w_{0}"

    values = np.array([d.get_value() for d in scene.value_mobjects])
    assert np.allclose(values, expected[shown], atol=1e-15)
    largest = np.max(np.abs(expected[shown]))
    for d, v in zip(scene.value_mobjects, expected[shown]):
        assert d.num_decimal_places == scene.decimals
    # Enough decimals that the largest shown entry has two significant digits on screen.
    assert round(largest, scene.decimals) >= 10 ** (1 - scene.decimals)
    for arrow, v, length, color, i in zip(scene.arrows, expected[shown], scene.arrow_lengths,
                                          scene.arrow_colors, shown):
        assert arrow.entry_index == i
        assert length == pytest.approx(GradientAsNudges.arrow_max_length * v / largest)
        if v == 0:
            assert color is None and not isinstance(arrow, Arrow)
            continue
        assert isinstance(arrow, Arrow)
        drawn = arrow.get_end()[1] - arrow.get_start()[1]
        assert drawn == pytest.approx(length, abs=1e-6)
        want = style.PALETTE.positive if v > 0 else style.PALETTE.negative
        assert same_color(color, want) and same_color(arrow.get_color(), want)

    # Edges: the gradient copy's weights are -dC/dW; each edge stands for its own entry.
    nm = scene.network_mobject
    grad_w = [-g for g in net.backprop(x, mnist.train_labels[b0:b0 + n]).weights]
    assert net.weights[0] is not scene.gradient_network.weights[0]
    for l, group in enumerate(nm.edge_groups):
        drawn = np.array([[e.target, e.source] for e in group])
        g = grad_w[l][drawn[:, 0], drawn[:, 1]]
        assert np.allclose([e.weight for e in group], g, atol=1e-15)
        m = np.max(np.abs(g))
        for e, v in zip(group, g):
            want = style.PALETTE.positive if v >= 0 else style.PALETTE.negative
            assert same_color(e.get_stroke_color(), want)
            r = (abs(v) / m) ** style.EDGE_POWER
            assert e.get_stroke_width() == pytest.approx(
                style.EDGE_MIN_WIDTH + (style.EDGE_MAX_WIDTH - style.EDGE_MIN_WIDTH) * r)
    assert nm.edge_groups in scene.mobjects
    assert "12,960 weights" in scene.order_caption.get_tex_string()
    check_on_frame(scene)
    check_subtitles(scene, video, in_order=True, seconds=(20, 60))


# ------------------------------------------------------------------------ LearningCurve
@pytest.fixture(scope="module")
def history_model(mnist, tmp_path_factory):
    """A short real run with a few epochs, so the curves have several points."""
    return load_trained(TrainConfig(epochs=4, train_subset=2000), mnist,
                        directory=tmp_path_factory.mktemp("models"), progress=False, log=quiet)


def test_learning_curve_plots_the_real_history(mnist, history_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(LearningCurve, mnist, history_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    h = history_model.history
    E = len(h.epoch_accuracy)
    assert E == 4 and len(h.step_cost) == 4 * 100
    spe = len(h.step_cost) // E
    assert scene.steps_per_epoch == spe == scene.window  # one epoch's steps

    # Smoothed cost: trailing mean of one epoch's steps; at each epoch's end it is epoch_cost.
    ma = moving_average(h.step_cost, spe)
    for x, y in scene.smooth_points:
        step = round(x * spe) - 1
        assert y == pytest.approx(ma[step - spe + 1])
    ends = {round(x * spe): y for x, y in scene.smooth_points}
    for e in range(1, E + 1):
        assert ends[e * spe] == pytest.approx(h.epoch_cost[e - 1], rel=1e-5)
    # ... and the drawn curve passes through those points.
    ax = scene.cost_axes
    curve_pts = scene.smooth_curve.get_anchors()
    for x, y in scene.smooth_points:
        assert np.min(np.linalg.norm(curve_pts - ax.c2p(x, y), axis=1)) < 1e-6
    raw = dict(((round(x * spe) - 1), y) for x, y in scene.raw_points)
    assert all(y == pytest.approx(float(h.step_cost[s])) for s, y in raw.items())

    # Accuracy: one dot per epoch, at the recorded test accuracy.
    assert [p for p in scene.accuracy_points] == [(e + 1, 100 * float(a)) for e, a in enumerate(h.epoch_accuracy)]
    for dot, (x, y) in zip(scene.accuracy_dots, scene.accuracy_points):
        assert np.allclose(dot.get_center(), scene.accuracy_axes.c2p(x, y), atol=1e-6)
    # The highlighted final value is the model's own measurement, which equals the last epoch's
    # accuracy: training measures the same network on the same test set after its last epoch
    # (evaluate counts correct answers, so float32 vs float64 only matters on an exact tie).
    acc = history_model.test_correct / history_model.test_size
    assert scene.final_value.get_value() == pytest.approx(100 * acc)
    assert h.epoch_accuracy[-1] == pytest.approx(acc, abs=2 / history_model.test_size)
    assert np.allclose(scene.final_dot.get_center(), scene.accuracy_axes.c2p(E, 100 * acc))
    assert scene.final_count.get_tex_string() == \
        f"{history_model.test_correct:,}".replace(",", "{,}") + r"\,/\," + \
        f"{history_model.test_size:,}".replace(",", "{,}")

    # The narration's facts, recomputed from the history.
    narr = dict(scene.narrations)
    assert f"batch of {history_model.config.batch_size} images" in narr["axes"]
    last = np.asarray(h.step_cost[-spe:], dtype=float)
    lo, hi = float(last.min()), float(last.max())
    assert f"over the last {spe:,} steps alone, from " in narr["raw"]
    shown_lo, shown_hi = (float(v) for v in narr["raw"].rstrip(".").split("from ")[-1].split(" to "))
    assert shown_lo == pytest.approx(lo, rel=0.01) and shown_hi == pytest.approx(hi, rel=0.01)
    assert ("jumps about" in narr["raw"]) == (hi - lo >= 0.5 * last.mean())
    ends = np.asarray(h.epoch_cost, dtype=float)   # one-epoch windows end on the epoch means
    assert np.allclose(scene.window_ends(), ends, rtol=1e-5)
    drops = int(np.sum(np.diff(ends) < 0))
    assert ("falls steadily, lower after every epoch" in narr["smooth"]) == (drops == E - 1)
    if drops < E - 1:
        assert f"{drops} of {E - 1} epochs" in narr["smooth"]
    shown = [float(v) for v in narr["smooth"].rstrip(".").split("from ")[-1].split(" to ")]
    assert shown == [pytest.approx(ends[0], rel=0.01), pytest.approx(ends[-1], rel=0.01)]
    kind = "held-out" if mnist.source == "sample" else "test"
    assert scene.accuracy_labels[1].get_tex_string().startswith(f"{kind} accuracy")
    assert f"{kind} images right" in narr["final"]
    check_on_frame(scene)
    check_subtitles(scene, video, in_order=True, seconds=(20, 60))


def test_learning_curve_words_follow_the_numbers():
    """The smoothed-cost narration on made-up records: steady, mostly, barely, not at all."""
    scene = LearningCurve.__new__(LearningCurve)
    scene.window = scene.steps_per_epoch = 2

    def words(values):
        scene.step_cost = np.repeat(np.asarray(values, dtype=float), 2)
        return scene.smooth_narration()

    assert "falls steadily, lower after every epoch: from 5.00 to 1.00" in words([5, 4, 3, 2, 1])
    assert "falls, lower after 4 of 5 epochs" in words([6, 5, 4, 4.5, 2, 1])
    assert "ends lower, but falls after only 1 of 3 epochs" in words([4, 4.5, 5, 3])
    assert "does not fall" in words([1, 2, 3])
    scene.window = 10
    assert "falls" not in words([5, 4, 3, 2, 1])  # one window: nothing to compare with


# ------------------------------------------------------------------------- TestAccuracy
def test_test_accuracy_counts_for_real(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(TestAccuracy, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5, n_streamed=12, n_slow=1)
    net = quick_model.network
    pred = net.predict(np.asarray(mnist.test_x, float))
    labels = np.asarray(mnist.test_labels).astype(int)
    ok = pred == labels
    assert scene.streamed_indices == list(range(12))
    assert scene.streamed_predictions == list(pred[:12])
    running = [(int(ok[:k + 1].sum()), k + 1) for k in range(12)]
    final = (net.evaluate(mnist.test_x, mnist.test_labels), len(labels))
    assert final[0] == int(ok.sum()) == quick_model.test_correct
    assert scene.counter_history == running + [final]
    assert scene.correct_number.get_value() == final[0]
    assert scene.total_number.get_value() == final[1] == mnist.test_size
    assert scene.accuracy_number.get_value() == pytest.approx(100 * final[0] / final[1])
    # While it runs on through the test set, the counter shows real running counts.
    onwards = scene.count_onwards()
    seen = []
    for alpha in (0.0, 0.3, 0.61, 1.0):
        onwards.interpolate_mobject(alpha)
        k = int(scene.total_number.get_value())
        assert scene.correct_number.get_value() == int(ok[:k].sum())
        seen.append(k)
    assert seen[0] == 12 and seen[0] < seen[1] < seen[2] < seen[3]
    assert int(scene.total_number.get_value()) == final[1]

    wrong = np.flatnonzero(~ok)[:12]
    assert scene.gallery_indices == list(wrong)
    assert scene.gallery_answers == list(pred[wrong]) and scene.gallery_labels == list(labels[wrong])
    for d, t, i in zip(scene.gallery, scene.gallery_texts, wrong):
        assert np.array_equal(d.pixels, mnist.test_images[i])
        assert t.tex_strings == [r"\text{says }", str(pred[i]), r"\text{, is }", str(labels[i])]
        assert pred[i] != labels[i]
    assert f"of {final[1] - final[0]:,}" in scene.gallery_title.get_tex_string()
    kind = "held-out" if mnist.source == "sample" else "test"
    narr = dict(scene.narrations)
    assert f"the {mnist.test_size:,} {kind} images, which the network never saw" in narr["stream"]
    assert f"{final[0]:,} right, {100 * final[0] / final[1]:.2f}%" in narr["all"]
    check_on_frame(scene)
    check_subtitles(scene, video, in_order=True, seconds=(15, 60))
