"""Chapter 1, pixels and neurons: every number and position on screen is recomputed from the
real data and network and compared with what the scenes drew."""

import numpy as np
import pytest
from manim import Integer

from scenes.ch1 import pixels
from scenes.ch1.pixels import (
    HopedForComponents,
    NeuronHoldsANumber,
    ThreesAreThrees,
    components_of_eight,
    components_of_four,
    components_of_nine,
    differing_pixels,
    first_of_class,
    fit_line,
    fit_loop,
    loop_point,
    grey_pixels,
    waist_row,
)
from scenes.mobjects import choose_input_indices
from scenes.text import held_out_words, model_caption
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def on_ink(image, points_rc) -> float:
    """Mean brightness of the pixels under points given in (row, col) pixel coordinates."""
    v = image.astype(float) / 255
    r = np.clip(np.round([p[0] for p in points_rc]).astype(int), 0, 27)
    c = np.clip(np.round([p[1] for p in points_rc]).astype(int), 0, 27)
    return float(v[r, c].mean())


def piece_samples(piece, n=40):
    if piece["kind"] == "loop":
        return [loop_point(piece, t) for t in np.linspace(0, 2 * np.pi, n, endpoint=False)]
    return [piece["start"] + s * (piece["end"] - piece["start"]) for s in np.linspace(0, 1, n)]


# ------------------------------------------------------------------------- the fitting rules
def test_rules_on_made_up_images():
    # A ring of radius 6 around (12, 15): the loop finds its centre and radius.
    rr, cc = np.mgrid[0:28, 0:28]
    ring = (np.abs(np.hypot(rr - 12, cc - 15) - 6) < 0.7).astype(np.uint8) * 255
    loop = fit_loop(ring, np.ones((28, 28), bool))
    assert np.allclose(loop["center"], [12, 15], atol=0.05)
    assert np.allclose(loop["radii"], 6, atol=0.3)
    # A slanted line of ink: the fitted line ends where the ink ends, upper end first.
    line_img = np.zeros((28, 28), np.uint8)
    for t in range(15):
        line_img[5 + t, 20 - t // 2] = 255
    line = fit_line(line_img, np.ones((28, 28), bool))
    assert np.allclose(line["start"], [5, 20], atol=0.6)
    assert np.allclose(line["end"], [19, 13], atol=0.6)
    # Differences are counted on brightness in [0, 1].
    a = np.zeros((28, 28), np.uint8)
    b = a.copy()
    b[0, :5] = 200      # differs by 0.78
    b[1, :3] = 100      # differs by 0.39
    assert list(differing_pixels(a, b, 0.5)) == [0, 1, 2, 3, 4]
    assert len(differing_pixels(a, b, 0.3)) == 8
    # In-between greys: distinct values ranked 3m/4, m/2, m/4, lightest first, first pixel each.
    g = np.zeros((28, 28), np.uint8)
    g[12, 3:13] = [0, 51, 255, 102, 30, 200, 90, 10, 150, 90]  # 10 30 51 90 102 150 200
    g[13, 0] = 90
    assert grey_pixels(g) == [12 * 28 + 11, 12 * 28 + 9, 12 * 28 + 7]   # 150, 90, 30
    g[12, 3:13] = [0, 51, 255, 102, 0, 0, 0, 0, 0, 0]
    g[13, 0] = 0
    assert grey_pixels(g) == [12 * 28 + 6, 12 * 28 + 4]


def test_the_hoped_for_pieces_sit_on_real_ink(mnist):
    images, labels = mnist.test_images, mnist.test_labels
    for digit, rule, kinds in [(9, components_of_nine, ["loop", "line"]),
                               (8, components_of_eight, ["loop", "loop"]),
                               (4, components_of_four, ["line", "line", "line"])]:
        image = images[first_of_class(labels, digit)[0]]
        pieces = rule(image)
        assert [p["kind"] for p in pieces] == kinds
        background = image.astype(float).mean() / 255
        for p in pieces:
            # Along every piece the image is far brighter than on average: it follows ink.
            assert on_ink(image, piece_samples(p)) > 2.5 * background, (digit, p)
    nine = components_of_nine(images[first_of_class(labels, 9)[0]])
    assert nine[0]["center"][0] < nine[1]["end"][0]          # the loop is above the line's end
    eight_image = images[first_of_class(labels, 8)[0]]
    top, bottom = components_of_eight(eight_image)
    assert top["center"][0] < waist_row(eight_image) < bottom["center"][0]


# ------------------------------------------------------------------------------- the scenes
def test_threes_are_threes(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(ThreesAreThrees, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    check_subtitles(scene, video)
    labels = mnist.test_labels
    threes = [int(i) for i in np.flatnonzero(labels == 3)[:ThreesAreThrees.n_threes]]
    assert [i for i, _ in scene.digits] == threes
    for i, d in scene.digits + scene.others:
        assert np.array_equal(d.pixels, mnist.test_images[i])
    assert [int(labels[i]) for i, _ in scene.others] == list(ThreesAreThrees.other_digits)
    assert [i for i, _ in scene.others] == [int(np.flatnonzero(labels == k)[0])
                                           for k in ThreesAreThrees.other_digits]

    # The difference: recomputed by hand, as counted and as drawn.
    a, b = (mnist.test_images[i].astype(float) / 255 for i in threes[:2])
    expected = np.flatnonzero(np.abs(a - b).ravel() > ThreesAreThrees.threshold)
    assert scene.pair == tuple(threes[:2])
    assert scene.difference_count == expected.size > 0
    assert isinstance(scene.count_number, Integer)
    assert scene.count_number.get_value() == expected.size
    assert scene.count_total.get_tex_string() == r"\text{of } 784 \text{ pixels}"
    assert scene.threshold_tex[1].tex_string == f"{ThreesAreThrees.threshold:g}"
    assert np.array_equal(scene.difference_image,
                          np.abs(mnist.test_images[threes[0]].astype(int)
                                 - mnist.test_images[threes[1]].astype(int)))
    assert len(scene.difference_squares) == expected.size
    # Each highlighted square sits on its pixel of the difference image (4 px difference grid).
    step = scene.difference_squares[0].width
    first = scene.difference_squares[0].get_center()
    for sq, i in zip(scene.difference_squares, expected):
        r0, c0 = divmod(int(expected[0]), 28)
        r, c = divmod(int(i), 28)
        assert np.allclose(sq.get_center()[:2], first[:2] + step * np.array([c - c0, r0 - r]),
                           atol=1e-6)

    # The network's answers under every image are its real answers.
    for i, _ in scene.digits + scene.others:
        answer = int(np.argmax(quick_model.network.feedforward(np.asarray(mnist.test_x[i], float))))
        assert scene.answers[i] == answer
        assert scene.answer_labels[i][1].tex_string == str(answer)
    narr = dict(scene.narrations)
    kind = "held-out" if mnist.source == "sample" else "test"
    assert narr["one three"].startswith(f"{kind.capitalize()} image {threes[0]}: a 3")
    distinct = len({mnist.test_images[i].tobytes() for i in threes})
    assert narr["threes"] == (f"The first {len(threes)} threes of the {kind} set: "
                              + ("every one different." if distinct == len(threes)
                                 else f"{distinct} different images among them."))
    read = sum(scene.answers[i] == 3 for i in threes)
    beat = dict(scene.narrations)["all threes"]
    assert (f"all {len(threes)}." in beat) == (read == len(threes))
    assert read == len(threes) or f"reads {read} of the {len(threes)}" in beat
    check_on_frame(scene)


def test_neuron_holds_a_number(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(NeuronHoldsANumber, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    check_subtitles(scene, video)
    i = NeuronHoldsANumber.image_index
    image = mnist.test_images[i]
    x = np.asarray(mnist.test_x[i], dtype=float)

    # The one neuron: its fill and its number agree at every frame, and run 0 -> 1 -> greys.
    samples = np.array(scene.neuron_samples)
    assert len(samples) > 30
    assert np.allclose(samples[:, 0], samples[:, 1], atol=1e-9)
    assert samples[:, 0].min() == pytest.approx(0) and samples[:, 0].max() == pytest.approx(1)
    # ... and the rendered frames show that fill: brightness inside the circle = the value.
    assert [v for v, _ in scene.rendered_neuron] == pytest.approx(scene.neuron_values[1:])
    for v, shown in scene.rendered_neuron:
        assert shown == pytest.approx(v, abs=0.02)
    greys = scene.neuron_values[2:]
    assert scene.grey_indices == grey_pixels(image)
    assert greys == [x[i] for i in scene.grey_indices]
    assert len(greys) == 3 and all(0 < g < 1 for g in greys)
    assert [p for p, *_ in scene.grey_marks] == scene.grey_indices
    for p, center, corner, side in scene.grey_marks:   # each outline sits on its pixel
        col, row = (center[0] - corner[0]) / side - 0.5, (corner[1] - center[1]) / side - 0.5
        assert (round(row), round(col)) == divmod(p, 28)
        assert abs(row - round(row)) < 1e-6 and abs(col - round(col)) < 1e-6
    assert scene.neuron_number.get_value() == pytest.approx(greys[-1])
    assert scene.neuron.get_fill_opacity() == pytest.approx(greys[-1])

    # 784 circles, each filled with its pixel's brightness, unrolled row by row into a column.
    assert np.array_equal(scene.grid.pixels, image)
    assert len(scene.pixel_circles) == 784
    assert np.allclose(scene.circle_fills, x, atol=1e-12)
    centers = scene.column_centers
    assert np.allclose(centers, scene.column_positions, atol=1e-6)
    assert np.allclose(centers[:, 0], centers[0, 0])
    assert np.allclose(np.diff(centers[:, 1]), -scene.column_step)
    assert scene.column_step * 784 > 8  # taller than the frame
    assert scene.count_tex.get_tex_string() == r"28 \times 28 = 784"

    # The column becomes the real input layer: the same 16 pixels NetworkMobject picks.
    layer = scene.input_layer
    assert scene.network_mobject.network is quick_model.network
    assert scene.drawn_indices == choose_input_indices(x)
    assert [c.neuron_index for c in layer.neurons] == scene.drawn_indices
    assert np.allclose([c.get_fill_opacity() for c in layer.neurons], x[scene.drawn_indices])
    assert layer.brace_label.get_tex_string() == "784"
    kind = "held-out" if mnist.source == "sample" else "test"
    assert dict(scene.narrations)["pixels"].startswith(f"{kind.capitalize()} image {i}: 28 by 28")
    for sq, p in zip(scene.drawn_outlines, scene.drawn_indices):
        assert np.allclose(sq.get_center(), scene.small_digit.pixel_center(p), atol=1e-6)
    check_on_frame(scene)


def test_hoped_for_components(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(HopedForComponents, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir)
    check_subtitles(scene, video)
    labels = mnist.test_labels
    rules = {9: components_of_nine, 8: components_of_eight, 4: components_of_four}
    assert scene.hope_label.get_tex_string() == "hope:"
    assert [d for d, _, _ in scene.digits] == [9, 8, 4]
    for d, index, digit in scene.digits:
        assert index == int(np.flatnonzero(labels == d)[0])
        assert np.array_equal(digit.pixels, mnist.test_images[index])
        expected = rules[d](mnist.test_images[index])
        for drawn, piece, exp in zip(scene.piece_mobjects[d], scene.pieces[d], expected):
            assert piece["kind"] == exp["kind"]
            for key in ("center", "radii", "start", "end"):
                if key in exp:
                    assert np.allclose(piece[key], exp[key])
            # The little edges drawn on the image run along the fitted piece.
            pts = [pixels.pixel_point(digit, p) for p in piece_samples(piece, 400)]
            for edge in drawn:
                for end in (edge.get_start(), edge.get_end()):
                    nearest = min(np.linalg.norm(end - q) for q in pts)
                    assert nearest < 0.5 * digit.pixel_size
        assert f"as in {'held-out' if mnist.source == 'sample' else 'test'} image {index}." \
            in dict(scene.narrations)[f"digit {d}"]
        eq = scene.equations[d]
        assert eq[0][0].tex_string == str(d)
        assert len(scene.equation_pieces[d]) == len(expected)
    check_on_frame(scene)


def test_test_images_are_named_for_what_they_are(mnist, quick_model):
    """The bundled sample's test set is official *training* images held out: scenes call them
    held-out images; the official test set's images are test images."""
    from types import SimpleNamespace
    sample = held_out_words(SimpleNamespace(source="sample"))
    official = held_out_words(SimpleNamespace(source="dir"))
    assert (sample.image, sample.images, sample.set, sample.accuracy) == (
        "held-out image", "held-out images", "held-out set", "held-out accuracy")
    assert (official.image, official.images, official.set, official.accuracy) == (
        "test image", "test images", "test set", "test accuracy")
    assert held_out_words(mnist).sample == (mnist.source == "sample")
    assert held_out_words(quick_model).sample == (quick_model.data_source == "sample")
    text = model_caption(quick_model)
    assert f"{quick_model.test_size:,} {held_out_words(mnist).images}" in text
    assert ("test images" in text) == (mnist.source != "sample")
