"""Chapter 4, the chain rule on the 1-1-1-1 chain: every number the scenes draw is recomputed
here from the trained chain's six parameters, with a plain-float forward pass written out
again and central finite differences (C(p + h) − C(p − h)) / 2h for every derivative, never
the project's backprop or ``network.calculus``."""

import math

import numpy as np
import pytest

from scenes import style
from scenes.ch4 import rule
from scenes.narration import unspeakable
from tests.scene_support import check_on_frame, render_scene

H = 1e-6          # finite-difference step
REL = 1e-6        # agreement asked of a derivative with its finite difference


# ---------------------------------------------------------------- the chain, written out
def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def parameters(scene) -> dict:
    """The chain's weights and biases as plain floats: {"w": [None, w1, w2, w3], "b": [...]}."""
    net = scene.chain_net
    return {"w": [None] + [float(m[0, 0]) for m in net.weights],
            "b": [None] + [float(v[0]) for v in net.biases]}


def forward(p: dict, x: float, start: int = 0, a_start: float | None = None):
    """Activations a[0..3] and weighted sums z[1..3] of the chain, from layer ``start`` on
    (its activation replaced by ``a_start`` when given)."""
    a, z = [float(x)], [None]
    for l in range(1, 4):
        prev = a_start if (l == start + 1 and a_start is not None) else a[-1]
        z.append(p["w"][l] * prev + p["b"][l])
        a.append(sigmoid(z[-1]))
    return a, z


def cost(p: dict, x: float, y: float, **kw) -> float:
    return (forward(p, x, **kw)[0][3] - y) ** 2


def nudged(p: dict, kind: str, layer: int, delta: float) -> dict:
    q = {"w": list(p["w"]), "b": list(p["b"])}
    q[kind][layer] += delta
    return q


def d_cost(p: dict, x: float, y: float, kind: str, layer: int, h: float = H) -> float:
    """∂C₀/∂(w or b of ``layer``) by central differences."""
    return (cost(nudged(p, kind, layer, h), x, y)
            - cost(nudged(p, kind, layer, -h), x, y)) / (2 * h)


def d_cost_d_activation(p: dict, x: float, y: float, layer: int, h: float = H) -> float:
    """∂C₀/∂a⁽ˡᵃʸᵉʳ⁾: nudge that activation and run only the layers after it."""
    a = forward(p, x)[0][layer]
    up = cost(p, x, y, start=layer, a_start=a + h)
    down = cost(p, x, y, start=layer, a_start=a - h)
    return (up - down) / (2 * h)


def example_index(scene) -> int:
    """The chapter's example found again by a plain loop: of the ink training pixels, the one
    whose output is nearest 0.75 (the first on a tie)."""
    p = parameters(scene)
    best, best_gap = None, None
    for i, (x, t) in enumerate(zip(scene.chain.inputs, scene.chain.targets)):
        if t != 1.0:
            continue
        gap = abs(forward(p, float(x))[0][3] - 0.75)
        if best_gap is None or gap < best_gap:
            best, best_gap = i, gap
    return best


# ------------------------------------------------------------------------ what is drawn
def shows(decimal, value: float, rel: float = REL, abs_: float = 1e-12):
    """A DecimalNumber that shows ``value`` (a derivative: coloured by its sign)."""
    assert decimal.get_value() == pytest.approx(value, rel=rel, abs=abs_)


def signed(decimal, value: float):
    shows(decimal, value)
    assert decimal.include_sign
    assert decimal.get_color() == style.PALETTE.sign_color(value)


def text_of(decimal) -> float:
    """The number a DecimalNumber reads as, to its decimals."""
    return round(decimal.get_value(), decimal.num_decimal_places)


def disjoint(mobs):
    """No two of ``mobs`` overlap (bounding boxes)."""
    boxes = [(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]) for m in mobs]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
            assert apart, (a, b)


def check_beats(scene, names):
    assert [n for n, _ in scene.narrations] == names
    for beat in scene.beat_log:
        assert unspeakable(beat["spoken"]) == "", beat["spoken"]


def check_table(table):
    """A ``FactorTable``: every column centred on one x, cells of a row apart."""
    for c in range(len(table.cells[0])):
        xs = {round(row[c].get_center()[0], 6) for row in table.cells if row[c].has_points()
              or row[c].submobjects}
        assert len(xs) == 1, (c, xs)
    for r in range(len(table.cells)):
        disjoint([m for m in table.row(r)])


def render(cls, mnist, tmp_path, monkeypatch, tex_dir):
    scene, _ = render_scene(cls, mnist, None, tmp_path, monkeypatch, tex_dir=tex_dir, video=False)
    check_on_frame(scene)
    return scene


def check_example(scene):
    i = example_index(scene)
    assert scene.x == float(scene.chain.inputs[i]) and scene.y == 1.0 and scene.x > 0.5
    assert tuple(scene.source) == tuple(int(v) for v in scene.chain.sources[i])


# ------------------------------------------------------------------------- pure helpers
def test_factor_table_centres_columns():
    table = rule.FactorTable([["a", "bb", "c", "ddd"], [None, "1", "22", "333"]])
    check_table(table)
    assert len(table.row(1)) == 3 + 3   # the empty cell draws nothing; its "=" stays


def test_pick_pixels_spreads_the_previous_activation():
    a_prev = np.array([0.1, 0.58, 0.99, 0.80, 0.3, 0.75])
    targets = np.array([0.0, 1.0, 1.0, 1.0, 0.0, 1.0])
    assert rule.pick_pixels(a_prev, targets, example=1) == [1, 3, 2]


# --------------------------------------------------------------------------- the scenes
@pytest.mark.slow
def test_chain_rule_draws_the_real_factors(tmp_path, monkeypatch, mnist, tex_dir):
    scene = render(rule.ChainRule, mnist, tmp_path, monkeypatch, tex_dir)
    check_beats(scene, ["chain", "rule", "formulas", "values", "product", "checks"])
    check_example(scene)
    p, x, y = parameters(scene), scene.x, scene.y
    a, z = forward(p, x)
    for number, value in zip(scene.diagram.numbers, a):
        shows(number, value)
    assert scene.diagram.neurons[3].get_fill_opacity() == pytest.approx(a[3])

    first, second, third = scene.factor_numbers
    shows(first, a[2])
    shows(second, sigmoid(z[3]) * (1 - sigmoid(z[3])))
    signed(third, 2 * (a[3] - y))
    numeric = d_cost(p, x, y, "w", 3)
    signed(scene.product_number, numeric)
    # the three factors really multiply to the product shown, to its decimals
    product = first.get_value() * second.get_value() * third.get_value()
    assert text_of(scene.product_number) == pytest.approx(product, abs=10 ** -scene.product_number
                                                          .num_decimal_places)

    chain, ratio, back = scene.check_numbers
    signed(chain, numeric)
    signed(back, numeric)
    dw = scene.nudge_size
    assert dw <= 1e-4
    one_sided = (cost(nudged(p, "w", 3, dw), x, y) - cost(p, x, y)) / dw
    signed(ratio, one_sided)
    assert ratio.get_value() == pytest.approx(numeric, rel=1e-3)
    assert [n.num_decimal_places for n in scene.check_numbers] == [chain.num_decimal_places] * 3
    check_table(scene.table)
    disjoint(list(scene.checks))


@pytest.mark.slow
def test_weight_follows_activation_draws_three_real_pixels(tmp_path, monkeypatch, mnist, tex_dir):
    scene = render(rule.WeightFollowsActivation, mnist, tmp_path, monkeypatch, tex_dir)
    check_beats(scene, ["factor", "pixels", "nudge", "product", "hebb"])
    check_example(scene)
    p = parameters(scene)
    cases = scene.cases
    assert len(cases) == 3 and example_index(scene) in [c.index for c in cases]
    xs = [c.x for c in cases]
    assert len(set(xs)) == 3 and all(v > 0.5 for v in xs)  # ink pixels of different brightness
    a_prev = [forward(p, v)[0][2] for v in xs]
    assert a_prev == sorted(a_prev) and a_prev[-1] - a_prev[0] > 0.2
    for r, case in enumerate(cases):
        assert case.x == float(scene.chain.inputs[case.index]) and case.y == 1.0
        image, pixel = case.source
        assert float(scene.data.train_x[image][pixel]) == pytest.approx(case.x)
        assert scene.images[r].values.ravel()[pixel] == pytest.approx(case.x, abs=1 / 255)
        assert scene.pixel_boxes[r].get_center() == pytest.approx(
            scene.images[r].pixel_center(pixel), abs=1e-6)
        a, _ = forward(p, case.x)
        shows(scene.a_numbers[r], a[2])
        for neuron, value in zip(scene.minis[r].neurons, a):
            assert neuron.get_fill_opacity() == pytest.approx(value)
        # a real nudge of the weight moves z by a⁽ᴸ⁻¹⁾ Δw, and the bar is that long
        dw = scene.nudge_size
        dz = forward(nudged(p, "w", 3, dw), case.x)[1][3] - forward(p, case.x)[1][3]
        shows(scene.dz_numbers[r], dz)
        assert scene.dz_bars[r].signed_length == pytest.approx(scene.bar_length * dz / dw)
        assert scene.dz_bars[r].width == pytest.approx(scene.bar_length * a[2], abs=1e-6)
        # ∂C₀/∂z⁽ᴸ⁾ is ∂C₀/∂b⁽ᴸ⁾ (z moves one for one with b)
        signed(scene.dC_dz_numbers[r], d_cost(p, case.x, 1.0, "b", 3))
        signed(scene.dC_dw_numbers[r], d_cost(p, case.x, 1.0, "w", 3))
    disjoint(scene.headers)
    disjoint([scene.dz_numbers[r] for r in range(3)] + list(scene.dC_dz_numbers))
    assert "fire together" in scene.narrations[-1][1]


@pytest.mark.slow
def test_average_over_training_examples_draws_real_rows(tmp_path, monkeypatch, mnist, tex_dir):
    scene = render(rule.AverageOverTrainingExamples, mnist, tmp_path, monkeypatch, tex_dir)
    check_beats(scene, ["average", "examples", "derivatives", "mean", "backprop"])
    check_example(scene)
    p, ch = parameters(scene), scene.chain
    first = example_index(scene)
    expected = [first] + [i for i in range(len(ch.inputs)) if i != first][:scene.count - 1]
    assert scene.indices == expected and 6 <= scene.count <= 8
    per = []
    for r, i in enumerate(expected):
        x, y = float(ch.inputs[i]), float(ch.targets[i])
        assert y == (1.0 if x > 0.5 else 0.0)
        shows(scene.x_numbers[r], x)
        shows(scene.y_numbers[r], y)
        shows(scene.output_numbers[r], forward(p, x)[0][3])
        d = d_cost(p, x, y, "w", 3)
        signed(scene.derivative_numbers[r], d)
        # every row shows at least 2 significant digits of its derivative
        places = scene.derivative_numbers[r].num_decimal_places
        assert abs(text_of(scene.derivative_numbers[r])) >= 10 * 10 ** -places
        assert scene.bars[r].signed_length == pytest.approx(
            scene.bar_length * d / max(abs(v) for v in scene.average.per_example), rel=1e-5)
        per.append(d)
    mean = sum(per) / len(per)
    signed(scene.mean_number, mean)
    signed(scene.backprop_number, mean)
    assert text_of(scene.mean_number) == text_of(scene.backprop_number)
    disjoint(list(scene.header) + [scene.d_header])
    disjoint([scene.mean_label, scene.mean_box, scene.backprop_line])


@pytest.mark.slow
def test_bias_and_previous_activation_draw_real_derivatives(tmp_path, monkeypatch, mnist, tex_dir):
    scene = render(rule.BiasAndPreviousActivation, mnist, tmp_path, monkeypatch, tex_dir)
    check_beats(scene, ["bias", "bias value", "activation", "activation value", "layer back",
                        "previous value"])
    check_example(scene)
    p, x, y = parameters(scene), scene.x, scene.y
    a, z = forward(p, x)
    slope = [None] + [sigmoid(v) * (1 - sigmoid(v)) for v in z[1:]]

    product, one, s, c = scene.bias_numbers
    signed(product, d_cost(p, x, y, "b", 3))
    assert one.get_value() == 1.0 and one.num_decimal_places == 0
    shows(s, slope[3])
    signed(c, 2 * (a[3] - y))

    product, w, s, c = scene.activation_numbers
    sensitivity = d_cost_d_activation(p, x, y, 2)
    signed(product, sensitivity)
    shows(w, p["w"][3])
    shows(s, slope[3])
    signed(c, 2 * (a[3] - y))

    product, prev, s, carried = scene.previous_numbers
    signed(product, d_cost(p, x, y, "w", 2))
    shows(prev, a[1])
    shows(s, slope[2])
    signed(carried, sensitivity)  # the sensitivity to a⁽ᴸ⁻¹⁾ is where layer L − 1 starts
    assert carried.num_decimal_places == scene.activation_numbers[0].num_decimal_places
    for table in (scene.activation_table, scene.previous_table):
        check_table(table)
    # the carry runs round the lower formula, from the sensitivity into its next use
    assert scene.carry[0].get_start()[0] == pytest.approx(scene.activation_box.get_left()[0])
    tip = carried.get_bottom() + 0.05 * np.array([0.0, -1.0, 0.0])
    assert scene.carry[-1].get_end() == pytest.approx(tip, abs=1e-6)
    assert scene.carry.get_bottom()[1] < scene.previous_table.get_bottom()[1]
