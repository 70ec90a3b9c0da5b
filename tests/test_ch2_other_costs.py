"""Chapter 2's cost scenes on a network trained with the cross-entropy cost (NN_COST or the
tweaked preset): they still draw the video's quadratic cost, Σ (aᵢ − yᵢ)², of the network's
real outputs, and say so on screen."""

import numpy as np
import pytest

from network import load_trained
from network.model import Network
from network.train import TrainConfig, partly_trained
from scenes.ch2 import average, cost
from tests.scene_support import check_on_frame, quiet, render_scene


@pytest.fixture(scope="module")
def cross_entropy_model(mnist, tmp_path_factory):
    config = partly_trained(TrainConfig(sizes=(784, 30, 10), cost="cross-entropy", eta=0.5, l2=0.0))
    return load_trained(config, mnist, directory=tmp_path_factory.mktemp("models"),
                        progress=False, log=quiet)


def quadratic(net, x, labels):
    a = net.feedforward(np.asarray(x, dtype=float))
    return np.sum((a - np.eye(10)[np.asarray(labels)]) ** 2, axis=-1)


def test_cost_of_one_example_shows_the_quadratic_cost(mnist, cross_entropy_model, tex_dir,
                                                       tmp_path, monkeypatch):
    scene, _ = render_scene(cost.CostOfOneExample, mnist, cross_entropy_model, tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    net = cross_entropy_model.network
    assert net.cost_name == "cross-entropy"
    fresh = Network(net.sizes, activation=net.activation, cost=net.cost_name, seed=scene.fresh_seed)
    networks = {"random": fresh, "trained": net, "wrong": net}
    for key, shown in scene.shown.items():
        index, label = scene.examples[key]
        want = float(quadratic(networks[key], mnist.test_x[index], label))
        assert shown["cost_decimal"].get_value() == pytest.approx(want, abs=1e-12)
        assert want != pytest.approx(networks[key].cost(mnist.test_x[index], label), rel=1e-3)
    assert "cross-entropy" in scene.cost_note.tex_string
    check_on_frame(scene)


def test_average_cost_shows_the_quadratic_cost(mnist, cross_entropy_model, tex_dir, tmp_path,
                                               monkeypatch):
    scene, _ = render_scene(average.AverageCost, mnist, cross_entropy_model, tmp_path,
                            monkeypatch, tex_dir=tex_dir, video=False)
    net = cross_entropy_model.network
    want = float(np.mean(quadratic(net, mnist.train_x, mnist.train_labels)))
    assert scene.averages["trained"] == pytest.approx(want, rel=1e-9)
    assert scene.average_decimals["trained"].get_value() == pytest.approx(want, rel=1e-9)
    n = scene.n_examples
    assert np.allclose(scene.example_costs["trained"], quadratic(net, mnist.train_x[:n], mnist.train_labels[:n]))
    assert "quadratic" in scene.cost_note.tex_string
    check_on_frame(scene)


def test_quadratic_network_has_no_note(mnist, quick_model, tex_dir, tmp_path, monkeypatch):
    scene, _ = render_scene(average.AverageCost, mnist, quick_model, tmp_path, monkeypatch,
                            tex_dir=tex_dir, video=False)
    assert scene.cost_note is None
