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

    # The narration says what the numbers say.
    narr = dict(scene.narrations)
    label = int(mnist.test_labels[scene.image_index])
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"a real {label}: {kind} image {scene.image_index}," in narr["forward"]
    k = int(np.argmax(random_out))
    assert f"{k} is brightest, at {random_out[k]:.2f}" in narr["mess"]
    close = [i for i in range(10) if i != k and random_out[k] - random_out[i] < 0.1]
    assert ("nearly as bright" in narr["mess"]) == bool(close)
    if k != label:
        assert f"while {label} gets {random_out[label]:.2f}" in narr["mess"]
    t = int(np.argmax(trained_out))
    right = "right" if t == label else "wrong"
    confident = trained_out[t] >= 0.8
    assert narr["trained"].startswith(f"The trained network, same image: {right}")
    assert ("and confident" in narr["trained"]) == confident
    others = np.delete(trained_out, t)
    assert ("every other output dark, below 0.1" in narr["trained"]) == bool(others.max() < 0.1)
    if others.max() >= 0.1:
        j = [i for i in range(10) if i != t][int(np.argmax(others))]
        assert f"the next brightest is {j}, at {trained_out[j]:.2f}" in narr["trained"]
    assert f"{kind} image" in scene.digit_label.get_tex_string()


def test_verdict_words_follow_the_outputs():
    out = np.full(10, 0.01)
    out[3] = 0.97
    assert cost.verdict_words(out, 3) == "right and confident (3 at 0.97)"
    out[3] = 0.5
    assert cost.verdict_words(out, 3) == "right, but not confident (3 at 0.50)"
    out[5] = 0.9
    assert cost.verdict_words(out, 3) == "wrong and confident (it says 5 at 0.90; 3 gets 0.50)"
    out[5] = 0.6
    assert cost.verdict_words(out, 3) == "wrong (it says 5 at 0.60; 3 gets 0.50)"
    assert cost.verdict_words(out, 5, confident_at=0.55).startswith("right and confident")
    assert cost.zero_output_cost(10, 4) == 1.0


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

    # The narration's facts, recomputed: the random cost against the cost of all-zero outputs
    # (exactly 1), the trained network's verdict and the jump to the misread image.
    narr = dict(scene.narrations)
    index, label = scene.examples["random"]
    x = np.asarray(mnist.test_x[index], dtype=float)
    costs = {key: float(np.sum((networks[key].feedforward(np.asarray(mnist.test_x[scene.examples[key][0]], float))
                                - np.eye(10)[scene.examples[key][1]]) ** 2)) for key in networks}
    zero = float(np.sum((np.zeros(10) - np.eye(10)[label]) ** 2))
    assert zero == 1.0
    assert scene.breakdowns["random"].cost_text() in narr["sum"]
    assert ("more than the 1 that all-zero outputs would cost" in narr["sum"]) == (costs["random"] > zero)
    out = net.feedforward(x)
    t = int(np.argmax(out))
    verdict = ("right" if t == label else "wrong") + (" and confident" if out[t] >= 0.8 else "")
    assert f"same {label}: {verdict}" in narr["trained"]
    assert ("and confident" in narr["trained"]) == bool(out[t] >= 0.8)
    assert ("only" in narr["trained"]) == (costs["trained"] < costs["random"])
    w_index, w_label = scene.examples["wrong"]
    kind = "Held-out" if mnist.source == "sample" else "Test"
    assert narr["wrong"].startswith(f"{kind} image {w_index} is a {w_label}")
    assert ("jumps to" in narr["wrong"]) == (costs["wrong"] > costs["trained"])
    assert scene.state["digit_caption"][0].get_tex_string() == f"{kind.lower()} image \\#{w_index}"
