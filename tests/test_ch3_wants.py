"""Chapter 3, what one example wants: every number, arrow and edge the scenes draw is recomputed
here from the partly trained network (an independent forward pass and the chain rule written
out), and backprop itself is checked against finite differences on the story example."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from scenes import style
from scenes.ch3 import wants
from scenes.text import color_word
from tests.conftest import ROOT
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(net, x):
    """The activations of every layer, written out again (all-sigmoid network)."""
    acts = [np.asarray(x, dtype=float)]
    for w, b in zip(net.weights, net.biases):
        acts.append(sigmoid(w @ acts[-1] + b))
    return acts


def cost(net, x, label):
    y = np.eye(net.sizes[-1])[label]
    return float(np.sum((forward(net, x)[-1] - y) ** 2))


def story(mnist, net):
    """The first training 2 the network gets wrong (the first 2 if it reads all of them right),
    found again by a plain loop."""
    first = None
    for i, label in enumerate(mnist.train_labels):
        if label == 2:
            first = i if first is None else first
            if np.argmax(forward(net, mnist.train_x[i])[-1]) != 2:
                return i, np.asarray(mnist.train_x[i], dtype=float)
    return first, np.asarray(mnist.train_x[first], dtype=float)


def last_layer_delta(net, x, label):
    """δ = ∂C/∂z of the output layer, by the chain rule: 2(a − y) σ'(z)."""
    acts = forward(net, x)
    a = acts[-1]
    y = np.eye(len(a))[label]
    return acts, 2 * (a - y) * a * (1 - a)


def shown(decimal, value, places):
    """A DecimalNumber shows ``value`` to ``places`` decimals."""
    assert decimal.get_value() == pytest.approx(value, abs=1e-9)
    assert decimal.num_decimal_places == places


def check_arrow(arrow, length):
    """A vertical arrow of signed ``length`` (+ up), coloured by sign."""
    assert arrow.signed_length == pytest.approx(length, abs=1e-9)
    start, end = arrow.get_start(), arrow.get_end()
    assert end[1] - start[1] == pytest.approx(length, abs=1e-6)
    assert abs(end[0] - start[0]) < 1e-9
    assert arrow.get_color() == wants.PAL.sign_color(length)


# --------------------------------------------------------------- backprop, checked numerically
def test_backprop_matches_finite_differences_at_the_story_example(mnist, partial_model):
    net = partial_model.network.copy()
    i, x = story(mnist, net)
    g = net.backprop(x, 2)
    eps = 1e-6

    def numeric(params, index):
        old = params[index]
        params[index] = old + eps
        up = cost(net, x, 2)
        params[index] = old - eps
        down = cost(net, x, 2)
        params[index] = old
        return (up - down) / (2 * eps)

    ink = int(np.argmax(x))  # a first-layer weight that the example actually feeds
    checks = [  # what the scenes show, and a few deeper ones
        (net.weights[2], (2, 14), g.weights[2]), (net.weights[2], (2, 1), g.weights[2]),
        (net.weights[2], (3, 14), g.weights[2]), (net.weights[2], (2, 3), g.weights[2]),
        (net.biases[2], 2, g.biases[2]), (net.biases[2], 3, g.biases[2]),
        (net.weights[1], (5, 7), g.weights[1]), (net.biases[1], 0, g.biases[1]),
        (net.weights[0], (3, ink), g.weights[0]), (net.biases[0], 9, g.biases[0]),
    ]
    for params, index, analytic in checks:
        assert analytic[index] == pytest.approx(numeric(params, index), rel=1e-5, abs=1e-9), index

    # ∂C/∂a of the last hidden layer: nudge one activation, run only the last layer.
    acts = forward(net, x)
    y = np.eye(10)[2]
    for j in (1, 5, 14):
        for sign in (1, -1):
            a = acts[-2].copy()
            a[j] += sign * eps
            out = sigmoid(net.weights[2] @ a + net.biases[2])
            if sign == 1:
                up = np.sum((out - y) ** 2)
            else:
                down = np.sum((out - y) ** 2)
        assert g.activations[-2][j] == pytest.approx((up - down) / (2 * eps), rel=1e-5)


# ------------------------------------------------------------------------------------ scenes
def test_one_example_wants_draws_the_real_wishes(tmp_path, monkeypatch, mnist, partial_model, tex_dir):
    scene, video = render_scene(wants.OneExampleWants, mnist, partial_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    net = partial_model.network
    i, x = story(mnist, net)
    assert scene.example_index == i and scene.example_label == 2
    a = forward(net, x)[-1]
    y = np.eye(10)[2]
    answer = int(np.argmax(a))
    assert scene.answer == answer
    # The narration says what the network answered, measured.
    said = dict(scene.narrations)
    if answer != 2:
        assert said["outputs"] == (f"It answers {answer} ({a[answer]:.2f}): its output for 2 is "
                                   f"{a[2]:.2f}, not the brightest.")
    else:
        assert said["outputs"] == f"It answers 2, rightly: its output for 2 is {a[2]:.2f}, the brightest."
    assert said["wishes"] == "This example wants the 2 brighter and every other output dimmer."
    assert np.allclose(scene.outputs, a, atol=1e-12)
    # The wishes are backprop's output: y − a = −½ ∂C/∂a for C = Σ (a − y)².
    assert np.allclose(scene.wishes, y - a, atol=1e-12)
    assert np.allclose(scene.wishes, -0.5 * net.backprop(x, 2).activations[-1], atol=1e-12)
    largest = np.max(np.abs(y - a))
    for k in range(10):
        shown(scene.value_mobjects[k], a[k], 2)
        shown(scene.wish_mobjects[k], y[k] - a[k], 3)
        assert scene.output_circles[k].get_fill_opacity() == pytest.approx(a[k], abs=1e-6)
        check_arrow(scene.arrows[k], scene.arrow_max_length * (y[k] - a[k]) / largest)
    # Up on the 2 only, down on every other output.
    assert [k for k in range(10) if scene.arrows[k].signed_length > 0] == [2]
    # The network drawn is the real one, lit by the real forward pass.
    nm = scene.network_mobject
    assert np.allclose(nm.shown_activations(3), np.clip(a[nm.drawn_indices(3)], 0, 1), atol=1e-6)
    assert nm.highlighted_index == scene.answer
    assert f"{i}" in scene.caption.get_tex_string()
    check_subtitles(scene, video, min_beats=4, in_order=True)
    check_on_frame(scene)


def test_three_avenues_are_sized_by_the_real_gradient(tmp_path, monkeypatch, mnist, partial_model, tex_dir):
    scene, video = render_scene(wants.ThreeAvenues, mnist, partial_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    net = partial_model.network
    _, x = story(mnist, net)
    acts, delta = last_layer_delta(net, x, 2)
    prev, w, b = acts[-2], net.weights[-1][2], net.biases[-1][2]
    z = float(w @ prev + b)
    assert scene.z == pytest.approx(z, abs=1e-12)
    shown(scene.z_number, z, 2)
    shown(scene.a_number, sigmoid(z), 2)
    shown(scene.b_number, b, 2)
    # 1. the bias: −∂C/∂b₂ = −δ₂.
    assert scene.delta == pytest.approx(delta[2], rel=1e-10)
    shown(scene.bias_nudge_number, -delta[2], 3)
    shown(scene.delta_number, delta[2], 3)
    assert scene.bias_arrow.signed_length > 0 and -delta[2] > 0
    # 2. the weights: −∂C/∂w₂ⱼ = −δ₂ aⱼ, the edges redrawn in proportion, brightest sources boxed.
    nudges = -delta[2] * prev
    assert np.allclose(scene.weight_nudges, nudges, atol=1e-12)
    assert np.allclose(scene.weight_nudges, -net.backprop(x, 2).weights[-1][2], atol=1e-12)
    top = list(np.argsort(-prev)[:scene.top_k])  # brightest neurons = biggest nudges here
    assert scene.top_sources == top
    j = top[0]
    shown(scene.weight_number, nudges[j], 3)
    largest = np.max(np.abs(nudges))
    for e in scene.nudge_edges:
        expected = wants.nudge_stroke(nudges[e.source], largest)
        assert e.get_stroke_width() == pytest.approx(expected["width"], abs=1e-6)
        assert e.get_stroke_color() == expected["color"]
    # 3. the activations: −δ₂ w₂ⱼ, up for positive weights (δ₂ < 0 here), down for negative.
    assert np.allclose(scene.activation_nudges, -delta[2] * w, atol=1e-12)
    largest = np.max(np.abs(delta[2] * w))
    for k, arrow in enumerate(scene.activation_arrows):
        check_arrow(arrow, scene.arrow_max_length * (-delta[2] * w[k]) / largest)
        assert (arrow.signed_length > 0) == (w[k] > 0)
    k = int(np.argmax(np.abs(w)))
    assert scene.activation_source == k
    shown(scene.activation_number, -delta[2] * w[k], 3)
    # The previous layer shown is the real one, and the edges carry the real weights.
    for c, v in zip(scene.prev_circles, prev):
        assert c.get_fill_opacity() == pytest.approx(v, abs=1e-6)
    assert sorted(e.source for e in scene.edges) == list(range(16))
    # The narration: the real activation, and the directions read off the sign of −δ.
    said = dict(scene.narrations)
    assert f"now {sigmoid(z):.2f} where it should be 1." in said["neuron"]
    up = -delta[2] > 0
    assert said["bias"] == (f"Three ways to make it {'brighter' if up else 'dimmer'}. One: "
                            f"{'raise' if up else 'lower'} its bias.")
    assert said["weights"].startswith(f"Two: {'raise' if up else 'lower'} its weights")
    assert ("brighter where the weight is positive" in said["activations"]) == up
    check_subtitles(scene, video, min_beats=4, in_order=True)
    check_on_frame(scene)


def test_fire_together_reads_the_largest_increases(tmp_path, monkeypatch, mnist, partial_model, tex_dir):
    scene, _ = render_scene(wants.FireTogetherWireTogether, mnist, partial_model, tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    net = partial_model.network
    _, x = story(mnist, net)
    acts, delta = last_layer_delta(net, x, 2)
    nudges = -np.outer(delta, acts[-2])
    assert np.allclose(scene.nudges, nudges, atol=1e-12)
    flat = np.argsort(-nudges, axis=None)[:scene.top_k]
    expected = [tuple(int(v) for v in np.unravel_index(k, nudges.shape)) for k in flat]
    assert scene.top_edges == expected
    # Hebb: every one runs into the 2 and leaves from the most active neurons.
    assert {t for t, _ in expected} == {2}
    assert [s for _, s in expected] == list(np.argsort(-acts[-2])[:scene.top_k]) == scene.most_active
    for (t, s), (a_num, n_num) in zip(expected, scene.top_rows):
        shown(a_num, acts[-2][s], 2)
        shown(n_num, nudges[t, s], 3)
    # The edges drawn stand for the nudges, the glows sit on the top edges.
    for e in scene.nudge_mobject.edge_groups[0]:
        assert e.weight == pytest.approx(nudges[e.target, e.source], abs=1e-12)
    for (t, s), glow in zip(expected, scene.glows):
        edge = scene.edge(t, s)
        assert np.allclose(glow.get_start(), edge.get_start()) and np.allclose(glow.get_end(), edge.get_end())
    # The narration: the colour words are the palette's, the counts the gradient's.
    said = dict(scene.narrations)
    assert "blue to grow, red to shrink." in said["nudges"]      # the default palette
    assert (f"{color_word(style.PALETTE.positive)} to grow, "
            f"{color_word(style.PALETTE.negative)} to shrink.") in said["nudges"]
    into = sum(t == 2 for t, _ in expected)
    active = len({s for _, s in expected} & set(np.argsort(-acts[-2])[:scene.top_k]))
    word = lambda k: "all" if k == scene.top_k else "none" if k == 0 else f"{k} of them"
    assert f"The {scene.top_k} biggest increases: {word(into)} run into the 2" in said["into"]
    assert said["hebb"].startswith(f"…and {word(active)} leave from the {scene.top_k} most active")
    assert ("Neurons that fire together wire together" in said["hebb"]) == (active == scene.top_k)
    check_on_frame(scene)


def test_gradient_sensitivity_ratio_is_computed(tmp_path, monkeypatch, mnist, partial_model, tex_dir):
    scene, _ = render_scene(wants.GradientSensitivity, mnist, partial_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    net = partial_model.network
    _, x = story(mnist, net)
    acts, delta = last_layer_delta(net, x, 2)
    grad = np.outer(delta, acts[-2])
    big = np.unravel_index(np.argmax(np.abs(grad)), grad.shape)
    a = acts[-2]
    on = [j for j in range(len(a)) if a[j] >= scene.min_activation_share * a.max()]
    small = (big[0], min(on, key=lambda j: abs(grad[big[0]][j])))
    assert scene.big == tuple(int(v) for v in big) and scene.small == small
    for d, (t, s) in zip(scene.component_numbers, (big, small)):
        shown(d, grad[t, s], 4)
    for d, (t, s) in zip(scene.weight_numbers, (big, small)):
        shown(d, net.weights[-1][t, s], 2)
    ratio = abs(grad[big] / grad[small])
    assert ratio > 5  # a real difference in sensitivity
    shown(scene.ratio_number, ratio, 1)
    assert dict(scene.narrations)["ratio"].startswith(f"One is {ratio:.0f} times the other")
    # Same row, so the ratio is that of the activations the two weights multiply.
    assert ratio == pytest.approx(acts[-2][big[1]] / acts[-2][small[1]], rel=1e-9)
    # The flat indices name these very weights.
    theta = net.flat_parameters()
    assert theta[scene.big_flat] == net.weights[-1][big] and theta[scene.small_flat] == net.weights[-1][small]
    assert scene.arrows[0].signed_length == pytest.approx(scene.arrow_max_length * np.sign(grad[big]))
    assert scene.arrows[1].signed_length == pytest.approx(scene.arrow_max_length * grad[small] / abs(grad[big]))
    check_on_frame(scene)


def test_last_layer_network_complains_about_a_wrong_shape(partial_model):
    with pytest.raises(ValueError, match="expected weights of shape"):
        wants.last_layer_network(partial_model.network, np.zeros((3, 3)))


# --------------------------------------------------------------------------- colour words
def test_color_words_follow_both_palettes():
    assert color_word(style.PALETTES["default"].positive) == "blue"
    assert color_word(style.PALETTES["default"].negative) == "red"
    assert color_word(style.PALETTES["colorblind"].positive) == "blue"
    assert color_word(style.PALETTES["colorblind"].negative) == "orange"
    assert [color_word(c) for c in ("#FFFFFF", style.PALETTE.dim_text, style.PALETTE.bias)] == \
        ["white", "grey", "maroon"]
    assert color_word("#FC6256") == "red"   # not a manim colour: the nearest one's word


# The palette is chosen when scenes.style is imported: a colour-blind scene needs its own
# process. The narration is all this test listens to: a dry run (no frames) with the drawing
# steps left out (no LaTeX to typeset), so the scene's construct only tells its beats.
COLORBLIND_RUN = textwrap.dedent("""
    import json, sys
    from manim import tempconfig
    from network import load_mnist, load_trained
    from network.train import VIDEO, partly_trained
    from scenes import style
    from scenes.ch3 import wants

    data = load_mnist(download=False, progress=False, log=lambda *a: None)
    model = load_trained(partly_trained(VIDEO), data, directory=sys.argv[1], progress=False,
                         log=lambda *a: None)
    cls = wants.FireTogetherWireTogether
    cls.load_data = lambda self: data
    cls.load_model = lambda self, d: model
    for step in ("show_layers", "show_nudges", "show_top_edges", "show_sources"):
        setattr(cls, step, lambda self: None)
    with tempconfig({"dry_run": True, "media_dir": sys.argv[1], "verbosity": "ERROR",
                     "progress_bar": "none", "disable_caching": True}):
        scene = cls()
        scene.render()
    print(json.dumps({"palette": style.PALETTE.name, "narrations": dict(scene.narrations)}))
""")


def test_colorblind_narration_names_orange(tmp_path):
    env = dict(os.environ, NN_PALETTE="colorblind", NN_SLIDES="0")
    done = subprocess.run([sys.executable, "-c", COLORBLIND_RUN, str(tmp_path)], cwd=tmp_path,
                          env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["palette"] == "colorblind"
    assert "blue to grow, orange to shrink." in result["narrations"]["nudges"]
