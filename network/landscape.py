"""A real 2-D slice of the cost: C(θ* + α d₁ + β d₂) around trained parameters θ*.

The 13,002-dimensional cost cannot be drawn; a plane through it can. The two directions are
random and *filter-normalised* (Li et al. 2018, "Visualizing the Loss Landscape of Neural
Nets"): each neuron's incoming weights in a direction have the same norm as that neuron's
trained weights, so a step of α = 1 changes every neuron by about as much as it is worth.
Bias components are zero, as in the paper. Gradient descent on the slice uses the chain rule
through the plane: dC/dα = d₁ · ∇C and dC/dβ = d₂ · ∇C, with ∇C from backprop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import Network


def filter_normalized_direction(net: Network, rng: np.random.Generator) -> np.ndarray:
    """A random direction in parameter space (flat, like ``net.flat_parameters()``)."""
    parts = []
    for w in net.weights:
        d = rng.standard_normal(w.shape)
        d *= (np.linalg.norm(w, axis=1, keepdims=True)
              / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12))
        parts.append(d.ravel())
    parts += [np.zeros(b.size) for b in net.biases]
    return np.concatenate(parts)


@dataclass
class CostSlice:
    """The cost of ``net`` on examples ``x, labels`` over the plane θ* + α d₁ + β d₂."""

    net: Network
    x: np.ndarray
    labels: np.ndarray
    d1: np.ndarray
    d2: np.ndarray

    @classmethod
    def around(cls, net: Network, x, labels, seed: int = 0) -> "CostSlice":
        """A slice through ``net``'s parameters along two seeded filter-normalised directions."""
        rng = np.random.default_rng(seed)
        return cls(net.copy(), np.asarray(x), np.asarray(labels),
                   filter_normalized_direction(net, rng), filter_normalized_direction(net, rng))

    def __post_init__(self):
        self.center = self.net.flat_parameters()
        self._probe = self.net.copy()

    def _at(self, alpha: float, beta: float) -> Network:
        self._probe.set_flat_parameters(self.center + alpha * self.d1 + beta * self.d2)
        return self._probe

    def cost(self, alpha: float, beta: float, x=None, labels=None) -> float:
        """C at (α, β), on the slice's examples or on ``x, labels`` if given."""
        x, labels = (self.x, self.labels) if x is None else (x, labels)
        return self._at(alpha, beta).cost(x, labels)

    def grid(self, alphas, betas) -> np.ndarray:
        """``costs[i, j] = C(alphas[j], betas[i])``: rows follow β, columns α."""
        return np.array([[self.cost(a, b) for a in alphas] for b in betas])

    def gradient(self, alpha: float, beta: float, x=None, labels=None) -> np.ndarray:
        """(dC/dα, dC/dβ) at (α, β), on the slice's examples or on ``x, labels``."""
        x, labels = (self.x, self.labels) if x is None else (x, labels)
        g = self._at(alpha, beta).backprop(x, labels).flat()
        return np.array([self.d1 @ g, self.d2 @ g])

    def lowest_point(self, start=(0.0, 0.0)) -> np.ndarray:
        """The bottom of the valley around ``start``: (α, β, C) at the local minimum of the
        slice that SciPy's L-BFGS-B finds from there, with backprop's exact gradient. What
        the scenes' descending balls and walkers are measured against."""
        from scipy.optimize import minimize

        def cost_and_gradient(p):
            g = self._at(*p).backprop(self.x, self.labels)
            flat = g.flat()
            return g.cost, np.array([self.d1 @ flat, self.d2 @ flat])

        found = minimize(cost_and_gradient, np.asarray(start, dtype=float), jac=True,
                         method="L-BFGS-B", options={"gtol": 1e-9, "maxiter": 500})
        alpha, beta = found.x
        return np.array([alpha, beta, self.cost(alpha, beta)])

    def descent(self, start, eta: float, steps: int) -> np.ndarray:
        """Full-batch gradient descent on the slice from ``start`` = (α, β).

        Returns rows (α, β, C) for the start and each of the ``steps`` iterates."""
        return self._walk(start, eta, steps, lambda p, k: self.gradient(*p))

    def stochastic_descent(self, start, eta: float, steps: int, batch_size: int,
                           seed: int = 0) -> np.ndarray:
        """Minibatch gradient descent on the slice: each step uses the next ``batch_size``
        examples of a seeded shuffle. Rows (α, β, C) with C on all the slice's examples."""
        order = np.random.default_rng(seed).permutation(len(self.x))

        def minibatch_gradient(p, k):
            batch = np.take(order, range(k * batch_size, (k + 1) * batch_size), mode="wrap")
            return self.gradient(*p, self.x[batch], self.labels[batch])

        return self._walk(start, eta, steps, minibatch_gradient)

    def _walk(self, start, eta, steps, gradient) -> np.ndarray:
        p = np.asarray(start, dtype=float)
        path = [(*p, self.cost(*p))]
        for k in range(steps):
            p = p - eta * gradient(p, k)
            path.append((*p, self.cost(*p)))
        return np.array(path)
