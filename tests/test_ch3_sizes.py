"""Chapter 3 with the user's own network sizes: every scene renders (as a still) for a partly
trained 784-32-10 network, whose hidden layer is too large to draw in full and has no hidden
layer before it, and the scenes that show ∂C/∂a formulas also for a cross-entropy network.
The key numbers are recomputed here from ``network.backprop`` and compared with what is drawn;
``NetworkMobject``'s ``layer_indices`` and ``indices_including`` are checked directly."""

import numpy as np
import pytest

from network import load_trained, one_hot
from network.train import TrainConfig, partly_trained
from scenes.ch3 import desires, steps, summary, walkers, wants
from scenes.ch3.story import story_example
from scenes.mobjects import NetworkMobject
from scenes.mobjects.network import indices_including
from tests.scene_support import check_on_frame, quiet, render_scene


# ---------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def model32(mnist, tmp_path_factory):
    """784-32-10, sigmoid, quadratic cost, partly trained as chapter 3 does (about a second)."""
    return load_trained(partly_trained(TrainConfig(sizes=(784, 32, 10))), mnist,
                        directory=tmp_path_factory.mktemp("models"), progress=False, log=quiet)


@pytest.fixture(scope="module")
def model_ce(mnist, tmp_path_factory):
    """784-30-10 with the cross-entropy cost, partly trained."""
    return load_trained(partly_trained(TrainConfig(sizes=(784, 30, 10), cost="cross-entropy")), mnist,
                        directory=tmp_path_factory.mktemp("models"), progress=False, log=quiet)


def still(cls, mnist, model, tmp_path, monkeypatch, tex_dir, **overrides):
    tmp_path.mkdir(parents=True, exist_ok=True)
    scene, _ = render_scene(cls, mnist, model, tmp_path, monkeypatch, tex_dir=tex_dir, video=False,
                            **overrides)
    check_on_frame(scene)
    return scene


def story_of(mnist, net):
    i = story_example(net, mnist.train_x, mnist.train_labels)
    return i, np.asarray(mnist.train_x[i], dtype=float), int(mnist.train_labels[i])


def narration(scene) -> str:
    return " ".join(text for _, text in scene.narrations)


# ------------------------------------------------------------------ the drawing option
def test_indices_including_keeps_the_must_and_fills_from_both_ends():
    assert indices_including(10, [3], 16) == list(range(10))
    got = indices_including(32, [13, 20], 6)
    assert got == [0, 1, 13, 20, 30, 31]
    assert indices_including(100, [], 4) == [0, 1, 98, 99]
    assert len(indices_including(100, range(40, 56), 16)) == 16
    with pytest.raises(ValueError, match="lie in"):
        indices_including(32, [32], 16)
    with pytest.raises(ValueError, match="only 3 are shown"):
        indices_including(32, [1, 2, 3, 4], 3)


def test_network_mobject_draws_the_chosen_neurons(model32):
    net = model32.network
    nm = NetworkMobject(net, layer_indices={1: [20, 3] + list(range(24, 32))})
    assert nm.drawn_indices(1) == [3] + list(range(20, 21)) + list(range(24, 32))
    assert nm.drawn_indices(2) == list(range(10))
    for e in nm.edge_groups[1]:
        assert e.source in nm.drawn_indices(1) and e.weight == net.weights[1][e.target, e.source]
    assert {e.target for e in nm.edge_groups[0]} == set(nm.drawn_indices(1))
    # Without the option: first and last 8, as before.
    assert NetworkMobject(net).drawn_indices(1) == list(range(8)) + list(range(24, 32))
    for bad, message in [({0: [1]}, "input_indices"), ({3: [1]}, "layers 1 to 2"),
                         ({1: [32]}, r"\[0, 32\)"), ({1: []}, "non-empty"), ({1: [2, 2]}, "repeat")]:
        with pytest.raises(ValueError, match=message):
            NetworkMobject(net, layer_indices=bad)


# ----------------------------------------------------------------- wants.py, 784-32-10
def test_gradient_sensitivity_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(wants.GradientSensitivity, mnist, model32, tmp_path, monkeypatch, tex_dir)
    net = model32.network
    _, x, label = story_of(mnist, net)
    g = net.backprop(x, label).weights[-1]
    big = np.unravel_index(np.argmax(np.abs(g)), g.shape)
    a = np.asarray(net.forward(np.asarray(x, dtype=float))[1][-2])
    on = [j for j in range(len(a)) if a[j] >= scene.min_activation_share * a.max()]
    small = (int(big[0]), min(on, key=lambda j: abs(g[big[0]][j])))
    assert scene.big == tuple(int(v) for v in big) and scene.small == small
    for d, (t, s) in zip(scene.component_numbers, (big, small)):
        assert d.get_value() == pytest.approx(g[t, s], abs=1e-12)
        assert round(abs(g[t, s]), d.num_decimal_places) > 0  # never shown as 0.0000
    ratio = abs(g[big] / g[small])
    assert scene.ratio == pytest.approx(ratio) and scene.ratio_number.get_value() == pytest.approx(ratio)
    # Both sources are drawn (16 of 32), and the glows lie on their real edges.
    nm = scene.network_mobject
    assert len(nm.drawn_indices(0)) == 16 and {big[1], small[1]} <= set(nm.drawn_indices(0))
    for glow, (t, s) in zip(scene.glows, (big, small)):
        edge = next(e for e in nm.edge_groups[0] if (e.target, e.source) == (t, s))
        assert np.allclose(glow.get_start(), edge.get_start()) and edge.weight == net.weights[-1][t, s]
    assert "16 of 32 shown" in scene.shown_note.tex_string


def test_fire_together_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(wants.FireTogetherWireTogether, mnist, model32, tmp_path, monkeypatch, tex_dir)
    net = model32.network
    _, x, label = story_of(mnist, net)
    nudges = -net.backprop(x, label).weights[-1]
    order = np.argsort(-nudges, axis=None)[:scene.top_k]
    top = [tuple(int(v) for v in np.unravel_index(k, nudges.shape)) for k in order]
    assert scene.top_edges == top
    acts = net.forward(x)[1][-2]
    assert scene.most_active == list(np.argsort(-acts)[:scene.top_k])
    drawn = scene.nudge_mobject.drawn_indices(0)
    assert {s for _, s in top} | set(scene.most_active) <= set(drawn) and len(drawn) == 16
    for (t, s), glow, (a, n) in zip(top, scene.glows, scene.top_rows):
        assert scene.edge(t, s).weight == pytest.approx(nudges[t, s])
        assert a.get_value() == pytest.approx(acts[s]) and n.get_value() == pytest.approx(nudges[t, s])


def test_three_avenues_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(wants.ThreeAvenues, mnist, model32, tmp_path, monkeypatch, tex_dir)
    net = model32.network
    _, x, t = story_of(mnist, net)
    grad = net.backprop(x, t)
    delta = grad.biases[-1][t]
    w = net.weights[-1][t]
    assert scene.delta == pytest.approx(delta) and scene.delta_number.get_value() == pytest.approx(delta)
    assert np.allclose(scene.weight_nudges, -grad.weights[-1][t])
    assert "w_{" + f"{t},31" + "}a_{31}" in scene.formula.get_tex_string()
    shown = scene.shown_sources
    assert len(shown) == 16 and set(scene.top_sources) | {scene.activation_source} <= set(shown)
    assert scene.activation_source == int(np.argmax(np.abs(w)))
    assert sorted(e.source for e in scene.edges) == shown
    assert [c.neuron_index for c in scene.prev_circles] == shown
    largest = np.max(np.abs(delta * w))
    for arrow in scene.activation_arrows:
        assert arrow.signed_length == pytest.approx(scene.arrow_max_length * (-delta * w[arrow.source]) / largest)
    assert len(scene.gap_dots) >= 1 and "16 of 32 shown" in scene.shown_note.tex_string


def test_one_example_wants_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(wants.OneExampleWants, mnist, model32, tmp_path, monkeypatch, tex_dir)
    _, x, label = story_of(mnist, model32.network)
    a = model32.network.feedforward(x)
    assert np.allclose([d.get_value() for d in scene.wish_mobjects], one_hot([label])[0] - a)


# ---------------------------------------------------------------- desires.py, one hidden layer
def check_sum_of_desires(scene, net, x, label, n_hidden):
    grad = net.backprop(x, label)
    assert scene.steps == 1 and len(scene.pair_mobjects) == 1  # never steps into the pixels
    assert "no further hidden layer" in narration(scene)
    np.testing.assert_allclose(scene.step_nudges[0], -grad.activations[-1], rtol=1e-9)
    np.testing.assert_allclose(scene.step_sums[0], -grad.activations[-2], atol=1e-10)
    pm = scene.pair_mobjects[0]
    drawn = pm.drawn_indices(0)
    assert len(drawn) == 16 and set(np.argsort(-np.abs(grad.activations[-2]))[:scene.must_show]) <= set(drawn)
    # One row per drawn neuron, in its row; the numbers are backprop's for exactly that neuron.
    assert [d.neuron_index for d in scene.sum_numbers[0]] == drawn
    for d, c in zip(scene.sum_numbers[0], pm.layers[0].neurons):
        assert d.get_value() == pytest.approx(-grad.activations[-2][c.neuron_index], abs=1e-12)
        assert d.get_center()[1] == pytest.approx(c.get_center()[1])
    for j, col in scene.wish_arrows[0].items():
        assert [a.neuron_index for a in col] == drawn
    assert f"16 of {n_hidden} shown" in pm.layer_names[-1].tex_string


def test_sum_of_desires_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(desires.SumOfDesires, mnist, model32, tmp_path, monkeypatch, tex_dir)
    _, x, label = story_of(mnist, model32.network)
    check_sum_of_desires(scene, model32.network, x, label, 32)
    assert "-2(a_j - y_j)" in scene.target_formula.get_tex_string()


def test_sum_of_desires_cross_entropy(mnist, model_ce, tmp_path, monkeypatch, tex_dir):
    scene = still(desires.SumOfDesires, mnist, model_ce, tmp_path, monkeypatch, tex_dir)
    net = model_ce.network
    _, x, label = story_of(mnist, net)
    check_sum_of_desires(scene, net, x, label, 30)
    # The formulas shown are cross-entropy's, and they give backprop's numbers.
    a, y = net.feedforward(x), one_hot([label])[0]
    np.testing.assert_allclose(scene.step_nudges[0], -(a - y) / (a * (1 - a)), rtol=1e-6)
    assert r"\frac{a_j - y_j}{a_j(1 - a_j)}" in scene.target_formula.get_tex_string()
    assert "2(a_j" not in scene.target_formula.get_tex_string()
    assert r"-(a_j - y_j)\,w_{jk}" in scene.wish_formulas[0].get_tex_string()
    zs, acts = net.forward(x)
    np.testing.assert_allclose(scene.step_wishes[0], (-(a - y))[None, :] * net.weights[-1].T, rtol=1e-6)


def test_average_over_examples_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(desires.AverageOverExamples, mnist, model32, tmp_path, monkeypatch, tex_dir)
    net = model32.network
    x = np.asarray(mnist.train_x[scene.example_indices], dtype=float)
    average = -net.backprop(x, np.array(scene.example_labels)).flat()
    for r, k in enumerate(scene.value_rows):
        assert scene.average_numbers[r].get_value() == pytest.approx(average[k], abs=1e-12)


# ------------------------------------------------------------- steps, walkers, summary
def test_steps_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(steps.OneTrainingStep, mnist, model32, tmp_path / "one", monkeypatch, tex_dir)
    net, eta = model32.network, model32.config.eta
    g = net.backprop(scene.batch_x, scene.batch_labels)
    expected = [W - eta * dW for W, dW in zip(net.weights, g.weights)]
    for W, E in zip(scene.new_network.weights, expected):
        np.testing.assert_allclose(W, E, atol=1e-12)
    assert scene.cost_before == pytest.approx(net.cost(scene.batch_x, scene.batch_labels))
    scene = still(steps.MiniBatches, mnist, model32, tmp_path / "many", monkeypatch, tex_dir,
                  max_steps=10, probe_size=100, shown_batches=2)
    assert len(scene.batch_costs) == 10
    assert scene.start_number.get_value() == pytest.approx(
        net.cost(np.asarray(mnist.test_x[:100], float), mnist.test_labels[:100]), rel=1e-6)


def test_stochastic_descent_32(mnist, model32, tmp_path, monkeypatch, tex_dir):
    scene = still(walkers.StochasticDescent, mnist, model32, tmp_path, monkeypatch, tex_dir,
                  load_slice_model=lambda self, d: model32,
                  n_images=100, resolution=8, careful_steps_count=3, batch_size=10)
    assert scene.cost_slice.net.sizes == (784, 32, 10)


@pytest.mark.parametrize("which", ["32", "cross-entropy"])
def test_backprop_summary(which, mnist, model32, model_ce, tmp_path, monkeypatch, tex_dir):
    model = model32 if which == "32" else model_ce
    scene = still(summary.BackpropSummary, mnist, model, tmp_path, monkeypatch, tex_dir,
                  sgd_steps=12, held_out=300)
    net = model.network
    _, x, label = story_of(mnist, net)
    np.testing.assert_allclose(scene.output_nudges, -net.backprop(x, label).activations[-1], rtol=1e-9)
    longest = 0.0
    for arrow, v in zip(scene.output_arrows, scene.output_nudges):
        length = arrow.get_end()[1] - arrow.get_start()[1]
        assert length == pytest.approx(scene.arrow_scale * v, abs=1e-6)
        longest = max(longest, abs(length))
    assert longest <= scene.max_arrow + 1e-9
