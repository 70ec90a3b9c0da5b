"""Chapter 4, the chain of one neuron per layer (scenes/ch4/chain_scenes.py): every number the
three scenes draw is recomputed here from the trained chain's parameters with a forward pass
written out in plain floats, and every derivative by finite differences, never with the
project's forward pass or backprop."""

import math

import numpy as np
import pytest

from network.model import Network
from scenes import style
from scenes.ch4 import chain_scenes
from scenes.ch4.story import trained_chain
from scenes.narration import unspeakable
from tests.scene_support import check_on_frame, render_scene

PAL = style.PALETTE


# ------------------------------------------------------------------------- by hand
def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def params(net):
    """The chain's (w, b) of layers 1..3, as plain floats."""
    return [(float(w[0, 0]), float(b[0])) for w, b in zip(net.weights, net.biases)]


def by_hand(ps, x):
    """z⁽ˡ⁾ (index 0 unused) and a⁽ˡ⁾ of a chain with parameters ``ps`` for input ``x``."""
    zs, acts = [None], [float(x)]
    for w, b in ps:
        zs.append(w * acts[-1] + b)
        acts.append(sigmoid(zs[-1]))
    return zs, acts


def cost_at(ps, x, y):
    return (by_hand(ps, x)[1][-1] - y) ** 2


def with_last_weight(ps, w):
    return ps[:-1] + [(w, ps[-1][1])]


def example(chain):
    """The chapter's pixel, found again by a plain loop: the ink training pixel whose output is
    nearest 0.75 (the first on a tie)."""
    ps = params(chain.network)
    best = None
    for i, (x, y) in enumerate(zip(chain.inputs, chain.targets)):
        if y == 1.0:
            gap = abs(by_hand(ps, x)[1][-1] - 0.75)
            if best is None or gap < best[0]:
                best = (gap, i)
    return best[1]


def shown(decimal, value, rel=1e-9):
    """A DecimalNumber carries ``value`` and shows it as ``value`` rounds at its places."""
    assert decimal.get_value() == pytest.approx(value, rel=rel, abs=1e-15)
    places = decimal.num_decimal_places
    assert f"{decimal.get_value():.{places}f}" == f"{value:.{places}f}"


def spoken_lines_are_speakable(scene):
    assert len(scene.beat_log) == len(scene.narrations) >= 4
    for beat in scene.beat_log:
        assert unspeakable(beat["spoken"]) == "", (beat["name"], beat["spoken"])


@pytest.fixture(scope="module")
def chain(mnist):
    return trained_chain(mnist)


@pytest.fixture(scope="module")
def truth(chain, mnist):
    """The example and every value of the chain on it, by hand."""
    i = example(chain)
    image, pixel = (int(v) for v in chain.sources[i])
    x = float(mnist.train_x[image][pixel])
    ps = params(chain.network)
    zs, acts = by_hand(ps, x)
    return {"i": i, "image": image, "pixel": pixel, "x": x, "y": 1.0, "ps": ps, "z": zs,
            "a": acts, "cost": (acts[-1] - 1.0) ** 2}


# ------------------------------------------------------------------------ pure helpers
def test_number_line_windows_hold_the_value_and_the_nudge():
    assert [chain_scenes.nice_ceiling(x) for x in (0.11, 0.2, 0.0072, 3.0, 7.0)] == \
        pytest.approx([0.2, 0.2, 0.01, 5.0, 10.0])
    for value, change in ((10.23, 0.1), (2.10, 0.069), (0.89, 0.0065), (0.0118, -0.00138),
                          (-4.2, -0.3)):
        low, high, step = chain_scenes.window(value, change)
        assert high - low == pytest.approx(4 * step)
        assert low < value < high and low < value + change < high
        assert abs(change) <= step < 5 * abs(change)       # the nudge is a readable share
        assert (low / step) == pytest.approx(round(low / step))   # round ticks


def test_symbols_take_the_palette_colours():
    c = chain_scenes.symbol_color
    assert c("z^{(L)}") == PAL.weighted_sum and c(r"\Delta z^{(L)}") == PAL.weighted_sum
    assert c("b^{(L-1)}") == PAL.bias and c("C_0") == PAL.cost and c(r"{\partial C_0") == PAL.cost
    assert c("y") == PAL.desired and c(r"\sigma") == PAL.highlight
    assert c("a^{(L)}") is None and c("w^{(L)}") is None


# ------------------------------------------------------------------------------ scenes
@pytest.mark.slow
def test_chain_of_one_neuron_shows_the_real_example(tmp_path, monkeypatch, mnist, chain, truth,
                                                    tex_dir):
    scene, _ = render_scene(chain_scenes.ChainOfOneNeuron, mnist, None, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    a = truth["a"]
    assert scene.source == (truth["image"], truth["pixel"])
    assert scene.x == truth["x"] and scene.y == 1.0
    assert truth["x"] > 0.5                        # an ink pixel: its desired output is 1
    # The digit drawn is that training image, the box on that pixel.
    assert np.allclose(scene.digit.values.ravel(), mnist.train_x[truth["image"]], atol=1 / 255)
    assert np.allclose(scene.pixel_box.get_center(),
                       scene.digit.pixel_center(truth["pixel"]), atol=1e-6)
    # Every activation, drawn as a number and as a fill.
    assert len(scene.a_numbers) == 4
    for l in range(4):
        shown(scene.a_numbers[l], a[l])
        circle = scene.network_mobject.layers[l].neurons[0]
        assert circle.get_fill_opacity() == pytest.approx(a[l], abs=1e-6)
    assert "a^{(L)}" in scene.a_labels[3].tex_string
    # The edges are the real weights' signs.
    for (w, _), edges in zip(truth["ps"], scene.network_mobject.edge_groups):
        assert edges[0].weight == pytest.approx(w, rel=1e-12)
        assert edges[0].get_stroke_color() == PAL.sign_color(w)
    # y and the cost.
    shown(scene.y_number, 1.0)
    assert scene.y_neuron.get_fill_opacity() == pytest.approx(1.0)
    shown(scene.cost_number, truth["cost"])
    a_term, y_term = scene.cost_terms
    assert a_term.tex_string == f"{a[3]:.2f}" and y_term.tex_string == "1"
    # The task, on screen and in the narration.
    assert scene.chain.task in scene.task_caption.tex_string.replace("\\", "")
    said = dict(scene.narrations)
    assert scene.chain.task in said["task"]
    assert f"{truth['x']:.{scene.input_places}f}" in said["input"]
    assert f"{truth['image']:,}" in said["input"]
    for l in (1, 2, 3):
        assert f"{a[l]:.2f}" in said["forward"]
    assert said["cost"].endswith(f"{truth['cost']:.{scene.cost_number.num_decimal_places}f}.")
    # It really trained: held-out cost and accuracy before and after, recomputed by hand from
    # the initial parameters (the seed's) and the trained ones.
    start = params(Network((1, 1, 1, 1), seed=chain.seed))
    end = truth["ps"]
    xs, ys = chain.test_inputs, chain.test_targets
    cost = lambda ps: sum(cost_at(ps, x, y) for x, y in zip(xs, ys)) / len(xs)
    acc = lambda ps: sum((by_hand(ps, x)[1][-1] > 0.5) == (y == 1)
                         for x, y in zip(xs, ys)) / len(xs)
    before, after = cost(start), cost(end)
    assert after < 0.05 * before and acc(end) > 0.97 > 0.6 > acc(start)
    texts = scene.training_texts()
    tex = scene.training_caption.tex_string
    p0, p1 = len(texts[0].split(".")[1]), len(texts[1].split(".")[1])
    assert texts == (f"{before:.{p0}f}", f"{after:.{p1}f}", f"{100 * acc(start):.1f}",
                     f"{100 * acc(end):.1f}")
    assert all(t in tex for t in texts)
    assert f"from {texts[0]} to {texts[1]}" in said["trained"]
    assert f"{texts[2]}% to {texts[3]}%" in said["trained"]
    spoken_lines_are_speakable(scene)
    check_on_frame(scene)


@pytest.mark.slow
def test_cost_dependency_tree_carries_the_real_values(tmp_path, monkeypatch, mnist, truth,
                                                      tex_dir):
    scene, _ = render_scene(chain_scenes.CostDependencyTree, mnist, None, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    (w1, b1), (w2, b2), (w3, b3) = truth["ps"]
    z, a = truth["z"], truth["a"]
    expected = {"w3": w3, "a2": a[2], "b3": b3, "z3": z[3], "a3": a[3], "y": 1.0,
                "C0": truth["cost"], "w2": w2, "a1": a[1], "b2": b2, "z2": z[2]}
    assert set(scene.nodes) == set(expected)
    for name, value in expected.items():
        assert scene.node_values[name] == pytest.approx(value, rel=1e-12, abs=1e-15), name
        shown(scene.nodes[name].value, value)
    # z = w a + b, a = σ(z) and C₀ = (a − y)² hold between the values drawn.
    v = scene.node_values
    assert v["z3"] == pytest.approx(v["w3"] * v["a2"] + v["b3"], rel=1e-12)
    assert v["z2"] == pytest.approx(v["w2"] * v["a1"] + v["b2"], rel=1e-12)
    assert v["a3"] == pytest.approx(sigmoid(v["z3"]), rel=1e-12)
    assert v["a2"] == pytest.approx(sigmoid(v["z2"]), rel=1e-12)
    assert v["C0"] == pytest.approx((v["a3"] - v["y"]) ** 2, rel=1e-12)
    # The tree: a line from each node to the node it feeds, drawn downwards, end to end.
    feeds = {("w3", "z3"), ("a2", "z3"), ("b3", "z3"), ("z3", "a3"), ("a3", "C0"), ("y", "C0"),
             ("w2", "z2"), ("a1", "z2"), ("b2", "z2"), ("z2", "a2")}
    assert set(scene.feeds) == feeds and len(scene.feeds) == len(feeds)
    for line in scene.lines:
        source, target = scene.nodes[line.source], scene.nodes[line.target]
        start, end = line.get_start(), line.get_end()
        assert source.get_bottom()[1] > start[1] > end[1] > target.symbol.get_top()[1] - 1e-6
        assert start[1] - source.get_bottom()[1] > -0.2 and end[1] - target.get_top()[1] < 0.2
        # It runs along the way from under the source's value to the top of the target.
        frm, to = source.value.get_bottom(), target.symbol.get_top()
        assert abs(source.value.get_x() - source.symbol.get_x()) < 1e-6
        way = (to - frm) / np.linalg.norm(to - frm)
        assert np.allclose((end - start) / np.linalg.norm(end - start), way, atol=1e-6)
        assert np.linalg.norm(start - frm) < 0.15 and np.linalg.norm(end - to) < 0.15
    # Every computed node has its formula beside it, at its height.
    for name, lead in (("z3", "z^{(L)}"), ("a3", "a^{(L)}"), ("C0", "C_0"), ("z2", "z^{(L-1)}"),
                       ("a2", "a^{(L-1)}")):
        f = scene.formulas[name]
        assert f.tex_string.startswith(lead)
        assert abs(f.get_y() - scene.nodes[name].get_y()) < 0.05
        assert f.get_left()[0] > max(n.get_right()[0] for n in scene.nodes.values())
    said = dict(scene.narrations)
    assert f"{z[3]:.2f}" in said["sigmoid"] and f"{a[3]:.2f}" in said["sigmoid"]
    spoken_lines_are_speakable(scene)
    check_on_frame(scene)


@pytest.mark.slow
def test_nudge_the_weight_shows_real_ripples_and_the_derivative(tmp_path, monkeypatch, mnist,
                                                               truth, tex_dir):
    scene, _ = render_scene(chain_scenes.NudgeTheWeight, mnist, None, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    ps, x = truth["ps"], truth["x"]
    w = ps[-1][0]

    def state(weight):
        zs, acts = by_hand(with_last_weight(ps, weight), x)
        return {"w": weight, "z": zs[3], "a": acts[3], "C": (acts[3] - 1.0) ** 2}

    base = state(w)
    deltas = scene.deltas
    assert list(scene.nudge.deltas) == list(deltas) and deltas[0] > 0
    assert all(d2 < d1 for d1, d2 in zip(deltas, deltas[1:]))  # shrinking
    nudged = state(w + deltas[0])
    # The wiggle: wherever w goes between −Δw and +Δw, the markers follow the real chain.
    for dw in (-deltas[0], -deltas[0] / 3, 0.0, deltas[0] / 2):
        moved = scene.ripple_at(dw)
        for k, value in state(w + dw).items():
            assert moved[k] == pytest.approx(value, rel=1e-9, abs=1e-12), (dw, k)
            line = scene.lines[k].number_line
            assert line.x_range[0] <= moved[k] <= line.x_range[1]  # on its line
    # The markers: each line's faint mark at the start, its marker at the nudged value.
    for k in ("w", "z", "a", "C"):
        line = scene.lines[k]
        assert scene.start_values[k] == pytest.approx(base[k], rel=1e-12)
        assert scene.nudged_values[k] == pytest.approx(nudged[k], rel=1e-9)
        assert np.allclose(line.marker.get_center(), line.number_line.n2p(nudged[k]), atol=1e-6)
        assert np.allclose(line.start_mark.get_center(), line.number_line.n2p(base[k]), atol=1e-6)
        low, high = line.number_line.x_range[:2]
        assert low < min(base[k], nudged[k]) and max(base[k], nudged[k]) < high
        shown(scene.readouts[k], nudged[k] - base[k], rel=1e-6)
    # The ripple runs the way the chain says: a bigger weight, a bigger z and a; the cost
    # falls because the output is below y = 1.
    assert nudged["z"] > base["z"] and nudged["a"] > base["a"] and nudged["C"] < base["C"]
    # The table: Δw, ΔC₀ and their ratio for each shrinking Δw.
    h = 1e-6
    derivative = (state(w + h)["C"] - state(w - h)["C"]) / (2 * h)
    errors = []
    for delta, row in zip(deltas, scene.table_rows):
        dC = state(w + delta)["C"] - base["C"]
        shown(row[0], delta)
        shown(row[1], dC, rel=1e-5)
        shown(row[2], dC / delta, rel=1e-5)
        errors.append(abs(dC / delta - derivative))
    assert all(e2 < e1 for e1, e2 in zip(errors, errors[1:]))   # the ratios approach it
    assert errors[-1] < 1e-3 * abs(derivative)
    shown(scene.derivative_number, derivative, rel=1e-6)
    # And the derivative is a⁽ᴸ⁻¹⁾ σ′(z⁽ᴸ⁾) 2(a⁽ᴸ⁾ − y), as the chain rule will say.
    a = truth["a"]
    assert derivative == pytest.approx(a[2] * a[3] * (1 - a[3]) * 2 * (a[3] - 1), rel=1e-6)
    said = dict(scene.narrations)
    places = scene.derivative_number.num_decimal_places
    assert f"{derivative:.{places}f}".replace("-", "−") in said["derivative"]
    for k in ("w", "z", "a", "C"):
        p = scene.readouts[k].num_decimal_places
        assert f"{nudged[k] - base[k]:.{p}f}".replace("-", "−") in said["nudge"]
    spoken_lines_are_speakable(scene)
    check_on_frame(scene)
