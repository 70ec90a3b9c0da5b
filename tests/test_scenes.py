"""The scenes draw the real network: read back what was drawn and compare it to the numbers."""

import subprocess
import sys

import numpy as np
import pytest
from manim import ORANGE, RED, BLUE

from network import Network
from scenes import style
from scenes.mobjects import DigitImage, NetworkMobject, PixelGrid, choose_input_indices
from tests.conftest import ROOT
from tests.scene_support import check_on_frame, check_subtitles, render_scene


@pytest.fixture(scope="module")
def digit(mnist):
    return mnist.test_images[0], np.asarray(mnist.test_x[0], dtype=float)


def hex_of(color):
    return color.to_hex().lower()


def check_fills_match(nm, network, activations):
    for l, (indices, shown) in enumerate(nm.drawn_state()):
        expected = np.clip(activations[l][indices], 0, 1)
        assert np.allclose(shown, expected, atol=1e-12, rtol=0), f"layer {l}"
    assert nm.drawn_indices(0) == sorted(nm.drawn_indices(0))


# ------------------------------------------------------------------- (a) the network mobject
def test_network_mobject_shows_a_real_forward_pass(digit):
    image, x = digit
    network = Network((784, 16, 16, 10), seed=0)
    _, activations = network.forward(x)
    nm = NetworkMobject(network, example=x)
    nm.set_activations(activations)

    # Every circle is filled with the activation of the real neuron it stands for.
    check_fills_match(nm, network, activations)

    # The drawn inputs are the documented pixels and show exactly their values.
    shown_pixels = nm.drawn_indices(0)
    assert shown_pixels == choose_input_indices(x)
    assert len(shown_pixels) == 16
    assert np.array_equal(nm.shown_activations(0), x[shown_pixels])
    assert np.allclose(nm.shown_activations(0), image.ravel()[shown_pixels] / 255.0, atol=1e-7)  # float32 input
    rows, cols = np.nonzero(image)
    for p in shown_pixels:  # inside the ink's bounding box
        assert rows.min() <= p // 28 <= rows.max() and cols.min() <= p % 28 <= cols.max()
    assert np.count_nonzero(x[shown_pixels]) >= 2, "the drawn inputs should sample some ink"
    for l in (1, 2, 3):
        assert nm.drawn_indices(l) == list(range(network.sizes[l]))

    # Every edge stands for one real weight, runs between its two circles, coloured by sign.
    palette = nm.palette
    for l, group in enumerate(nm.edge_groups):
        pairs = {(e.source, e.target) for e in group}
        assert pairs == {(s, t) for s in nm.drawn_indices(l) for t in nm.drawn_indices(l + 1)}
        assert len(group) == len(pairs)
        for edge in group:
            w = network.weights[l][edge.target, edge.source]
            assert edge.weight == w
            assert hex_of(edge.get_stroke_color()) == hex_of(palette.positive if w >= 0 else palette.negative)
            start, end = edge.get_start(), edge.get_end()
            assert np.linalg.norm(start - nm.neuron(l, edge.source).get_center()) == pytest.approx(nm.neuron_radius, abs=1e-6)
            assert np.linalg.norm(end - nm.neuron(l + 1, edge.target).get_center()) == pytest.approx(nm.neuron_radius, abs=1e-6)
        # Stronger weights are drawn wider, and the strongest is the widest.
        by_strength = sorted(group, key=lambda e: abs(e.weight))
        widths = [e.get_stroke_width() for e in by_strength]
        assert widths == sorted(widths)
        assert widths[-1] == pytest.approx(style.EDGE_MAX_WIDTH)
    # Edges are drawn behind the neurons.
    family = nm.get_family()
    assert family.index(nm.edge_groups) < family.index(nm.layers)

    # The highlighted output is the network's answer, and its labels are the digits.
    box = nm.highlight_output()
    answer = int(np.argmax(network.feedforward(x)))
    assert nm.highlighted_index == answer == network.predict(x)
    assert [label.digit for label in nm.output_labels] == list(range(10))
    assert box.get_left()[0] < nm.neuron(3, answer).get_left()[0]
    assert box.get_right()[0] > nm.output_label(answer).get_right()[0]


def test_the_animations_end_on_the_real_activations(digit):
    _, x = digit
    network = Network((784, 16, 16, 10), seed=3)
    _, activations = network.forward(x)
    nm = NetworkMobject(network, example=x)
    animation = nm.forward_pass_animation(activations, run_time_per_layer=1.0)
    assert animation.run_time > 3
    animation.begin()
    animation.finish()
    check_fills_match(nm, network, activations)


def test_the_palette_is_one_swappable_pair():
    assert style.palette_from_env({}).positive == BLUE
    assert style.palette_from_env({}).negative == RED
    colorblind = style.palette_from_env({"NN_PALETTE": "colorblind"})
    assert (colorblind.positive, colorblind.negative) == (BLUE, ORANGE)
    with pytest.raises(ValueError, match="NN_PALETTE"):
        style.palette_from_env({"NN_PALETTE": "rainbow"})
    network = Network((20, 5, 3), seed=1)
    nm = NetworkMobject(network, palette=colorblind)
    colors = {hex_of(e.get_stroke_color()) for g in nm.edge_groups for e in g}
    assert colors <= {hex_of(BLUE), hex_of(ORANGE)}


# --------------------------------------------------------------------- (b) other layer sizes
@pytest.mark.parametrize("sizes, circles, dotted", [
    ((784, 32, 10), [16, 16, 10], [True, True, False]),
    ((20, 5, 3), [16, 5, 3], [True, False, False]),
])
def test_any_layer_sizes(sizes, circles, dotted):
    network = Network(sizes, seed=0)
    nm = NetworkMobject(network)
    assert [len(layer.neurons) for layer in nm.layers] == circles
    assert [layer.dots is not None for layer in nm.layers] == dotted
    for layer, size, has_dots in zip(nm.layers, sizes, dotted):
        if has_dots:
            assert layer.brace_label.get_tex_string() == str(size)
            assert layer.brace.get_right()[0] < layer.neurons.get_left()[0]
    for l, group in enumerate(nm.edge_groups):
        assert len(group) == circles[l] * circles[l + 1]
    assert [label.digit for label in nm.output_labels] == list(range(sizes[-1]))
    if sizes[1] == 32:
        assert nm.drawn_indices(1) == list(range(8)) + list(range(24, 32))
    x = np.random.default_rng(0).random(sizes[0])
    _, activations = network.forward(x)
    nm.set_activations(activations)
    check_fills_match(nm, network, activations)
    assert nm.brightest_output() == network.predict(x)
    with pytest.raises(ValueError):
        nm.set_activations(activations[:-1])


def test_digit_images_show_their_pixels(digit):
    image, x = digit
    shown = DigitImage(image, height=2.8)
    assert np.array_equal(shown.pixels, image)
    assert np.allclose(shown.values.ravel(), x)
    assert shown.height == pytest.approx(2.8)
    # Pixel 0 is the top-left corner, pixel 27 the top-right, 28 the start of row two.
    step = shown.pixel_size
    c0, c27, c28 = (shown.pixel_center(i) for i in (0, 27, 28))
    assert c27[0] - c0[0] == pytest.approx(27 * step)
    assert c0[1] - c28[1] == pytest.approx(step)
    grid = PixelGrid(image, height=2.8)
    assert len(grid.squares) == 784
    assert np.allclose(grid.shown_values(), x)
    assert np.allclose(grid.pixel_center(300), shown.pixel_center(300) - shown.get_center() + grid.get_center())


def test_scene_list():
    from scenes.__main__ import list_scenes

    out = subprocess.run([sys.executable, "-m", "scenes", "list"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()]
    assert ["scenes/chapter1.py", "ForwardPass"] in rows
    assert all(len(row) == 2 and (ROOT / row[0]).is_file() for row in rows)
    # Exactly `<file> <SceneName>` a line, nothing else (make video reads it).
    assert out == "".join(f"{rel} {name}\n" for rel, name in list_scenes())


# ---------------------------------------------------------------------- (c) the real scene
def test_forward_pass_scene_renders_the_real_network(mnist, quick_model, tex_dir, tmp_path,
                                                     monkeypatch):
    from scenes.chapter1 import ForwardPass

    # A quickly trained network keeps the test short; the scene's own path is load_trained().
    scene, video = render_scene(ForwardPass, mnist, quick_model, tmp_path, monkeypatch, tex_dir=tex_dir)

    # What the scene drew is the real forward pass of the real test image.
    i = ForwardPass.image_index
    x = np.asarray(mnist.test_x[i], dtype=float)
    _, activations = quick_model.network.forward(x)
    nm = scene.network_mobject
    assert nm.network is quick_model.network
    check_fills_match(nm, quick_model.network, activations)
    assert nm.drawn_indices(0) == choose_input_indices(x)
    assert np.array_equal(scene.digit.pixels, mnist.test_images[i])

    answer = int(np.argmax(activations[-1]))
    assert scene.prediction == nm.highlighted_index == answer
    assert scene.answer.get_value() == pytest.approx(activations[-1][answer], abs=1e-12)
    assert scene.answer_digit.get_tex_string() == str(answer)
    assert scene.label_text.get_tex_string() == f"label: {int(mnist.test_labels[i])}"
    assert scene.true_label == int(mnist.test_labels[i])
    assert f"{100 * quick_model.test_accuracy:.1f}" in scene.caption.get_tex_string()
    assert f"{quick_model.train_size:,}" in scene.caption.get_tex_string()

    # Nothing is drawn off the frame.
    check_on_frame(scene)

    # The video and one subtitle per beat, in order, beside it.
    check_subtitles(scene, video, min_beats=5, in_order=True)
