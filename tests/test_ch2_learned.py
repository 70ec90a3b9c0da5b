"""Chapter 2, what the network learned: WhatHiddenNeuronsLookFor, ConfidentNonsense and
RandomLabels. Everything drawn is compared with numbers recomputed from the network/data."""

import numpy as np
import pytest
from manim import color_to_rgb

from network import load_trained
from network.train import RANDOM_LABELS, RANDOM_LABELS_SHUFFLED, TrainConfig
from scenes import style
from scenes.ch1.weights import designed_edge_weights
from scenes.ch2.learned import (
    ConfidentNonsense,
    RandomLabels,
    WhatHiddenNeuronsLookFor,
    edge_bank,
    edge_similarity,
    grid_layout,
    noise_pixels,
)
from tests.scene_support import check_on_frame, check_subtitles, quiet, render_scene


def check_grid_colors(grid, weights):
    """Each pixel has its weight's sign colour at brightness |w| / (the row's largest |w|)."""
    w = np.asarray(weights, dtype=float).ravel()
    scale = np.abs(w).max()
    assert np.array_equal(grid.flat_weights, w)
    assert grid.weight_scale == pytest.approx(scale)
    pos = 255 * np.asarray(color_to_rgb(style.PALETTE.positive))
    neg = 255 * np.asarray(color_to_rgb(style.PALETTE.negative))
    expected = np.where((w >= 0)[:, None], pos, neg) * np.clip(np.abs(w) / scale, 0, 1)[:, None]
    assert np.allclose(grid.rgb.reshape(-1, 3), expected, atol=0.51)
    shown = grid.image.get_pixel_array()[..., :3].reshape(-1, 3)
    assert np.array_equal(shown, grid.rgb.reshape(-1, 3))


def test_grid_layout_and_noise():
    assert grid_layout(16, 11.1, 6.3)[:2] == (4, 4)
    assert grid_layout(32, 11.1, 6.3)[:2] == (4, 8)
    rows, cols, cell = grid_layout(10, 11.1, 6.3)
    assert rows * cols >= 10 and cols * cell <= 11.1 and rows * cell <= 6.3
    a = noise_pixels(0)
    assert a.shape == (28, 28) and a.dtype == np.uint8
    assert np.array_equal(a, np.random.default_rng(0).integers(0, 256, (28, 28), dtype=np.uint8))
    assert not np.array_equal(a, noise_pixels(1))


def test_edge_bank_and_similarity():
    bank = edge_bank()
    assert bank.shape == (18 * 18 * 8, 784) and set(np.unique(bank)) == {-1.0, 0.0, 1.0}
    # Every stroke is 10 pixels long: its +1 pixels span about that much (less on a diagonal).
    for row in bank[::37]:
        r, c = np.nonzero(row.reshape(28, 28) == 1)
        assert 7 <= max(np.ptp(r), np.ptp(c)) <= 13
    # An edge of the bank (or its negative) is the same picture; noise is nothing like one.
    assert np.allclose(edge_similarity(np.vstack([bank[5], -bank[5]]), bank), 1.0)
    noise = np.random.default_rng(0).normal(size=(3, 784))
    assert np.all(edge_similarity(noise, bank) < 0.3)
    # Edges drawn by hand, of other lengths and places, resemble one of its edges: the scene's
    # own hoped-for edges clear the scene's threshold (0.5) comfortably.
    assert edge_similarity(designed_edge_weights(start=(8, 8), end=(8, 17))[None], bank)[0] > 0.5
    hoped = np.array([designed_edge_weights(start=a, end=b)
                      for a, b in WhatHiddenNeuronsLookFor.hoped_strokes])
    assert np.all(edge_similarity(hoped, bank) > 0.6)
    assert WhatHiddenNeuronsLookFor.edge_match == 0.5


def test_random_labels_presets():
    assert RANDOM_LABELS_SHUFFLED == RANDOM_LABELS.replace(shuffle_labels=True)
    assert RANDOM_LABELS.sizes[1] >= 100 and RANDOM_LABELS.train_subset > 0
    assert not RANDOM_LABELS.shuffle_labels


# ------------------------------------------------------------------------- scene 1
def test_what_hidden_neurons_look_for(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(WhatHiddenNeuronsLookFor, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    W = quick_model.network.weights[0]
    assert np.array_equal(scene.W, W)
    assert scene.shown_neurons == list(range(W.shape[0]))
    assert len(scene.grids) == W.shape[0] == 16
    assert scene.layout[:2] == (4, 4)
    for j, grid in zip(scene.shown_neurons, scene.grids):
        assert grid.neuron_index == j
        check_grid_colors(grid, W[j])
    # Laid out in reading order: row by row, left to right.
    xs = [g.get_x() for g in scene.grids[:4]]
    assert xs == sorted(xs) and scene.grids[4].get_y() < scene.grids[0].get_y()
    assert "own largest" in scene.legend[-1].get_tex_string()
    assert f"{100 * quick_model.test_accuracy:.1f}" in scene.accuracy_text[1].get_tex_string()
    # "Not the edges we hoped for" is measured: each neuron's best cosine similarity with any
    # short edge of the bank, recomputed here with a loop.
    bank = edge_bank()
    best = []
    for j in scene.shown_neurons:
        w = W[j].astype(float)
        best.append(max(abs(w @ e) / (np.linalg.norm(w) * np.linalg.norm(e)) for e in bank))
    assert np.allclose(scene.similarities, best, atol=1e-12)
    blobs = dict(scene.narrations)["blobs"]
    assert f"Set beside {len(bank):,} short edges" in blobs
    matches = sum(b >= scene.edge_match for b in best)
    assert ("none of the 16 matches one closely" in blobs) == (matches == 0)
    if matches == 0:
        assert f"the closest reaches only {max(best):.2f}" in blobs
    else:
        assert f"{matches} of the 16" in blobs or f"all 16" in blobs
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"{kind} images right" in dict(scene.narrations)["accuracy"]
    check_on_frame(scene)
    check_subtitles(scene, video, min_beats=4, in_order=True)


def test_hidden_neurons_other_sizes(mnist, tex_dir, tmp_path, monkeypatch, tmp_path_factory):
    model = load_trained(TrainConfig(sizes=(784, 32, 10), epochs=1), mnist,
                         directory=tmp_path_factory.mktemp("models"), progress=False, log=quiet)
    scene, _ = render_scene(WhatHiddenNeuronsLookFor, mnist, model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    W = model.network.weights[0]
    assert len(scene.grids) == 32 and scene.layout[:2] == (4, 8)
    for j, grid in zip(scene.shown_neurons, scene.grids):
        check_grid_colors(grid, W[j])
    check_on_frame(scene)


# ------------------------------------------------------------------------- scene 2
def test_confident_nonsense(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(ConfidentNonsense, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    net = quick_model.network
    pixels = np.random.default_rng(ConfidentNonsense.seed).integers(0, 256, (28, 28), dtype=np.uint8)
    assert np.array_equal(scene.pixels, pixels)
    assert np.array_equal(scene.noise.pixels, pixels)  # what is shown is what went in
    x = pixels.ravel() / 255.0
    outputs = net.forward(x)[1][-1]
    assert np.allclose(scene.outputs, outputs)
    answer = int(np.argmax(outputs))
    assert scene.prediction == answer == scene.network_mobject.highlighted_index
    for k, number in enumerate(scene.output_numbers):
        assert number.get_value() == pytest.approx(outputs[k], abs=1e-12)
    assert scene.answer.get_value() == pytest.approx(outputs[answer], abs=1e-12)
    assert scene.answer_digit.get_tex_string() == str(answer)
    assert f"{outputs[answer]:.2f}" in dict(scene.narrations)["answer"]
    assert ("confidently" in dict(scene.narrations)["answer"]) == (outputs[answer] >= 0.8)
    assert f"seed {ConfidentNonsense.seed}" in scene.noise_caption[1].get_tex_string()
    fills = [c.get_fill_opacity() for c in scene.network_mobject.layers[-1].neurons]
    assert np.allclose(fills, outputs, atol=1e-6)
    # The other seeds: their real answers.
    assert [o["seed"] for o in scene.others] == list(ConfidentNonsense.more_seeds)
    for o in scene.others:
        out = net.forward(noise_pixels(o["seed"]).ravel() / 255.0)[1][-1]
        k = int(np.argmax(out))
        assert np.array_equal(o["image"].pixels, noise_pixels(o["seed"]))
        assert o["prediction"] == k and o["digit"].get_tex_string() == str(k)
        assert o["value"].get_value() == pytest.approx(out[k], abs=1e-12)
    check_on_frame(scene)
    check_subtitles(scene, video, min_beats=4, in_order=True)


# ------------------------------------------------------------------------- scene 3
@pytest.fixture(scope="module")
def quick_runs(mnist, tmp_path_factory):
    config = RANDOM_LABELS.replace(sizes=(784, 30, 10), train_subset=300, epochs=4)
    directory = tmp_path_factory.mktemp("runs")
    return {name: load_trained(c, mnist, directory=directory, progress=False, log=quiet)
            for name, c in (("true", config), ("shuffled", config.replace(shuffle_labels=True)))}


def test_random_labels(mnist, quick_model, quick_runs, tex_dir, tmp_path, monkeypatch):
    scene, video = render_scene(RandomLabels, mnist, quick_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5,
                                load_runs=lambda self, data: quick_runs)
    config = quick_runs["true"].config
    # The labels shown: the real ones and the real seeded shuffle.
    _, shuffled = config.replace(shuffle_labels=True).training_set(mnist.train_x, mnist.train_labels)
    assert not np.array_equal(shuffled, mnist.train_labels[:config.train_subset])
    for i in range(scene.n_examples):
        assert scene.true_label_mobs[i].get_tex_string() == str(int(mnist.train_labels[i]))
        assert scene.shuffled_label_mobs[i].get_tex_string() == str(int(shuffled[i]))
    text = " ".join(t.get_tex_string() for t in scene.setup_text)
    assert "784-30-10" in text and f"{config.train_subset:,} training" in text
    assert f"{config.epochs} epochs" in text
    for name, run in quick_runs.items():
        cost = run.history.epoch_cost
        assert len(cost) == config.epochs
        assert scene.plotted[name] == [(float(k + 1), float(c)) for k, c in enumerate(cost)]
        # The curve's corners sit exactly on those points of the axes.
        anchors = np.vstack([scene.curves[name].get_start_anchors(), scene.curves[name].get_end_anchors()[-1:]])
        back = np.array([scene.axes.p2c(p) for p in anchors])
        assert np.allclose(back, scene.plotted[name], atol=1e-6)
        # The accuracies: recomputed on what each run trained on, and on the test set.
        x, labels = run.config.training_set(mnist.train_x, mnist.train_labels)
        train_acc = run.network.evaluate(x, labels) / len(x)
        numbers = scene.accuracy_numbers[name]
        assert numbers["train"].get_value() == pytest.approx(100 * train_acc)
        assert numbers["test"].get_value() == pytest.approx(100 * run.test_accuracy)
    # The narration's facts: each run's cost, first epoch to last, and the shuffled run's test
    # accuracy against guessing (1 in 10), with the documented 3-point tolerance.
    narr = dict(scene.narrations)
    drop = {}
    for name, run in quick_runs.items():
        first, last = float(run.history.epoch_cost[0]), float(run.history.epoch_cost[-1])
        drop[name] = 1 - last / first
        assert f"from {first:.3f} to {last:.3f}" in narr[name]
        assert ("falls" in narr[name]) == (last < first)
    if drop["shuffled"] > 0:
        assert ("but more slowly" in narr["shuffled"]) == (drop["shuffled"] < drop["true"])
    ss = 100 * quick_runs["shuffled"].test_accuracy
    assert f"{ss:.1f}%" in narr["accuracy"]
    assert ("near the 10% of guessing" in narr["accuracy"]) == (abs(ss - 10) <= 3)
    assert ("below even the 10%" in narr["accuracy"]) == (ss < 7)
    kind = "held-out" if mnist.source == "sample" else "test"
    assert f"New {kind} images:" in narr["accuracy"]
    assert "no weight decay" in text and config.l2 == 0
    check_on_frame(scene)
    check_subtitles(scene, video, min_beats=4, in_order=True)
