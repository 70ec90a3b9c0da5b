"""Chapter 3's summary: the output nudges, the per-example and averaged bias nudges and the
SGD cost curve drawn are recomputed here from the network, without the scene's code paths."""

from types import SimpleNamespace

import numpy as np
import pytest

from network.model import one_hot, sigmoid
from scenes.ch3 import summary
from scenes.ch3.steps import cost_trend
from tests.scene_support import check_on_frame, check_subtitles, render_scene

SMALL = dict(sgd_steps=12, held_out=300)


def output_delta(net, x, labels):
    """−∂C/∂b of the output layer per example, written out: −2(a − y) σ'(z)."""
    zs, acts = net.forward(np.atleast_2d(x))
    a = acts[-1]
    return -2 * (a - one_hot(labels, a.shape[1])) * a * (1 - a)


@pytest.fixture(scope="module")
def rendered(mnist, partial_model, tmp_path_factory, tex_dir):
    mp = pytest.MonkeyPatch()
    try:
        scene, video = render_scene(summary.BackpropSummary, mnist, partial_model,
                                    tmp_path_factory.mktemp("summary"), mp, tex_dir=tex_dir,
                                    frame_rate=5, **SMALL)
    finally:
        mp.undo()
    return scene, video


def test_one_example_wishes_are_backprops(rendered, mnist, partial_model):
    scene, video = rendered
    net = partial_model.network
    twos = np.flatnonzero(mnist.train_labels == 2)
    story = int(twos[np.argmax(net.predict(mnist.train_x[twos].astype(float)) != 2)])
    assert scene.example_index == story
    x = mnist.train_x[story].astype(float)
    a = sigmoid(net.weights[-1] @ sigmoid(net.weights[1] @ sigmoid(net.weights[0] @ x + net.biases[0])
                                          + net.biases[1]) + net.biases[-1])
    nudges = -2 * (a - one_hot([2])[0])
    assert np.allclose(scene.outputs, a) and np.allclose(scene.output_nudges, nudges)
    assert nudges[2] > 0 and np.all(np.delete(nudges, 2) <= 0)
    for circle, arrow, act, v in zip(scene.output_neurons, scene.output_arrows, a, nudges):
        assert circle.get_fill_opacity() == pytest.approx(act)
        vec = arrow.get_end() - arrow.get_start()
        assert abs(vec[0]) < 1e-9
        assert vec[1] == pytest.approx(scene.arrow_scale * v, abs=1e-6)
        assert abs(arrow.get_center()[0] - circle.get_center()[0]) < 1e-6


def test_average_over_minibatch(rendered, mnist, partial_model):
    scene, video = rendered
    net = partial_model.network
    order = np.random.default_rng(scene.shuffle_seed).permutation(len(mnist.train_x))
    assert np.array_equal(scene.shuffle, order)
    batch = order[:scene.batch_size]
    x = mnist.train_x.astype(float)
    per_example = output_delta(net, x[batch], mnist.train_labels[batch])
    shown = batch[:scene.shown_count]
    assert scene.shown_examples == list(shown)
    for chart, values, drawn in zip(scene.example_charts, per_example, scene.example_nudges):
        assert np.allclose(drawn, values, atol=1e-12)
        read = [summary.bar_value(chart, i) for i in range(10)]
        assert np.allclose(read, values, atol=1e-6)
    average = per_example.mean(axis=0)
    assert np.allclose(scene.average_nudge, average, atol=1e-12)
    read = [summary.bar_value(scene.average_chart, i) for i in range(10)]
    assert np.allclose(read, average, atol=1e-6)
    # the average chart is drawn ×zoom bigger than the examples' and says so
    ratio = scene.average_chart.scale_factor / scene.example_charts[0].scale_factor
    assert ratio == pytest.approx(scene.average_zoom)
    assert f"{scene.average_zoom}" in scene.zoom_tex.get_tex_string()


def test_cost_curve_is_a_real_sgd_run(rendered, mnist, partial_model):
    scene, video = rendered
    net = partial_model.network.copy()
    config = partial_model.config
    order = np.random.default_rng(scene.shuffle_seed).permutation(len(mnist.train_x))
    x, n = mnist.train_x.astype(float), len(mnist.train_x)
    tx, tl = mnist.test_x[:SMALL["held_out"]].astype(float), mnist.test_labels[:SMALL["held_out"]]
    batch_costs, held = [], [net.cost(tx, tl)]
    for k in range(SMALL["sgd_steps"]):
        b = order[k * scene.batch_size:(k + 1) * scene.batch_size]
        batch_costs.append(net.cost(x[b], mnist.train_labels[b]))
        g = net.backprop(x[b], mnist.train_labels[b])
        for l in range(len(net.weights)):
            net.weights[l] = net.weights[l] * (1 - config.eta * config.l2 / n) - config.eta * g.weights[l]
            net.biases[l] = net.biases[l] - config.eta * g.biases[l]
        held.append(net.cost(tx, tl))
    assert np.allclose(scene.batch_costs, batch_costs, rtol=1e-9)
    assert np.allclose(scene.held_out_costs, held, rtol=1e-9)
    assert held[-1] < held[0]

    ax = scene.cost_axes
    for curve, values in [(scene.batch_curve, batch_costs), (scene.held_out_curve, held)]:
        corners = np.array([ax.p2c(p) for p in curve.get_start_anchors()] + [ax.p2c(curve.get_end())])
        assert np.allclose(corners, np.column_stack([np.arange(len(values)), values]), atol=1e-6)

    before = partial_model.network.evaluate(mnist.test_x, mnist.test_labels) / len(mnist.test_x)
    after = net.evaluate(mnist.test_x, mnist.test_labels) / len(mnist.test_x)
    assert scene.accuracy_before == pytest.approx(before) and scene.accuracy_after == pytest.approx(after)
    text = scene.accuracy_tex.get_tex_string()
    assert f"{100 * before:.1f}" in text and f"{100 * after:.1f}" in text

    check_subtitles(scene, video, min_beats=3, in_order=True)
    check_on_frame(scene)
    assert [name for name, _ in scene.narrations] == ["backprop", "average", "repeat"]

    # The narration's facts, recomputed: the example's reading, the run's size, the trend.
    said = dict(scene.narrations)
    i = scene.example_index
    guess = int(partial_model.network.predict(mnist.train_x[i]))
    assert (f"training image {i}, a 2 the network misreads as a {guess}." if guess != 2
            else f"training image {i}, a 2 the network reads right.") in said["backprop"]
    used = SMALL["sgd_steps"] * scene.batch_size
    assert f"for {SMALL['sgd_steps']} steps ({used:,} of the {n:,} training images)" in said["repeat"]
    assert f"{SMALL['held_out']:,} test images {cost_trend(held)}." in said["repeat"]
    assert f"from {100 * before:.1f}% to {100 * after:.1f}% right" in said["repeat"]
    # the trend's words follow the numbers: falls, and how much of it in the first half
    share = (held[0] - held[(len(held) - 1) // 2]) / (held[0] - held[-1])
    assert f"falls from {held[0]:.3f} to {held[-1]:.3f}" in said["repeat"]
    assert ("levelling out" in said["repeat"]) == (0.6 <= share <= 1)
    assert ("still falling" in said["repeat"]) == (share <= 0.4)


def test_cost_trend_words_follow_the_numbers():
    assert cost_trend([1.0, 0.4, 0.2]) == ("falls from 1.000 to 0.200, 75% of that in the first "
                                           "half of the steps: it is levelling out")
    assert cost_trend([1.0, 0.9, 0.5]) == ("falls from 1.000 to 0.500, only 20% of that in the "
                                           "first half of the steps: it is still falling")
    assert cost_trend([1.0, 0.75, 0.5]) == "falls from 1.000 to 0.500, about evenly over the steps"
    assert cost_trend([1.0, 0.2, 0.5]).endswith("it rose again in the second half of the steps")
    assert cost_trend([0.5, 0.4, 0.6]).startswith("does not fall: 0.500 before")
    # a fall too small for 3 decimals is shown with more
    assert cost_trend([0.40012, 0.4001, 0.40008]).startswith("falls from 0.400120 to 0.400080")


@pytest.mark.parametrize("n, steps, said", [
    (8000, 80, "80 steps (one pass over the 8,000 training images)"),       # the bundled sample
    (60000, 200, "200 steps (20,000 of the 60,000 training images)"),       # the full MNIST
    (8050, 80, "80 steps (one pass, 8,000 of the 8,050 training images)"),
])
def test_settings_adapt_to_the_data(n, steps, said):
    """The summary never refuses its data: at most one pass, and it says which."""
    scene = summary.BackpropSummary.__new__(summary.BackpropSummary)
    scene.data = SimpleNamespace(train_x=np.zeros((n, 1)), test_x=np.zeros((500, 1)))
    scene.adapt_settings()
    assert scene.sgd_steps == steps and scene.held_out == 500 and scene.batch_size == 100
    assert scene.requested["sgd_steps"] == summary.BackpropSummary.sgd_steps
    assert scene.steps_phrase() == said


def test_too_many_steps_become_one_pass_and_say_so(mnist, partial_model, tmp_path, monkeypatch,
                                                   tex_dir):
    scene, _ = render_scene(summary.BackpropSummary, mnist, partial_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False, sgd_steps=10 ** 6, held_out=300,
                            batch_size=1000)   # larger minibatches: fewer steps in one pass, quicker
    n = len(mnist.train_x)
    assert scene.sgd_steps == n // scene.batch_size == len(scene.batch_costs)
    one_pass = (f"one pass over the {n:,} training images" if n % scene.batch_size == 0
                else f"one pass, {scene.sgd_steps * scene.batch_size:,} of the {n:,} training images")
    assert f"for {scene.sgd_steps:,} steps ({one_pass})." in dict(scene.narrations)["repeat"]
    assert one_pass in scene.steps_label[1].get_tex_string()
    check_on_frame(scene)
