"""The functions chapter 2's gradient-descent scenes draw, and their real descent paths.

Pure NumPy. Each function comes with its exact derivative (no finite differences), and every
path is a list of genuine gradient-descent iterates ``p_{k+1} = p_k - eta * grad(p_k)``.

* :func:`valleys`: a cost of one input with three valleys (three local minima): a bowl
  with ripples.
* :func:`bowl` and :func:`bowl_gradient`: C(x, y) = 3/2 x^2 + 1/2 y^2, the two-input example
  whose gradient at (1, 1) is (3, 1).
* :func:`descent_1d` and :func:`gradient_descent`: the iterates.

The real network's cost surface lives in :mod:`network.landscape` (``CostSlice``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Valleys:
    """A cost of one input with several valleys, and its exact derivatives:

    ``C(w) = a w^2 + b w + c - d cos(k w)``, a bowl (a, b, c) with ripples (d, k). The bowl
    keeps the walls rising on both sides; the ripples carve the valleys."""

    a: float = 0.12
    b: float = 0.2
    c: float = 1.0
    d: float = 0.8
    k: float = 2.0
    domain: tuple[float, float] = (-4.3, 4.0)   # the range the scenes draw

    def __call__(self, w):
        w = np.asarray(w, dtype=float)
        return self.a * w ** 2 + self.b * w + self.c - self.d * np.cos(self.k * w)

    def derivative(self, w):
        """C'(w), the slope, exact."""
        w = np.asarray(w, dtype=float)
        return 2 * self.a * w + self.b + self.d * self.k * np.sin(self.k * w)

    def second_derivative(self, w):
        w = np.asarray(w, dtype=float)
        return 2 * self.a + self.d * self.k ** 2 * np.cos(self.k * w)

    def critical_points(self, lo: float | None = None, hi: float | None = None) -> np.ndarray:
        """Where C' = 0 in [lo, hi] (default: the domain): sign changes of C' on a fine grid,
        refined by bisection."""
        lo = self.domain[0] if lo is None else lo
        hi = self.domain[1] if hi is None else hi
        w = np.linspace(lo, hi, 4001)
        s = np.sign(self.derivative(w))
        out = []
        for i in np.nonzero(s[:-1] * s[1:] < 0)[0]:
            left, right = w[i], w[i + 1]
            for _ in range(60):
                mid = 0.5 * (left + right)
                if np.sign(self.derivative(mid)) == s[i]:
                    left = mid
                else:
                    right = mid
            out.append(0.5 * (left + right))
        return np.array(out)

    @property
    def minima(self) -> tuple[float, ...]:
        """The local minima (C' = 0, C'' > 0) in the domain, left to right."""
        return tuple(float(r) for r in self.critical_points() if self.second_derivative(r) > 0)

    @property
    def maxima(self) -> tuple[float, ...]:
        return tuple(float(r) for r in self.critical_points() if self.second_derivative(r) < 0)

    def tangent(self, w0: float):
        """The tangent line at ``w0`` as a function of w: C(w0) + C'(w0) (w - w0)."""
        c0, s0 = float(self(w0)), float(self.derivative(w0))
        return lambda w: c0 + s0 * (np.asarray(w, dtype=float) - w0)


def valleys() -> Valleys:
    """The one-input cost of chapter 2: three valleys of different depths on its domain.

    Local minima near w = -2.98, -0.06 (the deepest) and 2.85; hills near -1.63 and 1.77."""
    return Valleys()


def descent_1d(derivative, w0: float, eta: float, steps: int) -> np.ndarray:
    """Gradient descent on a function of one input: ``w_{k+1} = w_k - eta * C'(w_k)``.

    Returns the ``steps + 1`` iterates, the start first."""
    return gradient_descent(lambda p: np.atleast_1d(derivative(p[0])), [w0], eta, steps)[:, 0]


# C(x, y) = a x^2 + b y^2 with (a, b) = BOWL_COEFFICIENTS; scenes write the formula from these.
BOWL_COEFFICIENTS = (1.5, 0.5)


def bowl(x, y):
    """C(x, y) = 3/2 x^2 + 1/2 y^2: x matters three times as much as y at (1, 1)."""
    a, b = BOWL_COEFFICIENTS
    return a * np.asarray(x) ** 2 + b * np.asarray(y) ** 2


def bowl_gradient(x, y) -> np.ndarray:
    """∇C = (dC/dx, dC/dy) = (3x, y), exact."""
    a, b = BOWL_COEFFICIENTS
    return np.array([2 * a * np.asarray(x), 2 * b * np.asarray(y)], dtype=float)


def gradient_descent(gradient, start, eta: float, steps: int) -> np.ndarray:
    """Iterates ``p_{k+1} = p_k - eta * gradient(p_k)``; rows are points, the start first."""
    p = np.asarray(start, dtype=float)
    path = [p]
    for _ in range(steps):
        p = p - eta * np.asarray(gradient(p), dtype=float)
        path.append(p)
    return np.array(path)
