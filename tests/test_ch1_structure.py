"""Chapter 1 structure scenes: every size, index, value and count on screen is read back and
compared with numbers recomputed from the network and the data."""

from types import SimpleNamespace

import numpy as np
import pytest
from manim import VMobject

from network import Network
from scenes import style
from scenes.ch1 import structure
from scenes.ch1.structure import CountingParameters, LayersOfTheNetwork, NetworkIsAFunction
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def overlaps(a, b) -> bool:
    return not (a.get_right()[0] <= b.get_left()[0] or b.get_right()[0] <= a.get_left()[0]
                or a.get_top()[1] <= b.get_bottom()[1] or b.get_top()[1] <= a.get_bottom()[1])


def expected_count_parts(network):
    """The sums, recomputed from the parameter arrays themselves (not their shapes)."""
    weights = [w.size for w in network.weights]
    biases = [len(b) for b in network.biases]
    return weights, biases, sum(weights), sum(biases)


def tex_int(n):
    return f"{n:,}".replace(",", "{,}")


# ------------------------------------------------------------------ LayersOfTheNetwork
def test_layers_scene_renders_the_real_sizes(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(LayersOfTheNetwork, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    net = quick_model.network
    nm = scene.network_mobject
    assert nm.network is net
    assert [layer.size for layer in nm.layers] == list(net.sizes) == [784, 16, 16, 10]
    assert nm.layers[0].brace_label.get_tex_string() == "784"
    assert [len(layer.neurons) for layer in nm.layers] == [16, 16, 16, 10]
    assert [label.get_tex_string() for label in nm.output_labels] == [str(k) for k in range(10)]
    assert scene.layer_label_texts == ["input layer", "hidden layers", "output layer"]
    assert [l.get_tex_string() for l in scene.layer_labels] == scene.layer_label_texts

    # Each label sits under its own layers, and no two overlap.
    labels = list(scene.layer_labels)
    for a in range(len(labels)):
        for b in range(a + 1, len(labels)):
            assert not overlaps(labels[a], labels[b])
    groups = [nm.layers[0], nm.layers[1:3], nm.layers[3]]
    for label, group in zip(labels, groups):
        assert label.get_top()[1] < nm.layers.get_bottom()[1]
        assert group.get_left()[0] - 0.6 < label.get_center()[0] < group.get_right()[0] + 0.6

    # The hidden layers are boxed and asked about; the box holds exactly them.
    box = scene.hidden_box
    hidden = nm.layers[1:3]
    assert box.get_left()[0] < hidden.get_left()[0] and box.get_right()[0] > hidden.get_right()[0]
    assert box.get_right()[0] < nm.layers[3].get_left()[0]
    assert box.get_left()[0] > nm.layers[0].neurons.get_right()[0]
    assert scene.question.get_bottom()[1] >= box.get_top()[1] - 1e-6
    assert scene.question in scene.mobjects and box in scene.mobjects

    # The edges came last and lie behind every neuron.
    assert scene.mobjects[0] is nm.edge_groups
    family = [m for top in scene.mobjects for m in top.get_family()]
    first_neuron = min(family.index(c) for layer in nm.layers for c in layer.neurons)
    assert family.index(nm.edge_groups) < first_neuron
    assert [name for name, _ in scene.narrations][-1] == "edges"
    assert "784 input neurons" in scene.narrations[0][1]
    assert "two hidden layers of 16 neurons" in scene.narrations[2][1]

    check_on_frame(scene)
    check_subtitles(scene, video, in_order=True, seconds=(15, 70))


@pytest.mark.parametrize("sizes, texts, hidden_words", [
    ((784, 32, 10), ["input layer", "hidden layer", "output layer"], "one hidden layer of 32"),
    ((784, 20, 12, 10), ["input layer", "hidden layers", "output layer"], "hidden layers of 20, 12"),
    ((784, 10), ["input layer", "output layer"], "Nothing sits in between"),
])
def test_layers_scene_adapts_to_other_sizes(mnist, tex_dir, tmp_path, monkeypatch, sizes, texts,
                                            hidden_words):
    small = SimpleNamespace(network=Network(sizes, seed=1))
    scene, _ = render_scene(LayersOfTheNetwork, mnist, small, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    nm = scene.network_mobject
    assert [layer.size for layer in nm.layers] == list(sizes)
    assert scene.layer_label_texts == texts
    assert [l.get_tex_string() for l in scene.layer_labels] == texts
    assert hidden_words in scene.narrations[2][1]
    if sizes[1] == 32:
        assert nm.layers[1].brace_label.get_tex_string() == "32"
    assert (scene.hidden_box is None) == (len(sizes) == 2)
    check_on_frame(scene)


# ------------------------------------------------------------------ NetworkIsAFunction
def test_function_scene_shows_the_real_inputs_and_outputs(mnist, quick_model, tex_dir, tmp_path,
                                                           monkeypatch):
    scene, video = render_scene(NetworkIsAFunction, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    net = quick_model.network
    i = NetworkIsAFunction.image_index
    x = np.asarray(mnist.test_x[i], dtype=float)
    y = net.feedforward(x)

    # The formula's indices come from the sizes.
    assert scene.formula.get_tex_string() == \
        r"f(a_{0}, \dots, a_{783}) = (y_{0}, \dots, y_{9})"

    # The input column: real pixel values of the real image, first and last included.
    shown = scene.shown_input_indices
    assert shown[0] == 0 and shown[-1] == 783 and shown == sorted(shown)
    assert len(scene.input_values) == len(shown) >= 5
    assert [l.get_tex_string() for l in scene.input_labels] == [f"a_{{{k}}}" for k in shown]
    shown_values = np.array([d.get_value() for d in scene.input_values])
    assert np.allclose(shown_values, x[shown], atol=1e-12, rtol=0)
    assert np.allclose(shown_values, mnist.test_images[i].ravel()[shown] / 255.0, atol=1e-6)
    assert shown_values.max() > 0.3, "some shown inputs should be ink"
    assert np.array_equal(scene.digit.pixels, mnist.test_images[i])
    assert len(scene.input_dots) == 2

    # The output column: all ten real outputs; the largest is highlighted.
    assert [l.get_tex_string() for l in scene.output_labels] == [f"y_{{{k}}}" for k in range(10)]
    outputs = np.array([d.get_value() for d in scene.output_values])
    assert np.allclose(outputs, y, atol=1e-12, rtol=0)
    answer = int(np.argmax(y))
    assert scene.prediction == answer == scene.network_mobject.highlighted_index
    row = scene.output_values[answer]
    assert scene.answer_box.get_left()[0] < scene.output_labels[answer].get_left()[0]
    assert scene.answer_box.get_bottom()[1] < row.get_bottom()[1] < scene.answer_box.get_top()[1]
    assert row.get_color().to_hex().lower() == style.HIGHLIGHT_COLOR.to_hex().lower()
    others = [k for k in range(10) if k != answer]
    assert all(scene.output_values[k].get_color().to_hex().lower()
               != style.HIGHLIGHT_COLOR.to_hex().lower() for k in others)

    # The small network in the box shows the same forward pass.
    nm = scene.network_mobject
    _, activations = net.forward(x)
    for l, (indices, fills) in enumerate(nm.drawn_state()):
        assert np.allclose(fills, np.clip(activations[l][indices], 0, 1), atol=1e-12)
    assert scene.box.get_left()[0] < nm.get_left()[0] and scene.box.get_right()[0] > nm.get_right()[0]
    assert scene.input_column.get_right()[0] < scene.box.get_left()[0] < scene.box.get_right()[0] \
        < scene.output_column.get_left()[0]

    # The parameter count, from the arrays.
    *_, n_weights, n_biases = expected_count_parts(net)
    assert n_weights + n_biases == 13002
    assert scene.parameter_label.get_tex_string() == tex_int(n_weights + n_biases) + r"\text{ parameters}"
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"of {kind} image {i}." in dict(scene.narrations)["inputs"]
    assert scene.digit_caption.get_tex_string() == f"{kind} image \\#{i}"

    check_on_frame(scene)
    check_subtitles(scene, video, in_order=True, seconds=(15, 70))


def test_function_scene_indices_follow_the_sizes(mnist, tex_dir, tmp_path, monkeypatch):
    net = Network((784, 32, 12), seed=2)
    scene, _ = render_scene(NetworkIsAFunction, mnist, SimpleNamespace(network=net), tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    assert "a_{783}" in scene.formula.get_tex_string() and "y_{11}" in scene.formula.get_tex_string()
    x = np.asarray(mnist.test_x[NetworkIsAFunction.image_index], dtype=float)
    assert np.allclose([d.get_value() for d in scene.output_values], net.feedforward(x), atol=1e-12)
    assert len(scene.output_values) == 12
    other = Network((784, 32, 12), seed=3).feedforward(x)  # the comparison can fail
    assert not np.allclose([d.get_value() for d in scene.output_values], other, atol=1e-3)
    assert tex_int(784 * 32 + 32 * 12 + 32 + 12) in scene.parameter_label.get_tex_string()
    check_on_frame(scene)


def test_shown_inputs_pass_through_the_ink():
    image = np.zeros((28, 28))
    image[10:20, 12:15] = 0.8
    runs = NetworkIsAFunction.choose_shown_inputs(image.ravel())
    assert runs[0] == [0, 1] and runs[-1] == [783]
    assert all(image.ravel()[k] == 0.8 for k in runs[1])
    assert runs[1] == [15 * 28 + 12, 15 * 28 + 13, 15 * 28 + 14]
    # Not an image: the middle of the input.
    assert NetworkIsAFunction.choose_shown_inputs(np.ones(50))[1] == [23, 24, 25]


# ------------------------------------------------------------------ CountingParameters
def check_counts(scene, network):
    weights, biases, n_weights, n_biases = expected_count_parts(network)
    shapes = [(w.shape[1], w.shape[0]) for w in network.weights]
    assert [t.get_tex_string() for t in scene.terms] == [f"{a} \\times {b}" for a, b in shapes]
    assert scene.term_values == weights
    assert scene.weights_sum.tex_strings == ["=", tex_int(n_weights)]
    assert [t.get_tex_string() for t in scene.bias_terms] == [str(b) for b in biases]
    assert scene.bias_values == biases
    assert scene.bias_sum.tex_strings == ["=", tex_int(n_biases)]
    assert scene.total.tex_strings == [tex_int(n_weights), "+", tex_int(n_biases), "=",
                                       tex_int(n_weights + n_biases)]
    assert scene.total_value == network.num_parameters == n_weights + n_biases
    assert len(scene.plus_signs) == len(shapes) - 1 and len(scene.bias_plus_signs) == len(biases) - 1

    # Each weight term sits under its edges; each bias term under its layer; they lit up in turn.
    nm = scene.network_mobject
    for l, term in enumerate(scene.terms):
        a, b = nm.layers[l].neurons.get_center()[0], nm.layers[l + 1].neurons.get_center()[0]
        assert term.get_center()[0] == pytest.approx((a + b) / 2)
        assert term.get_top()[1] < nm.get_bottom()[1]
    for l, term in enumerate(scene.bias_terms, start=1):
        assert term.get_center()[0] == pytest.approx(nm.layers[l].neurons.get_center()[0])
        assert term.get_color().to_hex().lower() == style.BIAS_COLOR.to_hex().lower()
    assert scene.lit_edge_groups == list(range(len(shapes)))
    for l, colors in enumerate(scene.lit_edge_colors):
        assert colors == {style.HIGHLIGHT_COLOR.to_hex().lower()}
        # ...and went back to their sign colours afterwards.
        for edge in nm.edge_groups[l]:
            assert edge.get_stroke_color().to_hex().lower() == \
                nm.palette.sign_color(edge.weight).to_hex().lower()
    terms_row = VMobject().add(*scene.terms, *scene.plus_signs, scene.weights_sum)
    row = sorted([*scene.terms, *scene.plus_signs, scene.weights_sum], key=lambda m: m.get_x())
    for a, b in zip(row, row[1:]):  # left to right, apart
        assert b.get_left()[0] - a.get_right()[0] > 0.1
    assert terms_row.get_bottom()[1] > scene.bias_sum.get_top()[1]
    check_on_frame(scene)


def test_counting_scene_renders_the_real_counts(mnist, quick_model, tex_dir, tmp_path,
                                                 monkeypatch):
    scene, video = render_scene(CountingParameters, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    check_counts(scene, quick_model.network)
    assert scene.total_value == 13002
    assert scene.total.tex_strings == ["12{,}960", "+", "42", "=", "13{,}002"]
    assert "13,002" in scene.narrations[-1][1]
    check_subtitles(scene, video, in_order=True, seconds=(15, 70))


@pytest.mark.parametrize("sizes, total", [((784, 32, 10), 25450), ((784, 30, 20, 10, 10), 24490)])
def test_counting_scene_follows_the_shapes(mnist, tex_dir, tmp_path, monkeypatch, sizes, total):
    net = Network(sizes, seed=0)
    scene, _ = render_scene(CountingParameters, mnist, SimpleNamespace(network=net), tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    check_counts(scene, net)
    assert scene.total_value == total
    # The check can fail: the counts of another network do not match what was drawn.
    with pytest.raises(AssertionError):
        check_counts(scene, Network((784, 16, 16, 10) if len(sizes) != 4 else (784, 32, 10)))


def test_tex_int():
    assert structure.tex_int(13002) == "13{,}002"
    assert structure.tex_int(42) == "42"
    assert structure.layer_name((784, 16, 16, 10), 2) == "second hidden layer"
    assert structure.layer_name((784, 32, 10), 1) == "hidden layer"
