"""Chapter 2 scenes: what each draws is recomputed from the network and the data."""

import numpy as np
import pytest

from network import load_trained
from network.model import Network
from network.train import TrainConfig
from scenes import style
from scenes.ch2 import cost, learned, learning
from tests.scene_support import check_on_frame, check_subtitles, quiet, render_scene


@pytest.fixture(scope="module")
def history_model(mnist, tmp_path_factory):
    """A few epochs on a subset: a history with several points, quickly."""
    return load_trained(TrainConfig(epochs=3, train_subset=3000), mnist,
                        directory=tmp_path_factory.mktemp("models"), progress=False, log=quiet)


def test_random_network_is_trash(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(cost.RandomNetworkIsTrash, mnist, quick_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir)
    check_subtitles(scene, video)
    check_on_frame(scene)
    assert scene.image_index == int(np.flatnonzero(mnist.test_labels == 3)[0])
    x = np.asarray(mnist.test_x[scene.image_index], dtype=float)
    fresh = Network(quick_model.network.sizes, seed=scene.fresh_seed)
    random_out = fresh.feedforward(x)
    trained_out = quick_model.network.feedforward(x)
    digits = [d.digit for d in scene.random_output_decimals]
    assert sorted(digits) == list(range(10))
    assert scene.random_values_shown == pytest.approx(random_out[digits], abs=1e-12)
    shown = {d.digit: d.get_value() for d in scene.trained_output_decimals}
    assert [shown[i] for i in range(10)] == pytest.approx(trained_out, abs=1e-12)
    assert scene.random_network_mobject.highlighted_index == int(np.argmax(random_out))
    assert scene.trained_network_mobject.highlighted_index == int(np.argmax(trained_out))
    assert np.allclose(scene.trained_network_mobject.shown_activations(3), np.clip(trained_out, 0, 1))


def test_what_hidden_neurons_look_for(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(learned.WhatHiddenNeuronsLookFor, mnist, quick_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir)
    check_subtitles(scene, video)
    check_on_frame(scene)
    W = quick_model.network.weights[0]
    assert list(scene.shown_neurons) == list(range(W.shape[0]))
    for j, grid in zip(scene.shown_neurons, scene.grids):
        assert np.array_equal(grid.flat_weights, W[j])
        assert grid.weight_scale == pytest.approx(np.abs(W[j]).max())
        brightness = grid.rgb.reshape(-1, 3).max(axis=1) / 255
        positive = grid.rgb.reshape(-1, 3)[:, 2] >= grid.rgb.reshape(-1, 3)[:, 0]  # blue vs red
        strong = np.abs(W[j]) > 0.2 * np.abs(W[j]).max()
        assert np.all(positive[strong] == (W[j][strong] > 0))
        assert np.corrcoef(brightness, np.abs(W[j]))[0, 1] > 0.99


def test_confident_nonsense(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(learned.ConfidentNonsense, mnist, quick_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir)
    check_subtitles(scene, video)
    check_on_frame(scene)
    assert np.array_equal(scene.pixels, learned.noise_pixels(scene.seed))
    out = quick_model.network.feedforward(scene.pixels.ravel() / 255.0)
    assert np.allclose(scene.outputs, out)
    assert [d.get_value() for d in scene.output_numbers] == pytest.approx(out, abs=1e-12)
    assert scene.prediction == int(np.argmax(out))
    assert scene.answer.get_value() == pytest.approx(out.max())
    assert scene.answer_digit.get_tex_string() == str(int(np.argmax(out)))
    for other in scene.others:
        o = quick_model.network.feedforward(learned.noise_pixels(other["seed"]).ravel() / 255.0)
        assert other["prediction"] == int(np.argmax(o))
        assert other["value"].get_value() == pytest.approx(o.max())


def test_learning_curve(mnist, history_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(learning.LearningCurve, mnist, history_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir)
    check_subtitles(scene, video)
    check_on_frame(scene)
    h = history_model.history
    acc = np.array(scene.accuracy_points)
    assert np.allclose(acc[:, 0], np.arange(1, len(h.epoch_accuracy) + 1))
    assert np.allclose(acc[:, 1], 100 * h.epoch_accuracy)
    assert scene.final_value.get_value() == pytest.approx(100 * history_model.test_accuracy, abs=1e-9)
    assert history_model.test_accuracy == pytest.approx(h.epoch_accuracy[-1], abs=2e-4)
    # The smooth curve is the trailing mean of the real step costs over `window` steps.
    spe, window = scene.steps_per_epoch, scene.window
    assert spe == len(h.step_cost) // len(h.epoch_cost)
    for x, y in scene.smooth_points:
        step = int(round(x * spe)) - 1
        assert y == pytest.approx(np.mean(h.step_cost[step - window + 1:step + 1]), rel=1e-5)
    raw = np.array(scene.raw_points)
    steps = np.rint(raw[:, 0] * spe).astype(int) - 1
    assert np.allclose(raw[:, 1], h.step_cost[steps])


def test_test_accuracy(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(learning.TestAccuracy, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, n_streamed=6, n_slow=2, gallery_size=6)
    check_subtitles(scene, video)
    check_on_frame(scene)
    net = quick_model.network
    predictions = net.predict(mnist.test_x)
    right = predictions == mnist.test_labels
    assert list(scene.streamed_indices) == list(range(6))
    assert list(scene.streamed_predictions) == list(predictions[:6])
    assert scene.counter_history[5] == (int(right[:6].sum()), 6)
    assert (scene.final_correct, scene.final_total) == (net.evaluate(mnist.test_x, mnist.test_labels), mnist.test_size)
    assert scene.correct_number.get_value() == scene.final_correct
    assert scene.total_number.get_value() == scene.final_total
    assert scene.accuracy_number.get_value() == pytest.approx(100 * scene.final_correct / scene.final_total)
    wrong = np.flatnonzero(~right)[:6]
    assert list(scene.gallery_indices) == list(wrong)
    assert list(scene.gallery_answers) == list(predictions[wrong])
    assert list(scene.gallery_labels) == list(mnist.test_labels[wrong])



def test_gradient_as_nudges(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(learning.GradientAsNudges, mnist, quick_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir)
    check_subtitles(scene, video)
    check_on_frame(scene)
    net = quick_model.network
    batch = slice(scene.batch_start, scene.batch_start + scene.batch_size)
    grad = net.backprop(mnist.train_x[batch], mnist.train_labels[batch])
    assert np.allclose(scene.gradient, -grad.flat())
    assert scene.cost == pytest.approx(grad.cost)
    n_weights = sum(w.size for w in net.weights)
    indices = [k for k in scene.shown_indices if k is not None]  # None marks a ⋮ row
    assert len(indices) == len(scene.shown_entries) == len(scene.value_mobjects) == len(scene.arrow_lengths)
    shown = list(zip(indices, scene.shown_entries, scene.shown_names, scene.value_mobjects,
                     scene.arrow_lengths, scene.arrow_colors))
    assert shown and shown[-1][0] == net.num_parameters - 1
    largest = max(abs(e) for _, e, *_ in shown)
    for k, entry, name, value, length, color in shown:
        assert entry == pytest.approx(-grad.flat()[k])
        assert value.get_value() == pytest.approx(entry)
        assert name == (f"w_{{{k}}}" if k < n_weights else f"b_{{{k - n_weights}}}")
        assert np.sign(length) == np.sign(entry)
        assert abs(length) == pytest.approx(scene.arrow_max_length * abs(entry) / largest)
        if entry == 0:  # a border pixel's weight: no ink, no nudge, no arrow
            assert color is None
            continue
        expected = style.PALETTE.positive if entry > 0 else style.PALETTE.negative
        assert color.to_hex().lower() == expected.to_hex().lower()
    assert abs(scene.gradient[scene.largest_index]) == np.abs(scene.gradient[:n_weights]).max()


def test_cost_of_one_example(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(cost.CostOfOneExample, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    check_subtitles(scene, video)
    check_on_frame(scene)
    net = quick_model.network
    fresh = Network(net.sizes, seed=scene.fresh_seed)
    networks = {"random": fresh, "trained": net, "wrong": net}
    assert set(scene.shown) == set(scene.examples)
    for key, shown in scene.shown.items():
        index, label = scene.examples[key]
        assert label == mnist.test_labels[index]
        x = np.asarray(mnist.test_x[index], dtype=float)
        a = networks[key].feedforward(x)
        y = np.eye(10)[label]
        real_cost = networks[key].backprop(x, label).cost
        assert [d.get_value() for d in shown["a_decimals"]] == pytest.approx(a, abs=1e-12)
        assert [d.get_value() for d in shown["y_decimals"]] == list(y)
        assert shown["cost_decimal"].get_value() == pytest.approx(real_cost, abs=1e-12)
        assert np.allclose(shown["output_fills"], np.clip(a, 0, 1))
        # What is written adds up: each shown square is the square of the shown values, and
        # the shown cost the sum of the shown squares, to the precision shown.
        b = scene.breakdowns[key]
        shown_squares = []
        for i, term in enumerate(shown["terms"]):
            parts = [t.tex_string for t in term]
            a_shown, y_shown, square_shown = float(parts[1]), float(parts[3]), float(parts[6])
            assert abs(a_shown - a[i]) <= 0.5 * 10 ** -b.a_places + 1e-12
            assert square_shown == pytest.approx(round((a_shown - y_shown) ** 2, b.square_places), abs=1e-12)
            shown_squares.append(square_shown)
        cost_text = float(cost.fmt(real_cost, b.cost_places))
        assert cost_text == pytest.approx(round(sum(shown_squares), b.cost_places), abs=1e-12)
    wrong_index = scene.examples["wrong"][0]
    assert net.predict(mnist.test_x[wrong_index]) != mnist.test_labels[wrong_index]
    assert np.all(net.predict(mnist.test_x[:wrong_index]) == mnist.test_labels[:wrong_index])
