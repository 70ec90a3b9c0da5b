"""Chapter 1, weights: the WeightGrid mobject and the EdgeDetectorNeuron / MatrixNotation
scenes. Everything drawn is compared with numbers recomputed from the network and the data."""

import numpy as np
import pytest
from manim import color_to_rgb

from network.model import sigmoid
from scenes import style
from scenes.ch1.weights import (
    EdgeDetectorNeuron,
    MatrixNotation,
    designed_edge_weights,
    largest_terms,
    term_tex,
)
from scenes.mobjects.weights import WeightGrid
from scenes.text import color_word
from tests.scene_support import check_on_frame, check_subtitles, render_scene

FRAME_RATE = 5  # fewer frames: the same drawing, a quicker test


def check_grid_colors(grid, weights, scale, palette=style.PALETTE):
    """Each drawn pixel has its weight's sign colour, at brightness |w| / scale."""
    w = np.asarray(weights, dtype=float).ravel()
    assert np.array_equal(grid.flat_weights, w)
    assert grid.weight_scale == pytest.approx(scale)
    assert np.allclose(grid.brightness.ravel(), np.clip(np.abs(w) / scale, 0, 1))
    pos = 255 * np.asarray(color_to_rgb(palette.positive))
    neg = 255 * np.asarray(color_to_rgb(palette.negative))
    rgb = grid.rgb.reshape(-1, 3).astype(float)
    for i in range(w.size):
        expected = (pos if w[i] >= 0 else neg) * min(abs(w[i]) / scale, 1)
        assert np.allclose(rgb[i], expected, atol=0.51), i
    # The image mobject shows exactly those colours.
    shown = grid.image.get_pixel_array()[..., :3].reshape(-1, 3)
    assert np.array_equal(shown, grid.rgb.reshape(-1, 3))


# ------------------------------------------------------------------------- the mobject
def test_weight_grid_colours_sign_and_brightness():
    rng = np.random.default_rng(1)
    w = rng.normal(size=784)
    grid = WeightGrid(w, height=2.5)
    check_grid_colors(grid, w, np.abs(w).max())
    assert grid.height == pytest.approx(2.5)
    # The strongest weight is at full brightness; a zero weight is black.
    w[5] = 0.0
    grid = WeightGrid(w)
    assert grid.brightness.max() == pytest.approx(1.0)
    assert np.array_equal(grid.color_of(5), [0, 0, 0])
    # Weight 0 is the top-left corner, 27 the top-right, 28 the start of row two.
    step = grid.pixel_size
    c0, c27, c28 = (grid.pixel_center(i) for i in (0, 27, 28))
    assert c27[0] - c0[0] == pytest.approx(27 * step)
    assert c0[1] - c28[1] == pytest.approx(step)
    # A given scale, and the swappable palette.
    colorblind = style.palette_from_env({"NN_PALETTE": "colorblind"})
    grid = WeightGrid(w, scale=2 * np.abs(w).max(), palette=colorblind)
    check_grid_colors(grid, w, 2 * np.abs(w).max(), colorblind)
    with pytest.raises(ValueError):
        WeightGrid(np.ones(780))


def test_designed_edge_detector_geometry():
    w = designed_edge_weights(start=(7, 9), end=(7, 18), inner=1.2, outer=3.2).reshape(28, 28)
    assert set(np.unique(w)) == {-1.0, 0.0, 1.0}
    assert np.all(w[7, 9:19] == 1) and w[7, 8] == 1 and w[7, 20] == -1
    assert np.all(w[4, 9:19] == -1) and np.all(w[10, 9:19] == -1)
    assert np.all(w[15:] == 0) and np.all(w[:, :5] == 0)


def test_largest_terms():
    w = np.array([0.5, -2.0, 1.0, 3.0])
    a = np.array([1.0, 1.0, 0.0, 0.5])
    assert largest_terms(w, a, 3) == [(1, -2.0), (3, 1.5), (0, 0.5)]
    assert term_tex(-0.854, first=True) == "-0.85"
    assert term_tex(0.95, first=False) == "{}+ 0.95"
    assert term_tex(-0.5, first=False) == "{}- 0.50"


# ------------------------------------------------------------------------- the scenes
def test_edge_detector_neuron_scene(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(EdgeDetectorNeuron, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=FRAME_RATE)
    check_subtitles(scene, video)
    net = quick_model.network
    test_x = np.asarray(mnist.test_x, dtype=float)
    designed = designed_edge_weights()

    # The image is the real test image where the designed detector responds most.
    assert scene.image_index == int(np.argmax(test_x @ designed))
    x = test_x[scene.image_index]
    assert np.array_equal(scene.x, x)
    assert np.array_equal(scene.digit.pixels, mnist.test_images[scene.image_index])
    # Its ink passes along the stroke.
    assert x[designed > 0].mean() > 0.5

    # The real neuron: largest weighted sum for that image; its real trained weights drawn.
    W = net.weights[0]
    assert scene.real_neuron == int(np.argmax(W @ x))
    expected_weights = {"real": W[scene.real_neuron], "designed": designed}
    for name, w in expected_weights.items():
        panel = scene.panels[name]
        check_grid_colors(panel["grid"], w, np.abs(w).max())
        # The product image is w_i * a_i on the weights' scale.
        check_grid_colors(panel["product_grid"], w * x, np.abs(w).max())
        # The terms shown are the real largest |w_i a_i|, with their values written out.
        products = w * x
        order = np.argsort(-np.abs(products), kind="stable")[:scene.n_terms]
        assert [i for i, _ in panel["terms"]] == [int(i) for i in order]
        for k, ((i, value), mob, label) in enumerate(zip(panel["terms"], panel["term_mobjects"],
                                                          panel["index_labels"])):
            assert value == products[i]
            assert mob.get_tex_string() == term_tex(products[i], first=(k == 0))
            assert label.get_tex_string() == f"i={i}"
        # The total is the real dot product over all 784 pixels.
        assert panel["total"].get_value() == pytest.approx(np.dot(w, x), abs=1e-12)
        assert panel["total_value"] == pytest.approx(float(w @ x), abs=1e-9)
    assert "not learned" in scene.panels["designed"]["title"]

    # The narration's facts: the input size, the palette's colours, the designed weights
    # counted, and the designed sum against every image's.
    narr = dict(scene.narrations)
    n_in = net.sizes[0]
    kind = "held-out" if mnist.source == "sample" else "test"
    assert narr["image"].startswith(f"{kind.capitalize()} image {scene.image_index}: {n_in} pixel")
    assert f"from {x.min():.3g} to {x.max():.3g}" in narr["image"]
    assert f"Add all {n_in} products; here are the {scene.n_terms} biggest" in narr["sum"]
    assert f"only the {int(np.count_nonzero(x))} pixels with ink" in narr["product"]
    pos, neg = color_word(style.PALETTE.positive), color_word(style.PALETTE.negative)
    assert f"{pos} weights are positive and {neg} ones negative" in narr["weights"]
    assert f"+1 on a short stroke of {int(np.sum(designed == 1))} pixels" in narr["designed"]
    assert f"-1 on the {int(np.sum(designed == -1))} around it" in narr["designed"]
    sums = test_x @ designed
    assert f"the sum is {sums.max():.2f}, the largest of all {len(sums):,} {kind} images" \
        in narr["designed sum"]
    assert scene.digit_caption.get_tex_string() == f"{kind} image {scene.image_index}"
    check_on_frame(scene)


def test_colour_words_follow_the_palette():
    """The words the narration uses for the sign colours are the palette's, whichever it is."""
    default = style.palette_from_env({})
    colorblind = style.palette_from_env({"NN_PALETTE": "colorblind"})
    assert (color_word(default.positive), color_word(default.negative)) == ("blue", "red")
    assert (color_word(colorblind.positive), color_word(colorblind.negative)) == ("blue", "orange")


def test_matrix_notation_scene(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(MatrixNotation, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=FRAME_RATE)
    check_subtitles(scene, video)
    net = quick_model.network
    W, b = net.weights[0], net.biases[0]
    x = np.asarray(mnist.test_x[scene.image_index], dtype=float)
    k, n = net.sizes[1] - 1, net.sizes[0] - 1
    assert (scene.k, scene.n) == (k, n)
    assert np.array_equal(scene.x, x)

    # ---- symbols: every subscript is its row / column position (0, 1, ⋯, k or n).
    row_names, col_names = ["0", "1", None, "k"], ["0", "1", None, "n"]
    Wsym = scene.symbolic[2]
    for e in scene.symbolic_entries:
        r, c = e["position"]
        if e["matrix"] == "W":
            i, j = row_names[r], col_names[c]
            assert e["index"] == (i, j)
            assert e["tex"] == e["mobject"].get_tex_string() == f"w_{{{i},{j}}}"
            assert e["mobject"] is Wsym.get_rows()[r][c]
        else:
            idx = (col_names if e["matrix"] == "a" else row_names)[r]
            assert e["index"] == (idx,)
            assert e["mobject"].get_tex_string() == f"{e['matrix']}_{{{idx}}}"
            matrix = scene.symbolic[3 if e["matrix"] == "a" else 5]
            assert e["mobject"] is matrix.get_rows()[r][0]
    assert len([e for e in scene.symbolic_entries if e["matrix"] == "W"]) == 9
    note = scene.symbolic_note.get_tex_string()
    assert f"k = {k}" in note and f"n = {n}" in note

    # ---- numbers: the real slice, each number at the row/column its labels say.
    cols = [scene.columns[0], scene.columns[1], None, scene.columns[2]]
    assert all(x[j] > 0 for j in scene.columns), "the columns shown are inked pixels"
    assert scene.rows == [0, 1, None, k]
    Wnum = scene.numeric[2]
    seen = {"W": 0, "a": 0, "b": 0}
    for e in scene.numeric_entries:
        r, c = e["position"]
        seen[e["matrix"]] += 1
        if e["matrix"] == "W":
            i, j = scene.rows[r], cols[c]
            assert e["index"] == (i, j)
            assert e["value"] == e["mobject"].get_value() == W[i, j]
            assert e["mobject"] is Wnum.get_rows()[r][c]
            # Its row label (i=...) is level with it, its column label (j=...) above it.
            assert e["center"][1] == pytest.approx(scene.label_centers[("i", i)][1], abs=0.02)
            assert e["center"][0] == pytest.approx(scene.label_centers[("j", j)][0], abs=0.02)
            assert scene.label_centers[("j", j)][1] > e["center"][1]
        elif e["matrix"] == "a":
            j = cols[r]
            assert e["index"] == (j,)
            assert e["value"] == e["mobject"].get_value() == x[j]
            assert e["center"][1] == pytest.approx(scene.label_centers[("a", j)][1], abs=0.02)
        else:
            i = scene.rows[r]
            assert e["index"] == (i,)
            assert e["value"] == e["mobject"].get_value() == b[i]
            assert e["center"][1] == pytest.approx(scene.label_centers[("i", i)][1], abs=0.02)
    assert seen == {"W": 9, "a": 3, "b": 3}
    assert [m.get_tex_string() for _, m in scene.column_labels] == [f"j={j}" for j in scene.columns]
    assert [m.get_tex_string() for _, m in scene.row_labels] == [f"i={i}" for i in (0, 1, k)]
    assert [m.get_tex_string() for _, m in scene.a_labels] == [f"a_{{{j}}}" for j in scene.columns]

    # ---- one row: the real weighted sum over ALL inputs, bias, sigma.
    i = scene.highlighted_row
    assert scene.row_sum == pytest.approx(float(W[i] @ x), abs=1e-12)
    assert scene.row_z == pytest.approx(float(W[i] @ x + b[i]), abs=1e-12)
    assert scene.row_activation == pytest.approx(float(sigmoid(W[i] @ x + b[i])), abs=1e-12)
    d = scene.row_decimals
    line1, line2 = scene.row_lines
    assert line1[2].tex_string == f"{W[i] @ x:.{d}f}"
    assert line1[0].tex_string.endswith(f"w_{{{i},{n}}}a_{{{n}}}")
    assert [line2[p].tex_string for p in (1, 3, 5)] == [
        f"{v:.{d}f}" for v in (W[i] @ x, W[i] @ x + b[i], sigmoid(W[i] @ x + b[i]))]

    narr = dict(scene.narrations)
    assert f"neuron i's {n + 1} weights: rows 0 to {k}, columns 0 to {n}" in narr["symbols"]
    assert f"rows 0, 1 and {k}, and the columns of inked pixels" in narr["numbers"]
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"for {kind} image {scene.image_index}:" in narr["numbers"]
    assert f"over all {n + 1} pixels" in narr["one row"]

    # ---- sigma, entry by entry: the network's real first-layer activations.
    _, activations = net.forward(x)
    for e, r in zip(scene.result_entries, (0, 1, 3)):
        i = scene.rows[r]
        assert e["index"] == (i,) and e["position"] == (r, 0)
        assert e["mobject"].get_value() == pytest.approx(activations[1][i], abs=1e-12)
        assert e["value"] == pytest.approx(sigmoid(W[i] @ x + b[i]), abs=1e-12)
    check_on_frame(scene)
