"""The model's maths: gradients against finite differences, shapes, parameter counts."""

import numpy as np
import pytest

from network.model import Network, one_hot, sigmoid


def numerical_gradient(f, theta, eps=1e-6):
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        grad[i] = (f(theta + step) - f(theta - step)) / (2 * eps)
    return grad


def small_problem(activation="sigmoid", cost="quadratic", sizes=(6, 5, 4, 3), n=4, seed=1):
    net = Network(sizes, activation, cost, seed=seed)
    rng = np.random.default_rng(seed + 10)
    x = rng.random((n, sizes[0]))
    labels = rng.integers(0, sizes[-1], n)
    return net, x, labels


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_backprop_matches_finite_differences(activation, cost):
    net, x, labels = small_problem(activation, cost)
    theta = net.flat_parameters()

    def cost_at(t):
        probe = net.copy()
        probe.set_flat_parameters(t)
        return probe.cost(x, labels)

    analytic = net.backprop(x, labels).flat()
    numeric = numerical_gradient(cost_at, theta)
    assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-7), np.max(np.abs(analytic - numeric))


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_dc_da_is_what_perturbing_an_activation_does(cost):
    """dC/da of a hidden layer: nudge that layer's activation, run the rest forward."""
    net, x, labels = small_problem(cost=cost, n=1)
    x, label = x[0], labels[0]
    grad = net.backprop(x, label)
    _, activations = net.forward(x)
    y = one_hot(label, net.sizes[-1])[0]

    def cost_from_layer(l, a):
        for w, b in zip(net.weights[l:], net.biases[l:]):
            a = sigmoid(w @ a + b)
        return float(net.example_costs(a, y))

    for l in range(net.num_layers):
        numeric = numerical_gradient(lambda a: cost_from_layer(l, a), activations[l].copy())
        assert grad.activations[l].shape == (net.sizes[l],)
        assert np.allclose(grad.activations[l], numeric, rtol=1e-5, atol=1e-8), l


def test_output_nudges_are_twice_the_error_for_quadratic_cost():
    net, x, labels = small_problem(n=1)
    out = net.feedforward(x[0])
    y = one_hot(labels[0], 3)[0]
    assert np.allclose(net.backprop(x[0], labels[0]).activations[-1], 2 * (out - y))
    assert np.isclose(net.backprop(x[0], labels[0]).cost, np.sum((out - y) ** 2))


def test_minibatch_gradient_is_the_mean_of_example_gradients():
    net, x, labels = small_problem(n=5)
    batch = net.backprop(x, labels)
    singles = [net.backprop(xi, li) for xi, li in zip(x, labels)]
    for l in range(len(net.weights)):
        assert np.allclose(batch.weights[l], np.mean([g.weights[l] for g in singles], axis=0))
        assert np.allclose(batch.biases[l], np.mean([g.biases[l] for g in singles], axis=0))
    for l in range(net.num_layers):
        assert np.allclose(batch.activations[l], np.stack([g.activations[l] for g in singles]))


def test_forward_returns_every_layer():
    net = Network((784, 16, 16, 10))
    x = np.random.default_rng(0).random(784)
    zs, activations = net.forward(x)
    assert [a.shape for a in activations] == [(784,), (16,), (16,), (10,)]
    assert [z.shape for z in zs] == [(16,), (16,), (10,)]
    assert np.array_equal(activations[0], x)
    assert np.allclose(activations[1], sigmoid(net.weights[0] @ x + net.biases[0]))
    assert np.allclose(activations[-1], net.feedforward(x))
    zb, ab = net.forward(np.stack([x, x]))
    assert ab[-1].shape == (2, 10) and np.allclose(ab[-1][1], activations[-1])


def test_parameter_count_comes_from_the_shapes():
    assert Network((784, 16, 16, 10)).num_parameters == 784 * 16 + 16 * 16 + 16 * 10 + 16 + 16 + 10 == 13002
    assert Network((784, 32, 10)).num_parameters == 784 * 32 + 32 * 10 + 32 + 10
    assert Network((784, 16, 16, 10)).flat_parameters().size == 13002


def test_same_seed_same_network_other_seed_other_network():
    a, b, c = Network(seed=3), Network(seed=3), Network(seed=4)
    assert np.array_equal(a.flat_parameters(), b.flat_parameters())
    assert not np.array_equal(a.flat_parameters(), c.flat_parameters())


@pytest.mark.parametrize("sizes, message", [
    ((784,), "at least an input and an output"),
    ((784, 0, 10), "at least one neuron"),
    ((784, -3, 10), "at least one neuron"),
    (("a", 10), "whole numbers"),
])
def test_impossible_layer_sizes_are_refused_clearly(sizes, message):
    with pytest.raises(ValueError, match=message):
        Network(sizes)


def test_wrong_input_size_and_options_are_refused_clearly():
    with pytest.raises(ValueError, match="input has 100 values.*784"):
        Network().feedforward(np.zeros(100))
    with pytest.raises(ValueError, match="activation"):
        Network(activation="tanh")
    with pytest.raises(ValueError, match="cost"):
        Network(cost="hinge")


def test_cross_entropy_stays_finite_when_a_float32_output_saturates():
    """A float32 sigmoid output that rounds to exactly 1 (or 0) on the wrong answer: the cost
    and every gradient stay finite (large, as they should be), not inf or NaN."""
    net = Network((4, 3), cost="cross-entropy", seed=0).astype(np.float32)
    net.weights[0][:] = 0
    net.biases[0][:] = np.array([60.0, -60.0, 0.0], dtype=np.float32)
    x = np.ones((2, 4), dtype=np.float32)
    out = net.feedforward(x)
    assert out[0, 0] == 1.0 and out[0, 1] == 0.0  # saturated in float32
    labels = np.array([1, 1])  # wrong on both saturated outputs
    cost = net.cost(x, labels)
    grad = net.backprop(x, labels)
    assert np.isfinite(cost) and cost > 25  # -log(1e-12) per saturated wrong output
    assert np.isfinite(grad.cost) and grad.cost == pytest.approx(cost)
    assert all(np.all(np.isfinite(g)) for g in grad.weights + grad.biases + grad.activations)
    assert grad.activations[-1].dtype == np.float32


def test_sub_network_is_a_slice_of_the_layers():
    net, x, _ = small_problem(sizes=(6, 5, 4, 3))
    last = net.sub_network(2, 3)
    assert last.sizes == (4, 3) and np.array_equal(last.weights[0], net.weights[2])
    last.weights[0][0, 0] += 1  # a copy: the original is untouched
    assert not np.array_equal(last.weights[0], net.weights[2])
    _, activations = net.forward(x)
    assert np.allclose(net.sub_network(1, 3).feedforward(activations[1]), activations[3])
    for first, last_ in ((2, 2), (3, 2), (0, 4), (-1, 2)):
        with pytest.raises(ValueError, match="do not exist"):
            net.sub_network(first, last_)
