"""The functions of chapter 2's descent scenes: exact derivatives, real gradient-descent iterates."""

import numpy as np
import pytest

from network.descent import Valleys, bowl, bowl_gradient, descent_1d, gradient_descent, valleys


def central_difference(f, w, eps=1e-6):
    return (f(w + eps) - f(w - eps)) / (2 * eps)


def test_valleys_derivatives_are_exact():
    c = valleys()
    for w in np.linspace(*c.domain, 23):
        assert float(c.derivative(w)) == pytest.approx(central_difference(c, w), abs=1e-7)
        assert float(c.second_derivative(w)) == pytest.approx(central_difference(c.derivative, w), abs=1e-6)


def test_valleys_has_three_valleys_of_different_depths():
    c = valleys()
    minima, maxima = c.minima, c.maxima
    assert len(minima) == 3 and len(maxima) == 2
    # valleys and hills alternate
    assert minima[0] < maxima[0] < minima[1] < maxima[1] < minima[2]
    for m in minima:
        assert abs(float(c.derivative(m))) < 1e-9
        # a real local minimum: lower than its neighbours
        assert c(m) < c(m - 0.05) and c(m) < c(m + 0.05)
    depths = [float(c(m)) for m in minima]
    assert len(set(np.round(depths, 3))) == 3
    # the walls at the domain's ends rise above both hills
    assert min(c(c.domain[0]), c(c.domain[1])) > max(c(h) for h in maxima)


def test_tangent_touches_with_the_slope():
    c = valleys()
    t = c.tangent(1.2)
    assert float(t(1.2)) == pytest.approx(float(c(1.2)))
    assert float(t(2.2) - t(1.2)) == pytest.approx(float(c.derivative(1.2)))


def test_descent_1d_iterates_and_shrinking_steps():
    c = valleys()
    path = descent_1d(c.derivative, 1.2, 0.12, 12)
    assert path.shape == (13,)
    for k in range(12):
        assert path[k + 1] == pytest.approx(path[k] - 0.12 * float(c.derivative(path[k])), abs=1e-15)
    steps = np.abs(np.diff(path))
    assert steps[-1] < steps[2] / 10
    assert path[-1] == pytest.approx(c.minima[1], abs=0.02)


def test_different_starts_reach_different_valleys():
    c = valleys()
    ends = {round(float(descent_1d(c.derivative, w0, 0.12, 60)[-1]), 3) for w0 in (-4.1, -0.9, 3.8)}
    assert ends == {round(m, 3) for m in c.minima}


def test_bowl_gradient_at_one_one_is_three_one():
    assert np.allclose(bowl_gradient(1, 1), [3, 1])
    for x, y in [(1.0, 1.0), (-0.7, 2.0), (0.3, -1.1)]:
        g = bowl_gradient(x, y)
        assert g[0] == pytest.approx(central_difference(lambda t: bowl(t, y), x), abs=1e-7)
        assert g[1] == pytest.approx(central_difference(lambda t: bowl(x, t), y), abs=1e-7)


def test_gradient_descent_on_the_bowl():
    path = gradient_descent(lambda p: bowl_gradient(*p), (1.5, 1.8), 0.2, 10)
    assert path.shape == (11, 2)
    for k in range(10):
        assert np.allclose(path[k + 1], path[k] - 0.2 * bowl_gradient(*path[k]))
    costs = bowl(path[:, 0], path[:, 1])
    assert np.all(np.diff(costs) < 0)


def test_a_different_valleys_changes_the_function():
    assert Valleys(d=0.0).minima == pytest.approx((-0.2 / 0.24,), abs=1e-6)
