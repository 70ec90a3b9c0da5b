"""Chapter 3, minibatches and one training step: the shuffle, every plotted cost, the updated
weights on the edges and the measured costs are recomputed here from the network and compared
with what the scenes drew."""

import numpy as np
import pytest

from network.train import sgd
from scenes.ch3 import steps
from scenes.ch3.steps import cost_trend
from scenes.mobjects import as_pixels
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def seed0_order(n):
    """The shuffle written out independently: numpy's permutation with seed 0."""
    return np.random.default_rng(0).permutation(n)


@pytest.fixture(scope="module")
def library_run(mnist, partial_model):
    """The same epoch run by the library's own ``sgd`` (float32, its own shuffle with seed 0,
    no weight decay, minibatches of 100) from the partly trained network."""
    config = partial_model.config.replace(epochs=1, batch_size=100, train_subset=0, l2=0.0,
                                          schedule="constant", seed=0)
    return sgd(config, mnist.train_x, mnist.train_labels, net=partial_model.network)


def curve_points(axes, curve):
    """(x, y) in data units of every corner of a polyline drawn with set_points_as_corners."""
    pts = list(curve.points[::4]) + [curve.points[-1]]
    return np.array([axes.p2c(p) for p in pts])


def test_minibatches_shuffle_and_run_are_real(mnist, partial_model, library_run, tmp_path,
                                              monkeypatch, tex_dir):
    asked, probe = 120, 300
    scene, video = render_scene(steps.MiniBatches, mnist, partial_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5, max_steps=asked, probe_size=probe,
                                shown_batches=2)  # fewer thumbnails: a quicker render
    net = partial_model.network
    n = len(mnist.train_x)
    # 120 steps asked for; the data has ceil(n / 100) minibatches (80 in the bundled sample)
    minibatches = -(-n // 100)
    steps_taken = min(asked, minibatches)
    order = seed0_order(n)
    assert np.array_equal(scene.order, order)
    assert scene.eta == partial_model.config.eta and scene.steps == steps_taken

    # Thumbnails: first the training images in order, then the front of the shuffle.
    shown = 100 * scene.shown_batches
    assert [t.train_index for t in scene.ordered_thumbs] == list(range(shown))
    assert [t.train_index for t in scene.thumbs] == list(order[:shown])
    for t in list(scene.thumbs)[::17]:
        assert np.array_equal(t.pixels, as_pixels(mnist.train_x[t.train_index]))
    # Each minibatch group is 100 consecutive shuffled images, inside its own box.
    for b, (group, box) in enumerate(zip(scene.batch_groups, scene.batch_boxes)):
        assert [t.train_index for t in group] == list(order[100 * b:100 * (b + 1)])
        assert box.get_left()[0] < group.get_left()[0] and group.get_right()[0] < box.get_right()[0]
    assert scene.batch_boxes[0].get_right()[0] < scene.batch_boxes[1].get_left()[0]

    # Each step's minibatch cost: the library's own sgd records the same numbers (float32).
    assert scene.batch_costs == pytest.approx(library_run[1].step_cost[:steps_taken], rel=2e-4)

    # The test-image cost after every step, recomputed with a hand-written update.
    x = np.asarray(mnist.train_x, float)
    labels = np.asarray(mnist.train_labels).astype(int)
    tx, tl = np.asarray(mnist.test_x[:probe], float), np.asarray(mnist.test_labels[:probe]).astype(int)
    w = net.copy()
    expected = [w.cost(tx, tl)]
    for k in range(steps_taken):
        b = order[100 * k:100 * (k + 1)]
        g = w.backprop(x[b], labels[b])
        w.weights = [W - scene.eta * dW for W, dW in zip(w.weights, g.weights)]
        w.biases = [B - scene.eta * dB for B, dB in zip(w.biases, g.biases)]
        expected.append(w.cost(tx, tl))
    assert scene.probe_costs == pytest.approx(expected, abs=1e-9)
    assert expected[0] == pytest.approx(net.cost(tx, tl))
    assert expected[-1] < expected[0] - 0.05  # the run really learns

    # What is plotted is exactly those costs, one corner per step.
    ax = scene.axes
    got = curve_points(ax, scene.batch_curve)
    assert np.allclose(got[:, 0], np.arange(1, steps_taken + 1), atol=1e-6)
    assert np.allclose(got[:, 1], library_run[1].step_cost[:steps_taken], rtol=2e-4, atol=1e-6)
    got = curve_points(ax, scene.probe_curve)
    assert np.allclose(got[:, 0], np.arange(steps_taken + 1), atol=1e-6)
    assert np.allclose(got[:, 1], expected, atol=1e-6)
    for dot in scene.step_dots:
        sx, sy = ax.p2c(dot.get_center())
        assert sx == pytest.approx(dot.step) and sy == pytest.approx(scene.batch_costs[dot.step - 1], abs=1e-6)
    assert scene.start_number.get_value() == pytest.approx(expected[0])
    assert scene.end_number.get_value() == pytest.approx(expected[-1])

    # The narration's facts, recomputed from the data and the run.
    said = dict(scene.narrations)
    assert f"every one of the {n:,} training images" in said["data"]
    assert f"as much as {minibatches:,} steps on minibatches of 100" in said["data"]
    assert f"minibatches of 100: {minibatches:,} of them" in said["split"]
    assert "computed from its own 100 images only" in said["steps"]
    assert f"A real run of {steps_taken:,} such steps" in said["run"]
    assert f"the cost on {probe:,} test images {cost_trend(expected)}." in said["run"]
    batch_jump = np.mean(np.abs(np.diff(library_run[1].step_cost[:steps_taken])))
    probe_jump = np.mean(np.abs(np.diff(expected)))
    assert scene.batch_jump == pytest.approx(batch_jump, rel=1e-3)
    assert scene.probe_jump == pytest.approx(probe_jump, rel=1e-9)
    assert ("jumps about" in said["run"]) == (batch_jump > 2 * probe_jump)
    coverage = (f"one pass through the {n:,} training images" if steps_taken == minibatches
                else f"{steps_taken:,} of the {minibatches:,} minibatches")
    assert said["result"] == (f"Cost on {probe:,} test images: {expected[0]:.3f} before, "
                              f"{expected[-1]:.3f} after {coverage}.")

    check_subtitles(scene, video, min_beats=6, in_order=True)
    check_on_frame(scene)


def test_one_training_step_updates_the_real_weights(mnist, partial_model, library_run, tmp_path,
                                                     monkeypatch, tex_dir):
    scene, video = render_scene(steps.OneTrainingStep, mnist, partial_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    net = partial_model.network
    eta = partial_model.config.eta
    batch = seed0_order(len(mnist.train_x))[:100]
    assert np.array_equal(scene.batch, batch)
    assert [t.train_index for t in scene.thumbs] == list(batch)
    x = np.asarray(mnist.train_x[batch], float)
    labels = np.asarray(mnist.train_labels[batch]).astype(int)

    # The step, by hand: W - eta * dC/dW, b - eta * dC/db, backprop averaged over the batch.
    g = net.backprop(x, labels)
    new = net.copy()
    new.weights = [W - eta * dW for W, dW in zip(net.weights, g.weights)]
    new.biases = [B - eta * dB for B, dB in zip(net.biases, g.biases)]
    assert np.allclose(scene.new_network.flat_parameters(), new.flat_parameters(), rtol=0, atol=1e-12)
    assert not np.allclose(new.flat_parameters(), net.flat_parameters(), rtol=0, atol=1e-6)
    assert f"{eta:g}" in scene.rule.get_tex_string()

    # Costs before and after, measured, as shown; the same batch is step 1 of MiniBatches' run.
    assert scene.cost_before == pytest.approx(net.cost(x, labels))
    assert scene.cost_after == pytest.approx(new.cost(x, labels))
    assert scene.cost_before == pytest.approx(float(library_run[1].step_cost[0]), rel=2e-4)
    assert scene.cost_after < scene.cost_before
    assert scene.before_number.get_value() == pytest.approx(scene.cost_before)
    assert scene.after_number.get_value() == pytest.approx(scene.cost_after)
    assert scene.drop_number.get_value() == pytest.approx(scene.cost_after - scene.cost_before)

    # The change drawn is -eta * gradient; the edges the scene ends on carry the new weights.
    nm = scene.after_mobject
    assert scene.shown_edges is nm.edge_groups
    assert any(nm.edge_groups is m for m in scene.mobjects)
    for l in range(len(net.weights)):
        for e in scene.change_mobject.edge_groups[l]:
            assert e.weight == pytest.approx(-eta * g.weights[l][e.target, e.source], abs=1e-12)
        group = nm.edge_groups[l]
        largest = max(abs(e.weight) for e in group)
        for e in group:
            assert e.weight == pytest.approx(new.weights[l][e.target, e.source], abs=1e-12)
            stroke = nm.edge_stroke(e.weight, largest)
            assert e.get_stroke_width() == pytest.approx(stroke["width"])
            assert e.get_stroke_color().to_hex() == stroke["color"].to_hex()

    # The singled-out edge has the largest drawn change, with its real weights before/after.
    l, s, t = scene.focus_edge
    drawn = [(abs(e.weight), e.source, e.target, ll) for ll in range(len(net.weights))
             for e in scene.change_mobject.edge_groups[ll]]
    assert max(drawn)[1:] == (s, t, l)
    assert scene.focus_numbers[0].get_value() == pytest.approx(net.weights[l][t, s])
    assert scene.focus_numbers[1].get_value() == pytest.approx(new.weights[l][t, s])

    # The narration's facts: the largest change of any parameter, and which way the cost went.
    said = dict(scene.narrations)
    largest = np.max(np.abs(new.flat_parameters() - net.flat_parameters()))
    places = max(2, int(np.ceil(-np.log10(largest))) + 1)
    assert f"none moves by more than {largest:.{places}f}," in said["update"]
    before, after = net.cost(x, labels), new.cost(x, labels)
    verb = "fell" if after < before else "rose"
    assert said["cost"] == f"Measured again, the batch's cost {verb} from {before:.3f} to {after:.3f}."

    check_subtitles(scene, video, min_beats=4, in_order=True)
    check_on_frame(scene)
