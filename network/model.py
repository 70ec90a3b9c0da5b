"""A multilayer perceptron in a few readable functions, after Nielsen's ``network.py``.

Conventions, fixed across the project:

* ``weights[l]`` has shape ``(n_out, n_in)``: row ``j`` holds the weights *into* neuron ``j``
  of layer ``l + 1``, so ``z = W a + b`` for a column ``a``. Batches are rows: ``Z = A W^T + b``.
* ``biases[l]`` has shape ``(n_out,)``.
* Layer 0 is the input. Hidden layers use ``activation`` (sigmoid or ReLU); the output layer
  is always a sigmoid, so every output lies in (0, 1) as in the video.
* The quadratic cost of one example is ``C = sum_j (a_j - y_j)^2`` (no factor 1/2, as on
  screen in the video); a set of examples costs the mean of that.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np

ACTIVATIONS = ("sigmoid", "relu")
COSTS = ("quadratic", "cross-entropy")

# Networks this project refuses to build: far beyond anything the videos need (the video's
# network has 4 layers and 13,002 parameters, the largest preset 79,510), small enough that
# the parameters alone fit in memory (100 million float64s are 800 MB).
MAX_LAYERS = 100
MAX_PARAMETERS = 100_000_000


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^-z), computed without overflow warnings."""
    z = np.asarray(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return s * (1.0 - s)


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, z)


def relu_prime(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z)
    return (z > 0).astype(z.dtype)


def _clip_probability(a: np.ndarray) -> np.ndarray:
    """``a`` in float64, kept 1e-12 away from 0 and 1 so the cross-entropy's logs and its
    1 / (a (1 - a)) stay finite. (In float32, 1 - 1e-12 rounds to exactly 1.)"""
    return np.clip(np.asarray(a, dtype=np.float64), 1e-12, 1 - 1e-12)


def quadratic_costs(output: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The video's cost of each example, Σᵢ (aᵢ − yᵢ)² (no ½), for rows of ``output`` against
    rows of one-hot ``y``: what chapter 2 draws, whatever cost a network was trained with."""
    return np.sum((np.asarray(output, dtype=float) - y) ** 2, axis=-1)


def check_labels(labels, n: int = 10, n_examples: int | None = None) -> np.ndarray:
    """``labels`` as a 1-D integer array, after checking that each is a whole number in
    0..n-1 (and, if ``n_examples`` is given, that there is one per example); ValueError
    saying what is wrong otherwise. A single label counts as a list of one."""
    labels = np.atleast_1d(np.asarray(labels))
    if labels.ndim != 1:
        raise ValueError(f"labels must be a flat list of whole numbers 0..{n - 1}, "
                         f"got an array of shape {labels.shape}")
    if labels.size == 0:  # [] is a float array to NumPy; no labels is no labels
        labels = labels.astype(int)
    elif labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be whole numbers 0..{n - 1}, got {labels.dtype} values "
                         f"such as {labels[0]!r}")
    elif labels.min() < 0 or labels.max() >= n:
        bad = labels.min() if labels.min() < 0 else labels.max()
        raise ValueError(f"label {bad} is not one of 0..{n - 1} (the network has {n} outputs)")
    if n_examples is not None and labels.size != n_examples:
        raise ValueError(f"got {labels.size:,} labels for {n_examples:,} examples")
    return labels


def one_hot(labels, n: int = 10) -> np.ndarray:
    """Rows of zeros with a 1 at each label: the desired outputs ``y``. ValueError unless
    every label is a whole number in 0..n-1."""
    labels = check_labels(labels, n)
    y = np.zeros((labels.size, n))
    y[np.arange(labels.size), labels] = 1.0
    return y


def count_parameters(sizes) -> int:
    """Weights plus biases of a network with layer ``sizes``, without building it."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def validate_sizes(sizes) -> tuple[int, ...]:
    """Return ``sizes`` as a tuple of ints, or raise ValueError saying what is impossible."""
    try:
        sizes = tuple(sizes)
        if any(isinstance(s, (bool, np.bool_)) for s in sizes):
            raise TypeError
        sizes = tuple(operator.index(s) for s in sizes)  # ints only: no 3.5, no "16"
    except TypeError:
        raise ValueError(f"layer sizes must be whole numbers, got {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"a network needs at least an input and an output layer, got {list(sizes)}")
    if any(s < 1 for s in sizes):
        raise ValueError(f"every layer needs at least one neuron, got {list(sizes)}")
    if len(sizes) > MAX_LAYERS:
        raise ValueError(f"a network of {len(sizes)} layers is more than the {MAX_LAYERS} "
                         "this project builds: use fewer layers")
    if (count := count_parameters(sizes)) > MAX_PARAMETERS:
        raise ValueError(f"a {'-'.join(map(str, sizes))} network has {count:,} parameters, more "
                         f"than the {MAX_PARAMETERS:,} this project builds "
                         f"({MAX_PARAMETERS * 8 / 1e9:.1f} GB as float64): use smaller layers")
    return sizes


@dataclass
class Gradient:
    """What backprop returns.

    ``weights[l]`` and ``biases[l]`` are dC/dW and dC/db, shaped like the parameters (averaged
    over the examples given). ``activations[l]`` is dC/da for layer ``l`` (0 = input), one row
    per example: the "desired nudges" of chapter 3 are ``-activations[l]``.
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[np.ndarray]
    cost: float

    def flat(self) -> np.ndarray:
        """All weight and bias gradients in one vector, in ``Network.flat_parameters`` order."""
        return np.concatenate([g.ravel() for g in self.weights] + [g.ravel() for g in self.biases])


class Network:
    """A fully connected network with layer ``sizes``, e.g. ``(784, 16, 16, 10)``."""

    def __init__(self, sizes=(784, 16, 16, 10), activation: str = "sigmoid",
                 cost: str = "quadratic", seed: int = 0):
        self.sizes = validate_sizes(sizes)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if cost not in COSTS:
            raise ValueError(f"cost must be one of {COSTS}, got {cost!r}")
        self.activation = activation
        self.cost_name = cost
        rng = np.random.default_rng(seed)
        # 1/sqrt(n_in) keeps weighted sums near the sigmoid's steep middle at the start.
        self.weights = [rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
                        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        self.biases = [rng.standard_normal(n_out) for n_out in self.sizes[1:]]

    # ----------------------------------------------------------------- structure
    @property
    def num_layers(self) -> int:
        return len(self.sizes)

    @property
    def num_parameters(self) -> int:
        """Weights plus biases, from the shapes: 13,002 for 784-16-16-10."""
        return count_parameters(self.sizes)

    def flat_parameters(self) -> np.ndarray:
        """Every weight (layer by layer, row-major) then every bias, as one vector."""
        return np.concatenate([w.ravel() for w in self.weights] + [b.ravel() for b in self.biases])

    def set_flat_parameters(self, theta: np.ndarray) -> None:
        theta = np.asarray(theta, dtype=float)
        if theta.size != self.num_parameters:
            raise ValueError(f"expected {self.num_parameters} parameters, got {theta.size}")
        i = 0
        for params in (self.weights, self.biases):
            for l, p in enumerate(params):
                params[l] = theta[i:i + p.size].reshape(p.shape).copy()
                i += p.size

    def astype(self, dtype) -> "Network":
        """A copy whose parameters have ``dtype`` (training runs in float32 for speed)."""
        other = self.copy()
        other.weights = [w.astype(dtype) for w in other.weights]
        other.biases = [b.astype(dtype) for b in other.biases]
        return other

    def sub_network(self, first: int, last: int) -> "Network":
        """Layers ``first`` to ``last`` (inclusive, 0 = input) as a network of their own, with
        copies of the weights and biases between them: e.g. ``sub_network(2, 3)`` is the last
        two layers of a 784-16-16-10 network, for drawing them alone. (Its top layer counts
        as an output layer, so feeding it forward only matches this network when
        ``last`` is the output layer or the hidden layers are sigmoids.)"""
        if not 0 <= first < last < self.num_layers:
            raise ValueError(f"layers {first} to {last} do not exist: this network's layers are "
                             f"0 to {self.num_layers - 1}, and the first must come before the last")
        other = self.copy()
        other.sizes = self.sizes[first:last + 1]
        other.weights, other.biases = other.weights[first:last], other.biases[first:last]
        return other

    def copy(self) -> "Network":
        other = Network.__new__(Network)
        other.sizes, other.activation, other.cost_name = self.sizes, self.activation, self.cost_name
        other.weights = [w.copy() for w in self.weights]
        other.biases = [b.copy() for b in self.biases]
        return other

    # ------------------------------------------------------------------ forward
    def _hidden(self, z):
        return sigmoid(z) if self.activation == "sigmoid" else relu(z)

    def _hidden_prime(self, z):
        return sigmoid_prime(z) if self.activation == "sigmoid" else relu_prime(z)

    def _as_batch(self, a) -> tuple[np.ndarray, bool]:
        """``a`` as rows of input values (and whether it was one example), after checking it:
        real, finite numbers, as many per example as the input layer has neurons."""
        a = np.asarray(a)
        if a.dtype.kind not in "fiub":
            raise ValueError(f"input must be real numbers, got {a.dtype} values")
        if not np.issubdtype(a.dtype, np.floating):
            a = a.astype(float)
        if a.ndim == 0:
            raise ValueError(f"input must be one example of {self.sizes[0]} values or rows of "
                             "examples, got a single number")
        single = a.ndim == 1
        # math.prod, not -1: an empty batch (0, 784) has no size to infer a width from.
        a = a.reshape(1, -1) if single else a.reshape(a.shape[0], math.prod(a.shape[1:]))
        if a.shape[1] != self.sizes[0]:
            raise ValueError(f"input has {a.shape[1]} values, the network's input layer has {self.sizes[0]}")
        if not np.isfinite(a).all():
            raise ValueError("input holds NaN or infinite values: every input must be a finite number")
        return a, single

    def _forward(self, a: np.ndarray):
        """``(zs, activations)`` for rows ``a`` already checked by ``_as_batch``."""
        zs, activations = [], [a]
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w.T + b
            a = sigmoid(z) if l == len(self.weights) - 1 else self._hidden(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def forward(self, a):
        """Return ``(zs, activations)`` for input ``a`` (one example or rows of examples).

        ``activations[0]`` is the input, ``activations[l]`` the layer-``l`` activations and
        ``zs[l - 1]`` their weighted sums; a single example gives 1-D arrays, an empty batch
        arrays with no rows. ValueError if ``a`` is not finite numbers of the right width.
        """
        a, single = self._as_batch(a)
        zs, activations = self._forward(a)
        if single:
            return [z[0] for z in zs], [a[0] for a in activations]
        return zs, activations

    def feedforward(self, a) -> np.ndarray:
        """Return the output layer's activations for input ``a``."""
        return self.forward(a)[1][-1]

    def _predict(self, a: np.ndarray) -> np.ndarray:
        return np.argmax(self._forward(a)[1][-1], axis=-1)

    def predict(self, a):
        """Return the index of the brightest output neuron (per example; for an empty batch
        an empty int array)."""
        a, single = self._as_batch(a)
        answers = self._predict(a)
        return answers[0] if single else answers

    # --------------------------------------------------------------------- cost
    def _targets(self, y, n_examples: int) -> np.ndarray:
        """Desired outputs, one row per example, from labels (ints) or from rows ``y``."""
        y = np.asarray(y)
        n_out = self.sizes[-1]
        if y.ndim <= 1 and y.size == n_examples and np.issubdtype(y.dtype, np.integer):
            return one_hot(y, n_out)
        if y.dtype.kind not in "fiu" or y.size != n_examples * n_out:
            raise ValueError(f"expected {n_examples:,} labels (whole numbers 0..{n_out - 1}) or "
                             f"{n_examples:,} rows of {n_out} desired outputs, got "
                             f"{y.dtype} values of shape {y.shape}")
        y = y.reshape(n_examples, n_out).astype(float)
        if not np.isfinite(y).all():
            raise ValueError("the desired outputs hold NaN or infinite values")
        return y

    @staticmethod
    def _require_examples(x: np.ndarray) -> None:
        if len(x) == 0:
            raise ValueError("there are no examples: the mean cost (and its gradient) of an "
                             "empty batch is undefined")

    def example_costs(self, output: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The cost of each example (rows of ``output`` against rows of one-hot ``y``)."""
        if self.cost_name == "quadratic":
            return quadratic_costs(output, y)
        a = _clip_probability(output)
        return -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=-1)

    def cost(self, x, y) -> float:
        """The mean cost over examples ``x`` with labels (ints) or desired outputs ``y``.
        ValueError for bad inputs or labels, and for no examples at all (no mean)."""
        x, _ = self._as_batch(x)
        self._require_examples(x)
        y = self._targets(y, len(x))
        return float(np.mean(self.example_costs(self._forward(x)[1][-1], y)))

    def evaluate(self, x, labels) -> int:
        """Return how many examples the network classifies correctly (0 of none).
        ValueError unless there is one label 0..n_out-1 per example."""
        x, _ = self._as_batch(x)
        labels = check_labels(labels, self.sizes[-1], len(x))
        return self._evaluate(x, labels)

    def _evaluate(self, x: np.ndarray, labels: np.ndarray) -> int:
        return int(np.sum(self._predict(x) == labels))

    # ----------------------------------------------------------------- backprop
    def backprop(self, x, y) -> Gradient:
        """Return the gradient of the cost at examples ``x`` (one, or rows) with targets ``y``.

        Weight and bias gradients are averaged over the examples (the gradient of the mean
        cost); dC/da is per example (1-D for a single example). ``cost`` is the mean cost
        of the examples at the current parameters. ValueError for bad inputs or targets,
        and for an empty batch (the mean over no examples is undefined).
        """
        x, single = self._as_batch(x)
        self._require_examples(x)
        gradient = self._backprop(x, self._targets(y, len(x)))
        if single:
            gradient.activations = [g[0] for g in gradient.activations]
        return gradient

    def _backprop(self, x: np.ndarray, y: np.ndarray) -> Gradient:
        """``backprop`` of rows ``x`` and desired-output rows ``y``, both already checked."""
        y = y.astype(x.dtype, copy=False)
        zs, activations = self._forward(x)
        out = activations[-1]
        if self.cost_name == "quadratic":
            dc_da = 2.0 * (out - y)
            delta = dc_da * sigmoid_prime(zs[-1])
        else:
            a = _clip_probability(out)
            dc_da = ((a - y) / (a * (1 - a))).astype(out.dtype)
            delta = out - y  # the sigmoid's slope cancels the cross-entropy's denominator
        n = len(x)
        L = len(self.weights)
        nabla_w, nabla_b, nabla_a = [None] * L, [None] * L, [None] * (L + 1)
        nabla_a[L] = dc_da
        for l in range(L - 1, -1, -1):
            nabla_w[l] = delta.T @ activations[l] / n
            nabla_b[l] = delta.sum(axis=0) / n
            nabla_a[l] = delta @ self.weights[l]
            if l > 0:
                delta = nabla_a[l] * self._hidden_prime(zs[l - 1])
        cost = float(np.mean(self.example_costs(out, y)))
        return Gradient(nabla_w, nabla_b, nabla_a, cost)
