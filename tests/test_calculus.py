"""Chapter 4's numbers (``network.calculus``), each checked against central finite differences
(C(p + h) − C(p − h)) / 2h on the real networks: the trained 1-1-1-1 chain and chapter 3's
partly trained 784-16-16-10 network at its story example. Nothing here uses the project's
backprop to check itself; the forward pass is written out again."""

from __future__ import annotations

import numpy as np
import pytest

from network import calculus
from network.chain import chain_example, train_chain
from network.model import Network
from scenes.ch3.story import story_example

H = 1e-6


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(weights, biases, x):
    """Every layer's activations, written out (all-sigmoid network), in float64."""
    acts = [np.asarray(x, dtype=np.float64).reshape(-1)]
    for w, b in zip(weights, biases):
        acts.append(sigmoid(w @ acts[-1] + b))
    return acts


def cost(weights, biases, x, y):
    return float(np.sum((forward(weights, biases, x)[-1] - y) ** 2))


def params(net: Network):
    return ([np.array(w, dtype=np.float64) for w in net.weights],
            [np.array(b, dtype=np.float64) for b in net.biases])


def finite_difference(net, x, y, which: str, layer: int, where: tuple) -> float:
    """∂C₀/∂(weight or bias of ``layer`` at ``where``), numerically."""
    weights, biases = params(net)
    array = (weights if which == "weight" else biases)[layer - 1]
    value = array[where]
    array[where] = value + H
    up = cost(weights, biases, x, y)
    array[where] = value - H
    down = cost(weights, biases, x, y)
    return (up - down) / (2 * H)


def activation_difference(net, x, y, layer: int, k: int) -> float:
    """∂C₀/∂a_k⁽ˡ⁾ numerically: a_k of layer ``layer`` moved by ±h, the layers above re-run."""
    weights, biases = params(net)
    acts = forward(weights, biases, x)

    def cost_from(a):
        for w, b in zip(weights[layer:], biases[layer:]):
            a = sigmoid(w @ a + b)
        return float(np.sum((a - y) ** 2))

    up, down = acts[layer].copy(), acts[layer].copy()
    up[k] += H
    down[k] -= H
    return (cost_from(up) - cost_from(down)) / (2 * H)


@pytest.fixture(scope="module")
def chain(mnist):
    c = train_chain(mnist.train_x, mnist.test_x)
    x, y = chain_example(c)
    return c.network, x, np.array([y])


@pytest.fixture(scope="module")
def story(mnist, partial_model):
    net = partial_model.network
    i = story_example(net, mnist.train_x, mnist.train_labels)
    label = int(mnist.train_labels[i])
    return net, np.asarray(mnist.train_x[i], dtype=np.float64), label, np.eye(10)[label]


def test_the_chain_rule_factors_of_the_chain_are_its_real_numbers(chain):
    net, x, y = chain
    weights, biases = params(net)
    acts = forward(weights, biases, x)
    z3 = float(weights[2][0, 0] * acts[2][0] + biases[2][0])
    f = calculus.last_layer_weight_factors(net, x, y)
    assert f.dz_dw == pytest.approx(acts[2][0], rel=1e-12)
    assert f.da_dz == pytest.approx(sigmoid(z3) * (1 - sigmoid(z3)), rel=1e-12)
    assert f.dC_da == pytest.approx(2 * (acts[3][0] - y[0]), rel=1e-12)
    assert f.product == pytest.approx(f.dz_dw * f.da_dz * f.dC_da, rel=1e-15)
    assert f.product == pytest.approx(finite_difference(net, x, y, "weight", 3, (0, 0)),
                                      rel=1e-6)
    b = calculus.bias_factors(net, x, y)
    assert b.dz_db == 1.0 and b.product == pytest.approx(
        finite_difference(net, x, y, "bias", 3, (0,)), rel=1e-6)
    a = calculus.previous_activation_factors(net, x, y)
    assert a.dz_da == pytest.approx(weights[2][0, 0], rel=1e-15)
    assert a.product == pytest.approx(activation_difference(net, x, y, 2, 0), rel=1e-6)


def test_every_layer_of_the_chain_matches_finite_differences(chain):
    net, x, y = chain
    for layer in (1, 2, 3):
        w = calculus.last_layer_weight_factors(net, x, y, layer=layer)
        assert w.product == pytest.approx(finite_difference(net, x, y, "weight", layer, (0, 0)),
                                          rel=1e-5), layer
        b = calculus.bias_factors(net, x, y, layer=layer)
        assert b.product == pytest.approx(finite_difference(net, x, y, "bias", layer, (0,)),
                                          rel=1e-5), layer
    # One layer back, the sensitivity to a⁽ᴸ⁻¹⁾ is the third factor of layer L − 1's weight.
    back = calculus.previous_activation_factors(net, x, y, layer=3)
    below = calculus.last_layer_weight_factors(net, x, y, layer=2)
    assert below.dC_da == pytest.approx(back.product, rel=1e-12)


def test_the_nudge_ratio_approaches_the_derivative(chain):
    net, x, y = chain
    weights, biases = params(net)
    before = forward(weights, biases, x)
    n = calculus.nudge(net, x, y, "weight", (3, 0, 0), delta=(0.5, 0.1, 0.01, 0.001))
    for d, dz, da, dC in zip(n.deltas, n.dz, n.da, n.dC):
        moved = [w.copy() for w in weights]
        moved[2][0, 0] += d
        after = forward(moved, biases, x)
        assert dz == pytest.approx(d * before[2][0], rel=1e-9)   # z is linear in w
        assert da == pytest.approx(after[3][0] - before[3][0], rel=1e-9)
        assert dC == pytest.approx(cost(moved, biases, x, y) - cost(weights, biases, x, y),
                                   rel=1e-9)
    errors = np.abs(n.ratio - n.derivative)
    assert np.all(np.diff(errors) < 0) and errors[-1] < 1e-3 * abs(n.derivative)
    assert np.array_equal(n.ratio, n.dC / n.deltas)
    assert weights[2][0, 0] == net.weights[2][0, 0]  # the network itself was not changed


def test_the_indexed_weight_of_the_video_network_matches_finite_differences(story):
    net, x, label, y = story
    j, k = calculus.weight_to_follow(net, x, label)
    assert j == label
    f = calculus.last_layer_weight_factors(net, x, label, j, k)
    assert f.w == float(net.weights[-1][j, k])     # the indices are the matrix positions
    acts = forward(*params(net), x)
    assert f.dz_dw == pytest.approx(acts[-2][k], rel=1e-12)
    assert f.dC_da == pytest.approx(2 * (acts[-1][j] - y[j]), rel=1e-12)
    assert f.product == pytest.approx(finite_difference(net, x, y, "weight", 3, (j, k)),
                                      rel=1e-5)
    # k is the neuron whose weight into j matters most, found again by a loop.
    sizes = [abs(finite_difference(net, x, y, "weight", 3, (j, kk))) for kk in range(16)]
    assert k == int(np.argmax(sizes))


def test_many_paths_back_sum_to_the_sensitivity_of_the_hidden_neuron(story):
    net, x, label, y = story
    acts = forward(*params(net), x)
    for k in (0, 7, 15):
        paths = calculus.paths_back(net, x, label, k)
        z = net.weights[-1] @ acts[-2] + net.biases[-1]
        by_hand = [net.weights[-1][j, k] * sigmoid(z[j]) * (1 - sigmoid(z[j]))
                   * 2 * (acts[-1][j] - y[j]) for j in range(10)]
        assert paths.terms == pytest.approx(by_hand, rel=1e-9)
        assert paths.total == pytest.approx(activation_difference(net, x, y, 2, k), rel=1e-5)
        assert paths.total == pytest.approx(float(net.backprop(x, label).activations[2][k]),
                                            rel=1e-4)


def test_the_gradient_assembled_layer_by_layer_is_the_whole_gradient(story):
    net, x, label, y = story
    g = calculus.gradient_by_layer(net, x, label)
    rng = np.random.default_rng(0)
    for layer in (1, 2, 3):
        w = net.weights[layer - 1]
        for _ in range(4):
            j, kk = int(rng.integers(w.shape[0])), int(rng.integers(w.shape[1]))
            if layer == 1:
                kk = int(rng.choice(np.flatnonzero(x > 0.5)))  # an input that is lit
            assert g.weights[layer - 1][j, kk] == pytest.approx(
                finite_difference(net, x, y, "weight", layer, (j, kk)), rel=1e-4, abs=1e-9)
            assert g.biases[layer - 1][j] == pytest.approx(
                finite_difference(net, x, y, "bias", layer, (j,)), rel=1e-4, abs=1e-9)
    assert g.cost == pytest.approx(cost(*params(net), x, y), rel=1e-12)
    backprop = net.backprop(x, label)
    assert np.allclose(g.flat(), backprop.flat(), rtol=1e-4, atol=1e-9)


def test_the_average_is_the_mean_of_the_examples_derivatives(chain, mnist):
    net, _, _ = chain
    c = train_chain(mnist.train_x, mnist.test_x)
    xs, ys = c.inputs[:8].reshape(-1, 1), c.targets[:8].reshape(-1, 1)
    avg = calculus.average_over_examples(net, xs, ys)
    each = [finite_difference(net, x, y, "weight", 3, (0, 0)) for x, y in zip(xs, ys)]
    assert avg.per_example == pytest.approx(each, rel=1e-5, abs=1e-10)
    assert avg.mean == pytest.approx(np.mean(each), rel=1e-5, abs=1e-10)
    assert avg.mean == pytest.approx(float(net.backprop(xs, ys).weights[2][0, 0]), rel=1e-9)


def test_bad_indices_say_what_is_allowed(chain, story):
    net, x, label, _ = story
    with pytest.raises(ValueError, match="layer must be one of 1..3"):
        calculus.last_layer_weight_factors(net, x, label, layer=0)
    with pytest.raises(ValueError, match="j must be a neuron of layer 3: one of 0..9"):
        calculus.last_layer_weight_factors(net, x, label, j=10)
    with pytest.raises(ValueError, match="k must be a neuron of layer 2: one of 0..15"):
        calculus.paths_back(net, x, label, k=16)
    with pytest.raises(ValueError, match="non-zero"):
        calculus.nudge(*chain, delta=0)
