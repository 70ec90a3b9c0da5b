"""Chapter 2, the average cost and the cost as a function: every count, cost and parameter on
screen is recomputed here from the network and the real training set and compared with what
the scenes drew."""

from types import SimpleNamespace

import numpy as np
import pytest

from network import Network
from scenes.ch2 import average
from scenes.ch2.average import AverageCost, CostIsAFunction
from tests.conftest import mnist_dir
from tests.scene_support import check_on_frame, check_subtitles, render_scene


def sq_costs(network, x, labels):
    """Σᵢ (aᵢ − yᵢ)² per example, written out here with a plain loop over the layers."""
    a = np.asarray(x, dtype=float)
    for w, b in zip(network.weights, network.biases):
        a = 1.0 / (1.0 + np.exp(-(a @ np.asarray(w, float).T + np.asarray(b, float))))
    y = np.eye(network.sizes[-1])[np.asarray(labels, dtype=int)]
    return np.sum((a - y) ** 2, axis=1)


def fresh(network, seed):
    return Network(network.sizes, activation=network.activation, cost=network.cost_name,
                   seed=seed)


def count_of(sizes):
    """Weights and biases of a fully connected network, from its sizes alone."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def tex_count(n):
    return f"{n:,}".replace(",", "{,}")


@pytest.fixture(scope="module")
def sigmoid_model(quick_model):
    assert quick_model.network.activation == "sigmoid"  # sq_costs assumes sigmoid layers
    assert quick_model.network.cost_name == "quadratic"
    return quick_model


# ============================================================================ AverageCost
def test_average_cost_shows_the_real_costs(tmp_path, monkeypatch, tex_dir, mnist, sigmoid_model):
    scene, video = render_scene(AverageCost, mnist, sigmoid_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    net = sigmoid_model.network
    nets = {"trained": net, "random": fresh(net, scene.fresh_seed)}
    n = scene.n_examples
    assert scene.row_indices == list(range(n))

    # Each row: the real cost of that training example, to the decimals shown.
    for key, network in nets.items():
        expected = sq_costs(network, mnist.train_x[:n], mnist.train_labels[:n])
        shown = [d.get_value() for d in scene.row_costs[key]]
        assert np.allclose(shown, expected, atol=1e-9)
        assert np.allclose(scene.example_costs[key], expected, atol=1e-9)
        assert all(d.num_decimal_places == scene.places for d in scene.row_costs[key])

    # The averages: over every one of the training examples, by Network.cost and by hand.
    # (60,000 with the full MNIST, 8,000 with the bundled sample: counted from the data.)
    n_train = len(mnist.train_labels)
    assert scene.train_count == len(mnist.train_x) == n_train == mnist.train_size
    assert tex_count(n_train) in scene.formula_tex
    assert scene.formula.get_tex_string() == scene.formula_tex
    averages = {}
    for key, network in nets.items():
        averages[key] = network.cost(mnist.train_x, mnist.train_labels)
        by_hand = float(np.mean(sq_costs(network, mnist.train_x, mnist.train_labels)))
        assert averages[key] == pytest.approx(by_hand, rel=1e-6)
        assert scene.average_decimals[key].get_value() == pytest.approx(averages[key], rel=1e-12)
        assert scene.bar_decimals[key].get_value() == pytest.approx(averages[key], rel=1e-12)
    assert averages["trained"] < averages["random"] / 5

    # The bars: heights in the ratio of the averages, standing on the same base.
    bars = scene.bars
    assert bars["random"].height == pytest.approx(scene.bar_max_height, rel=1e-6)
    assert bars["trained"].height / bars["random"].height == pytest.approx(
        averages["trained"] / averages["random"], rel=1e-4)
    for bar in bars.values():
        assert bar.get_bottom()[1] == pytest.approx(scene.bar_base_y, abs=1e-6)
    ratio = averages["random"] / averages["trained"]
    assert scene.ratio == pytest.approx(ratio, rel=1e-9)
    assert f"{ratio:.0f}" in scene.ratio_tex

    # The narration speaks the same numbers.
    compare = dict(scene.narrations)["compare"]
    assert f"{averages['random']:.2f}" in compare and f"{averages['trained']:.3f}" in compare
    assert f"all {n_train:,} training examples" in dict(scene.narrations)["average"]
    words = average.ratio_words(ratio)
    assert words in compare
    assert words == (f"about {ratio:.0f} times smaller" if ratio >= 1.5 else
                     "a little smaller" if ratio > 1 else "no smaller at all")

    check_subtitles(scene, video, min_beats=3, in_order=True, seconds=(15, 60))
    check_on_frame(scene)


@pytest.mark.skipif(mnist_dir() is None,
                    reason="needs the full official MNIST in MNIST_DIR (60,000 training images)")
def test_average_cost_over_the_full_training_set(tmp_path, monkeypatch, tex_dir, mnist,
                                                 sigmoid_model):
    """With the full official MNIST, the average runs over its 60,000 training images."""
    scene, _ = render_scene(AverageCost, mnist, sigmoid_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    assert scene.train_count == 60_000 and tex_count(60_000) in scene.formula_tex
    assert "all 60,000 training examples" in dict(scene.narrations)["average"]


# ======================================================================== CostIsAFunction
def check_cost_function(scene, network, mnist):
    sizes = tuple(network.sizes)
    n_par = count_of(sizes)
    assert scene.counts == {"inputs": sizes[0], "outputs": sizes[-1], "parameters": n_par,
                            "examples": len(mnist.train_x)}
    # What was written on screen carries the same counts.
    tex = scene.texts
    assert tex_count(n_par) in tex["network_params"] and tex_count(n_par) in tex["cost_in"]
    assert tex["network_in"].startswith(tex_count(sizes[0]))
    assert tex["network_out"].startswith(tex_count(sizes[-1]))
    assert tex_count(len(mnist.train_x)) in tex["cost_data"]
    for key, label in (("network_in", scene.network_labels["in"]),
                       ("network_out", scene.network_labels["out"]),
                       ("network_params", scene.network_labels["params"]),
                       ("cost_in", scene.cost_labels["in"]), ("cost_out", scene.cost_labels["out"])):
        assert label.get_tex_string() == tex[key]

    # The outputs: the network's on the test image shown.
    x = mnist.test_x[scene.image_index]
    assert int(mnist.test_labels[scene.image_index]) == scene.true_label == scene.digit
    assert np.array_equal(scene.digit_image.pixels, average.DigitImage(mnist.test_images[scene.image_index]).pixels)
    expected_out = network.feedforward(x)
    assert np.allclose([d.get_value() for d in scene.output_decimals], expected_out, atol=1e-12)

    # The weights going in are real entries of each network's parameter vector, and the
    # number coming out is that network's average cost over the whole training set.
    nets = {"trained": network, "random": fresh(network, scene.fresh_seed)}
    assert set(scene.shown) == set(nets)
    for key, net in nets.items():
        theta = np.concatenate([w.ravel() for w in net.weights] + [b.ravel() for b in net.biases])
        assert theta.size == n_par
        assert np.allclose(scene.shown[key]["parameters"], theta[scene.parameter_indices],
                           atol=1e-12)
        avg = float(np.mean(sq_costs(net, mnist.train_x, mnist.train_labels)))
        assert scene.shown[key]["cost"] == pytest.approx(avg, rel=1e-6)
        assert scene.averages[key] == pytest.approx(avg, rel=1e-6)
    assert scene.parameter_indices[-2:] == [n_par - 2, n_par - 1]
    # The scene ends on the random network's weights.
    assert scene.cost_decimal.get_value() == pytest.approx(scene.shown["random"]["cost"])
    return n_par


def test_cost_is_a_function_of_the_real_parameters(tmp_path, monkeypatch, tex_dir, mnist,
                                                     sigmoid_model):
    scene, video = render_scene(CostIsAFunction, mnist, sigmoid_model, tmp_path, monkeypatch,
                                tex_dir=tex_dir, frame_rate=5)
    n_par = check_cost_function(scene, sigmoid_model.network, mnist)
    assert n_par == 13_002
    narr = dict(scene.narrations)
    assert "13,002" in narr["network"] and "13,002" in narr["cost"]
    assert f"{scene.averages['trained']:.3f}" in narr["trained"]
    assert f"{scene.averages['random']:.3f}" in narr["random"]
    check_subtitles(scene, video, min_beats=5, in_order=True, seconds=(25, 90))
    check_on_frame(scene)


@pytest.mark.parametrize("sizes", [(784, 32, 10)])
def test_other_sizes_get_their_own_counts(tmp_path, monkeypatch, tex_dir, mnist, sizes):
    """A 784-32-10 network: 25,450 parameters, counted from the network, not typed in."""
    network = Network(sizes, seed=7)
    model = SimpleNamespace(network=network)
    scene, _ = render_scene(CostIsAFunction, mnist, model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    assert check_cost_function(scene, network, mnist) == count_of(sizes) == 25_450
    check_on_frame(scene)

    scene, _ = render_scene(AverageCost, mnist, model, tmp_path, monkeypatch, tex_dir=tex_dir,
                            video=False)
    assert scene.averages["trained"] == pytest.approx(
        float(np.mean(sq_costs(network, mnist.train_x, mnist.train_labels))), rel=1e-6)
    check_on_frame(scene)


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="n_examples must be at least 1"):
        average.check_examples(0, 100)
    with pytest.raises(ValueError, match="training set is empty"):
        average.check_examples(5, 0)
    assert average.check_examples(5, 3) == 3
    # Parameter positions stay inside the vector for a tiny network.
    tiny = Network((4, 2, 3), seed=0)
    idx = average.shown_parameter_indices(tiny)
    assert all(0 <= i < tiny.num_parameters for i in idx) and idx[-1] == tiny.num_parameters - 1
