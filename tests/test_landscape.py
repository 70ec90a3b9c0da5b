"""The cost slice is the real cost, and its descent paths are real gradient-descent iterates."""

import numpy as np
import pytest

from network.landscape import CostSlice, filter_normalized_direction
from network.model import Network


@pytest.fixture
def slice_(tiny_data):
    net = Network((784, 8, 10), seed=0)
    return CostSlice.around(net, tiny_data.train_x[:100].astype(float), tiny_data.train_labels[:100], seed=3)


def test_directions_are_filter_normalised_with_zero_bias_parts():
    net = Network((784, 8, 10), seed=0)
    d = filter_normalized_direction(net, np.random.default_rng(0))
    probe = net.copy()
    probe.set_flat_parameters(d)
    for w, dw in zip(net.weights, probe.weights):
        assert np.allclose(np.linalg.norm(dw, axis=1), np.linalg.norm(w, axis=1))
    assert all(np.all(b == 0) for b in probe.biases)


def test_slice_cost_is_the_network_cost_at_that_point(slice_):
    assert slice_.cost(0, 0) == pytest.approx(slice_.net.cost(slice_.x, slice_.labels))
    moved = slice_.net.copy()
    moved.set_flat_parameters(slice_.center + 0.3 * slice_.d1 - 0.2 * slice_.d2)
    assert slice_.cost(0.3, -0.2) == pytest.approx(moved.cost(slice_.x, slice_.labels))
    grid = slice_.grid([0.0, 0.3], [-0.2, 0.0])
    assert grid[0, 1] == pytest.approx(slice_.cost(0.3, -0.2))
    assert grid[1, 0] == pytest.approx(slice_.cost(0, 0))


def test_slice_gradient_matches_finite_differences(slice_):
    eps = 1e-5
    g = slice_.gradient(0.1, 0.2)
    da = (slice_.cost(0.1 + eps, 0.2) - slice_.cost(0.1 - eps, 0.2)) / (2 * eps)
    db = (slice_.cost(0.1, 0.2 + eps) - slice_.cost(0.1, 0.2 - eps)) / (2 * eps)
    assert np.allclose(g, [da, db], rtol=1e-5, atol=1e-8)


def test_descent_paths_are_gradient_descent_iterates(slice_):
    path = slice_.descent((0.8, -0.6), eta=0.5, steps=6)
    assert path.shape == (7, 3)
    for k in range(6):
        expected = path[k, :2] - 0.5 * slice_.gradient(*path[k, :2])
        assert np.allclose(path[k + 1, :2], expected)
        assert path[k, 2] == pytest.approx(slice_.cost(*path[k, :2]))
    assert path[-1, 2] < path[0, 2]

    walk = slice_.stochastic_descent((0.8, -0.6), eta=0.5, steps=4, batch_size=10, seed=1)
    order = np.random.default_rng(1).permutation(100)
    second = order[10:20]
    expected = walk[1, :2] - 0.5 * slice_.gradient(*walk[1, :2], slice_.x[second], slice_.labels[second])
    assert np.allclose(walk[2, :2], expected)
    assert not np.allclose(walk[1:, :2], path[1:5, :2])  # minibatch steps differ from full ones


def test_lowest_point_is_a_real_minimum_of_the_slice(slice_):
    a, b, c = slice_.lowest_point((0.8, -0.6))
    assert c == pytest.approx(slice_.cost(a, b))
    assert np.linalg.norm(slice_.gradient(a, b)) < 1e-4  # the slope vanishes there
    # No point around it is lower, and long gradient descent from the same start ends no lower.
    around = slice_.grid(a + np.linspace(-0.05, 0.05, 5), b + np.linspace(-0.05, 0.05, 5))
    assert c <= around.min() + 1e-12
    assert c <= slice_.descent((0.8, -0.6), eta=0.5, steps=200)[-1, 2] + 1e-9
