"""Chapter 1, the squishification scenes: every dot, number and fill is recomputed here from the
network and the data and compared with what the scene drew."""

from types import SimpleNamespace

import numpy as np
import pytest

from network.train import PRESETS, VIDEO, TrainConfig
from scenes import style
from scenes.ch1 import squish
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def logistic(z):
    """σ written out independently of the project's implementation."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def coords(axes, mob):
    return np.array(axes.p2c(mob.get_center()))


def hex_of(color):
    return color.to_hex().lower()


# --------------------------------------------------------------------------- SigmoidSquish
def test_sigmoid_squish_shows_real_weighted_sums(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    # Scale the first layer so that some weighted sums surely fall beyond ±10: the scene must
    # clamp them honestly. (A real computation of that network: z = 2.5 (W a + b).)
    net = quick_model.network.copy()
    i = squish.SigmoidSquish.image_index
    x = np.asarray(mnist.test_x[i], dtype=float)
    z_raw = net.weights[0] @ x + net.biases[0]
    factor = 14.0 / np.abs(z_raw).max()
    net.weights[0] = net.weights[0] * factor
    net.biases[0] = net.biases[0] * factor
    model = SimpleNamespace(network=net)

    scene, video = render_scene(squish.SigmoidSquish, mnist, model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)

    z = net.weights[0] @ x + net.biases[0]
    a = logistic(z)
    assert np.allclose(scene.z, z, atol=1e-9) and np.allclose(scene.a, a, atol=1e-12)
    assert np.allclose(scene.a, net.forward(x)[1][1], atol=0)

    ax = scene.axes
    (lo, hi) = ax.x_range[:2]
    assert (lo, hi) == (-10, 10)
    clamped = [j for j in range(len(z)) if abs(z[j]) > 10]
    assert clamped and sorted(scene.clamped) == clamped
    assert len(scene.z_dots) == len(z) == net.sizes[1]
    for j, dot in enumerate(scene.z_dots):
        cx, cy = coords(ax, dot)
        assert cx == pytest.approx(np.clip(z[j], -10, 10), abs=1e-6)
        assert cy == pytest.approx(a[j], abs=1e-6)  # the dot's height is the activation
        sum_x, sum_y = coords(ax, scene.sum_dots[j])
        assert sum_x == pytest.approx(np.clip(z[j], -10, 10), abs=1e-6) and sum_y == pytest.approx(0, abs=1e-6)
    # Each clamped sum has an arrow on its side saying how many sums lie beyond that edge.
    for j in clamped:
        marker = scene.clamp_markers[j]
        same_side = sum(1 for k in clamped if np.sign(z[k]) == np.sign(z[j]))
        assert marker.count == same_side
        assert f"{same_side} sum" in marker[1].get_tex_string()
        arrow_dx = marker[0].get_end()[0] - marker[0].get_start()[0]
        assert np.sign(arrow_dx) == np.sign(z[j])
    assert set(scene.clamp_markers) == set(clamped)

    # The labelled neurons show their real z and activation.
    labelled = [j for j, _, _ in scene.labels]
    assert labelled == list(dict.fromkeys([int(np.argmin(z)), int(np.argmin(np.abs(z))), int(np.argmax(z))]))
    for j, z_num, a_num in scene.labels:
        assert z_num.get_value() == pytest.approx(z[j], abs=1e-9)
        assert a_num.get_value() == pytest.approx(a[j], abs=1e-12)

    # The demonstration dots: from the real line onto the curve and onto the 0–1 segment.
    for v, dot, squished in zip(scene.demo_xs, scene.demo_dots, scene.squished_dots):
        cx, cy = coords(ax, dot)
        assert cx == pytest.approx(v, abs=1e-6) and cy == pytest.approx(logistic(v), abs=1e-6)
        assert ax.p2c(squished.get_center())[1] == pytest.approx(logistic(v), abs=1e-6)
        assert squished.get_center()[0] == pytest.approx(scene.unit_segment.get_start()[0])
    # The curve is σ, drawn in the highlight colour, and the formula's σ too.
    for t in np.linspace(0.02, 0.98, 9):
        px, py = ax.p2c(scene.curve.point_from_proportion(t))
        assert py == pytest.approx(logistic(px), abs=2e-3)
    assert hex_of(scene.curve.get_stroke_color()) == hex_of(style.PALETTE.highlight)
    assert hex_of(scene.formula[0].get_color()) == hex_of(style.PALETTE.highlight)
    assert scene.formula.get_tex_string().startswith(r"\sigma")
    # The number line's scale is the axes' scale.
    assert scene.number_line.n2p(5)[0] == pytest.approx(ax.c2p(5, 0)[0])
    # The curve's narration: its real ends on the axis and its steepest point.
    curve = dict(scene.narrations)["curve"]
    assert f"At -10 it is {logistic(-10):.5f}, at 10 {logistic(10):.5f}" in curve
    assert logistic(-10) < 0.01 and logistic(10) > 0.99 and "near 0" in curve and "near 1" in curve
    assert "steepest at 0, with slope 0.25." in curve   # σ'(0) = 1/4, its largest
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"on {kind} image {i}." in dict(scene.narrations)["real sums"]
    check_on_frame(scene)
    check_subtitles(scene, video, min_beats=6)


# --------------------------------------------------------------------- BiasShiftsThreshold
def test_bias_shifts_threshold_on_a_real_neuron(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(squish.BiasShiftsThreshold, mnist, quick_model, tmp_path,
                                monkeypatch, tex_dir=tex_dir)

    net = quick_model.network
    i = squish.BiasShiftsThreshold.image_index
    x = np.asarray(mnist.test_x[i], dtype=float)
    wa = net.weights[0] @ x
    b = net.biases[0]
    change = np.abs(logistic(wa + b) - logistic(wa - 10))
    j = int(np.argmax(change))
    assert scene.neuron_index == j
    assert scene.weighted_sum == pytest.approx(wa[j], abs=1e-9)
    assert scene.real_bias == b[j]
    act = logistic(wa[j] + b[j])
    assert scene.real_activation == pytest.approx(act, abs=1e-12)
    assert scene.real_activation == pytest.approx(net.forward(x)[1][1][j], abs=1e-12)

    # The scene ends with the tracker on the real bias and everything following it.
    assert scene.bias.get_value() == pytest.approx(b[j], abs=1e-12)
    assert scene.wa_number.get_value() == pytest.approx(wa[j], abs=1e-9)
    assert scene.b_number.get_value() == pytest.approx(b[j], abs=1e-12)
    assert scene.act_number.get_value() == pytest.approx(act, abs=1e-12)
    assert scene.neuron_circle.get_fill_opacity() == pytest.approx(act, abs=1e-9)
    ax = scene.axes
    px, py = coords(ax, scene.point)
    assert px == pytest.approx(wa[j], abs=1e-6) and py == pytest.approx(act, abs=1e-6)
    assert ax.p2c(scene.threshold_marker.get_start())[0] == pytest.approx(-b[j], abs=1e-6)
    # The redrawn curve is σ(x + b) for the real b.
    for t in np.linspace(0.05, 0.95, 7):
        cx, cy = ax.p2c(scene.curve.point_from_proportion(t))
        assert cy == pytest.approx(logistic(cx + b[j]), abs=3e-3)
    # The axis reaches the sum, the bias and the demonstration's threshold of 10.
    assert ax.x_range[1] >= max(abs(wa[j]), abs(b[j]), 10)
    # The formula first subtracts 10, then shows the real bias.
    assert scene.formula.get_tex_string().replace(" ", "").endswith("-10)")
    sign = "-" if b[j] < 0 else "+"
    assert scene.final_formula.get_tex_string().replace(" ", "").endswith(f"{sign}{abs(b[j]):.2f})")
    assert hex_of(scene.final_formula[4].get_color()) == hex_of(style.PALETTE.bias)
    assert f"{b[j]:.2f}" in scene.narrations[-1][1] and f"{act:.3f}" in scene.narrations[-1][1]
    # The demonstration's threshold is its bias, read from it, in words and formula alike.
    t = -scene.demo_bias
    narr = dict(scene.narrations)
    assert f"bigger than {t:g}. Subtract {t:g}" in narr["formula"]
    assert f"moves to {t:g}." in narr["shift"]
    assert f"not {scene.demo_bias:g}" in narr["real bias"]
    check_on_frame(scene)
    check_subtitles(scene, video, min_beats=4)


# ----------------------------------------------------------------------- SigmoidVersusReLU
def test_sigmoid_versus_relu_uses_both_real_networks(mnist, quick_model, quick_relu_model, tex_dir,
                                                     tmp_path, monkeypatch):
    # A quickly trained sigmoid network and ReLU network (the scene's own path is
    # ``load_trained()`` with the video's and the ReLU preset's full configurations).
    models = {"sigmoid": quick_model, "relu": quick_relu_model}
    scene, video = render_scene(squish.SigmoidVersusReLU, mnist, models["sigmoid"], tmp_path,
                                monkeypatch, tex_dir=tex_dir,
                                load_relu_model=lambda self, data: models["relu"])
    i = squish.SigmoidVersusReLU.image_index
    x = np.asarray(mnist.test_x[i], dtype=float)
    assert models["relu"].network.activation == "relu"
    assert models["sigmoid"].network.activation == "sigmoid"
    for name, model in models.items():
        net = model.network
        # a forward pass written out here, independently of Network.forward
        a = x
        acts = [a]
        for l, (w, b) in enumerate(zip(net.weights, net.biases)):
            zl = w @ a + b
            a = logistic(zl) if (l == len(net.weights) - 1 or name == "sigmoid") else np.maximum(zl, 0)
            acts.append(a)
        nm = scene.network_mobjects[name]
        assert nm.network is net
        for l, (indices, shown) in enumerate(nm.drawn_state()):
            assert np.allclose(shown, np.clip(acts[l][indices], 0, 1), atol=1e-9), (name, l)
        answer = int(np.argmax(acts[-1]))
        assert scene.predictions[name] == nm.highlighted_index == answer
        assert scene.answer_digits[name].get_tex_string() == str(answer)
        assert scene.accuracy_numbers[name].get_value() == pytest.approx(100 * model.test_accuracy, abs=1e-9)
        assert f"{100 * model.test_accuracy:.1f}%" in scene.narrations[-1][1]
        # the accuracy sits under its own network
        row = scene.accuracy_numbers[name]
        assert row.get_top()[1] < nm.get_bottom()[1]
        assert nm.get_left()[0] - 0.5 < row.get_center()[0] < nm.get_right()[0] + 0.5
    # The note about fills that cannot show ReLU activations above 1 counts them for real.
    relu_net = models["relu"].network
    hidden = relu_net.forward(x)[1][1:-1]
    assert scene.saturated == sum(int(np.sum(h > 1)) for h in hidden)
    if scene.saturated:
        assert scene.saturation_note.get_tex_string().startswith(str(scene.saturated))
    narr = dict(scene.narrations)
    sizes = {name: "-".join(map(str, m.network.sizes)) for name, m in models.items()}
    assert sizes["sigmoid"] == sizes["relu"] and f"the same {sizes['relu']} layers" in narr["two networks"]
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"Over all {models['sigmoid'].test_size:,} {kind} images" in narr["accuracy"]
    # Sigmoid on the left, ReLU on the right.
    assert scene.network_mobjects["sigmoid"].get_center()[0] < 0 < scene.network_mobjects["relu"].get_center()[0]

    # The two curves are what they claim.
    sa, ra = scene.sigmoid_axes, scene.relu_axes
    for t in np.linspace(0.02, 0.98, 9):
        px, py = sa.p2c(scene.sigmoid_curve.point_from_proportion(t))
        assert py == pytest.approx(logistic(px), abs=2e-3)
    for piece in scene.relu_curve:
        for t in (0.0, 0.3, 0.7, 1.0):
            px, py = ra.p2c(piece.point_from_proportion(t))
            assert py == pytest.approx(max(0.0, px), abs=1e-6)
    assert hex_of(scene.sigmoid_curve.get_stroke_color()) == hex_of(style.PALETTE.highlight)
    assert hex_of(scene.relu_curve[0].get_stroke_color()) != hex_of(style.PALETTE.highlight)
    check_on_frame(scene)
    check_subtitles(scene, video, min_beats=6)


def test_relu_preset_is_the_video_network_with_relu():
    relu = PRESETS["relu"]
    assert relu.activation == "relu"
    assert relu.sizes == VIDEO.sizes and relu.cost == VIDEO.cost == "quadratic"
    assert isinstance(relu, TrainConfig) and relu.eta < VIDEO.eta
