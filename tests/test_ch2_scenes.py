"""Chapter 2 scenes: what each draws is recomputed from the network and the data."""

import numpy as np
import pytest

from network.model import Network
from scenes.ch2 import cost
from tests.scene_support import check_on_frame, check_subtitles, render_scene


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
