"""Chapter 4's chain (network.chain): a 1-1-1-1 sigmoid network that really learns "is this
pixel ink?" from real MNIST pixels, the example it follows, and its numbers, each recomputed
here by hand."""

import math

import numpy as np
import pytest

from network.chain import (EXAMPLE_OUTPUT, INK, TASK, Chain, chain_example, chain_values,
                           draw_pixels, example_index, train_chain)
from network.model import Network


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def by_hand(network, x):
    """Every z and a of a chain network for input ``x``, written out: plain floats, no NumPy
    and nothing from the project's forward pass."""
    a, zs, activations = float(x), [], [float(x)]
    for w, b in zip(network.weights, network.biases):
        z = float(w[0, 0]) * a + float(b[0])
        a = sigmoid(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


@pytest.fixture(scope="module")
def chain(mnist):
    return train_chain(mnist.train_x, mnist.test_x)


def test_the_task_is_one_sentence_a_scene_can_show(chain):
    assert isinstance(TASK, str) and "ink" in TASK and TASK.strip() == TASK
    assert chain.task == TASK


def test_the_chain_is_a_one_neuron_a_layer_sigmoid_network(chain):
    net = chain.network
    assert isinstance(chain, Chain) and isinstance(net, Network)
    assert net.sizes == (1, 1, 1, 1) and net.activation == "sigmoid"
    assert net.cost_name == "quadratic"
    assert all(w.shape == (1, 1) and w.dtype == np.float64 for w in net.weights)


def test_the_chain_really_trained(chain):
    """Measured on the bundled sample and on the full MNIST (seed 1): the held-out cost falls
    from about 0.28 to about 0.002 (under 1 % of it), the accuracy from 50 % to 99.9 % or
    more. Asserted with a wide margin."""
    print(f"\nchain: held-out cost {chain.cost_before:.4f} -> {chain.cost_after:.5f}, "
          f"accuracy {chain.accuracy_before:.3f} -> {chain.accuracy_after:.4f}, "
          f"{chain.steps} steps in {chain.seconds:.2f} s")
    # Recompute the held-out cost and accuracy by hand from the trained parameters.
    outputs = np.array([by_hand(chain.network, x)[1][-1] for x in chain.test_inputs])
    cost = np.mean((outputs - chain.test_targets) ** 2)
    assert cost == pytest.approx(chain.cost_after, rel=1e-9)
    assert np.mean((outputs > 0.5) == (chain.test_targets == 1)) == chain.accuracy_after
    assert chain.cost_after < 0.05 * chain.cost_before
    assert chain.accuracy_after >= 0.97 and chain.accuracy_after > chain.accuracy_before + 0.3
    # The training cost fell along the way, not only at the end.
    history = chain.history
    assert len(history) == chain.steps and np.isfinite(history).all()
    assert history[-200:].mean() < 0.1 * history[:200].mean()


def test_the_pixels_are_real_mnist_pixels_half_of_them_ink(chain, mnist):
    rows, cols = chain.sources[:, 0], chain.sources[:, 1]
    assert np.array_equal(chain.inputs, mnist.train_x[rows, cols].astype(np.float64))
    assert np.array_equal(chain.targets, (chain.inputs > INK).astype(float))
    assert chain.targets.mean() == 0.5 and chain.test_targets.mean() == 0.5
    assert set(np.unique(chain.targets)) == {0.0, 1.0}
    # The held-out pixels are test-image pixels: every one is a brightness MNIST has.
    assert np.isin(chain.test_inputs, mnist.test_x.astype(np.float64)).all()


def test_training_is_deterministic_for_a_seed(mnist):
    small = dict(steps=300, n_train=400, n_test=200)
    a = train_chain(mnist.train_x, mnist.test_x, seed=3, **small)
    b = train_chain(mnist.train_x, mnist.test_x, seed=3, **small)
    c = train_chain(mnist.train_x, mnist.test_x, seed=4, **small)
    assert np.array_equal(a.network.flat_parameters(), b.network.flat_parameters())
    assert np.array_equal(a.history, b.history) and np.array_equal(a.sources, b.sources)
    assert a.cost_after == b.cost_after
    assert not np.array_equal(a.network.flat_parameters(), c.network.flat_parameters())


def test_held_out_pixels_come_from_the_rest_when_no_test_images_are_given(mnist):
    c = train_chain(mnist.train_x[:500], steps=200, n_train=300, n_test=100)
    assert len(c.inputs) == 300 and len(c.test_inputs) == 100
    assert c.sources[:, 0].max() < 500


def test_the_example_follows_its_rule(chain):
    """Recomputed: of the ink training pixels, the one whose output is nearest 0.75."""
    outputs = np.array([by_hand(chain.network, x)[1][-1] for x in chain.inputs])
    ink = [i for i in range(len(chain.inputs)) if chain.inputs[i] > 0.5]
    best = min(ink, key=lambda i: (abs(outputs[i] - EXAMPLE_OUTPUT), i))
    assert example_index(chain) == best
    x, y = chain_example(chain)
    assert (x, y) == (float(chain.inputs[best]), 1.0)
    assert isinstance(x, float) and isinstance(y, float)
    zs, activations = by_hand(chain.network, x)
    print(f"\nchain example: pixel {x:.4f} (image {chain.sources[best][0]}, pixel "
          f"{chain.sources[best][1]}), output {activations[-1]:.4f}, "
          f"cost {(activations[-1] - y) ** 2:.4f}")
    # Somewhat wrong by a readable margin, and every sigmoid on its slope (no factor near 0).
    assert 0.1 < y - activations[-1] < 0.5
    assert all(sigmoid(z) * (1 - sigmoid(z)) > 0.05 for z in zs)


def test_chain_values_are_every_number_of_the_chain(chain):
    x, y = chain_example(chain)
    v = chain_values(chain.network, x, y)
    zs, activations = by_hand(chain.network, x)
    assert v.L == 3 and (v.x, v.y) == (x, y)
    assert v.a == pytest.approx(activations, rel=1e-12)
    assert v.z[0] is None and v.z[1:] == pytest.approx(zs, rel=1e-12)
    assert v.w[1:] == tuple(float(w[0, 0]) for w in chain.network.weights)
    assert v.b[1:] == tuple(float(b[0]) for b in chain.network.biases)
    assert v.cost == pytest.approx((activations[-1] - y) ** 2, rel=1e-12)
    d = v.as_dict()
    assert set(d) == {"a0", "a1", "a2", "a3", "z1", "z2", "z3", "w1", "w2", "w3", "b1", "b2",
                      "b3", "y", "C0"}
    assert all(type(value) is float for value in d.values())
    assert d["a3"] == v.a[3] and d["w2"] == v.w[2] and d["C0"] == v.cost


def test_chain_values_refuses_a_network_that_is_not_a_chain():
    with pytest.raises(ValueError, match="one neuron per layer"):
        chain_values(Network((1, 2, 1)), 0.5, 1.0)


def test_draw_pixels_says_when_there_is_no_ink():
    with pytest.raises(ValueError, match="ink"):
        draw_pixels(np.zeros((10, 784)), 20, np.random.default_rng(0))
