"""Chapter 4's simplest network: a chain of one neuron per layer, trained for real.

The network is 1-1-1-1 with sigmoid neurons, as in the video: an input ``a⁽⁰⁾``, then three
layers, each one neuron with a weight ``w⁽ˡ⁾`` and a bias ``b⁽ˡ⁾``,

    z⁽ˡ⁾ = w⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾,    a⁽ˡ⁾ = σ(z⁽ˡ⁾),    C₀ = (a⁽³⁾ − y)²

(the quadratic cost of one example, no ½, as on screen). It is an ordinary
``network.model.Network`` of sizes ``(1, 1, 1, 1)``, so everything in ``network.calculus``
works on it as on the video's 784-16-16-10 network.

Its task is one sentence (``TASK``): given the brightness of one pixel of a real MNIST image,
say whether the pixel is ink (brighter than one half). ``train_chain`` trains it by minibatch
gradient descent on pixels drawn from images you pass in, half ink and half not, and reports
the cost and accuracy on held-out pixels before and after; ``chain_example`` picks the pixel
the chapter follows, and ``chain_values`` gives every number of the chain for it.

``train_x`` of ``network.load_mnist()`` is the natural input: rows of 784 pixels in [0, 1].
(``network.train.sgd`` is not used: it trains on digit labels, one-hot over the outputs, and
a single output neuron has no labels to be one-hot over; the loop here is the same
minibatch descent on ``Network.backprop``, without weight decay.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .model import Network

TASK = ("Is this pixel ink? Given one pixel's brightness, answer 1 if it is brighter than "
        "one half, 0 if not.")
INK = 0.5            # a pixel brighter than this is ink: its desired output y is 1
SIZES = (1, 1, 1, 1)
# The training that ``train_chain`` does by default: under half a second on the 2-core build
# machine. Measured on the bundled sample with seed 1: the held-out mean cost falls from
# about 0.28 to about 0.001 and the accuracy rises from 50 % to over 99 %.
SEED = 1             # seed 1 learns positive weights throughout: brighter in, brighter out
ETA = 5.0
STEPS = 3000
BATCH_SIZE = 20
TRAIN_PIXELS = 2000
TEST_PIXELS = 1000
EXAMPLE_OUTPUT = 0.75   # chain_example: the ink pixel whose output is nearest this


@dataclass(frozen=True)
class Chain:
    """A trained 1-1-1-1 chain and how it trained.

    ``network`` is the trained ``Network`` (float64). ``inputs`` and ``targets`` are the
    training pixels (brightnesses in [0, 1]) and their desired outputs (1.0 for ink, 0.0 for
    not); ``sources`` gives, for each, where it came from in the ``pixels`` passed to
    ``train_chain``: ``(row, column)``, i.e. image index and pixel index 0..783 (row-major
    28 x 28) for rows of MNIST images. ``test_inputs`` and ``test_targets`` are the held-out
    pixels. ``cost_before`` / ``cost_after`` are the mean cost Σ(a − y)² over the held-out
    pixels with the initial and the trained parameters; ``accuracy_before`` /
    ``accuracy_after`` the fraction of held-out pixels where "a⁽ᴸ⁾ > 0.5" equals "y = 1".
    ``history`` is the minibatch cost of every step (before that step), ``seconds`` the
    training time, and ``seed, eta, steps, batch_size`` the settings that made it.
    """

    network: Network
    task: str
    inputs: np.ndarray
    targets: np.ndarray
    sources: np.ndarray
    test_inputs: np.ndarray
    test_targets: np.ndarray
    cost_before: float
    cost_after: float
    accuracy_before: float
    accuracy_after: float
    history: np.ndarray
    seconds: float
    seed: int
    eta: float
    steps: int
    batch_size: int


def draw_pixels(pixels: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Flat positions of ``n`` pixels of ``pixels`` (any shape), drawn at random, half of them
    ink (> ``INK``) and half not, in random order. MNIST images are mostly black (about one
    pixel in eight is ink), so a uniform draw would make "never ink" a fine answer; the even
    split makes the threshold the thing to learn. ValueError if there are too few of either."""
    flat = np.asarray(pixels).reshape(-1)
    n_ink, n_dark = n // 2, n - n // 2
    ink, dark = [], []
    # Draw positions in rounds and keep those of each kind until both halves are full:
    # cheap even on the full MNIST (47 million pixels), and the same for a given rng.
    for _ in range(100):
        pos = rng.integers(0, flat.size, max(8 * n, 1000))
        is_ink = flat[pos] > INK
        ink.extend(pos[is_ink][:n_ink - len(ink)])
        dark.extend(pos[~is_ink][:n_dark - len(dark)])
        if len(ink) == n_ink and len(dark) == n_dark:
            return rng.permutation(np.array(ink + dark, dtype=np.int64))
    raise ValueError(f"could not find {n_ink} ink pixels (brighter than {INK}) and {n_dark} "
                     f"others among the {flat.size:,} pixels given")


def targets_for(inputs: np.ndarray) -> np.ndarray:
    """The desired output of each pixel brightness: 1.0 for ink (brighter than ``INK``),
    else 0.0."""
    return (np.asarray(inputs, dtype=np.float64) > INK).astype(np.float64)


def mean_cost(network: Network, inputs: np.ndarray, targets: np.ndarray) -> float:
    """The mean of C₀ = (a⁽ᴸ⁾ − y)² over pixel ``inputs`` with desired outputs ``targets``."""
    return network.cost(np.reshape(inputs, (-1, 1)), np.reshape(targets, (-1, 1)))


def accuracy(network: Network, inputs: np.ndarray, targets: np.ndarray) -> float:
    """The fraction of ``inputs`` for which the answer "ink" (output above one half) is right."""
    out = network.feedforward(np.reshape(inputs, (-1, 1)))[:, 0]
    return float(np.mean((out > 0.5) == (np.asarray(targets) > 0.5)))


def train_chain(pixels: np.ndarray, test_pixels: np.ndarray | None = None, seed: int = SEED,
                eta: float = ETA, steps: int = STEPS, batch_size: int = BATCH_SIZE,
                n_train: int = TRAIN_PIXELS, n_test: int = TEST_PIXELS) -> Chain:
    """Train a 1-1-1-1 sigmoid chain on ``TASK`` and return the ``Chain``.

    ``n_train`` training pixels are drawn from ``pixels`` (e.g. ``load_mnist().train_x``),
    half ink and half not (``draw_pixels``); ``n_test`` held-out pixels likewise from
    ``test_pixels`` (e.g. ``test_x``), or, without it, from the rest of ``pixels``. The
    network starts as ``Network((1, 1, 1, 1), seed=seed)`` and takes ``steps`` steps of
    ``eta`` times the gradient of a random minibatch of ``batch_size`` training pixels.
    Deterministic: the same pixels and seed give the same chain.
    """
    pixels = np.asarray(pixels)
    rng = np.random.default_rng(seed)
    if test_pixels is None:
        chosen = draw_pixels(pixels, n_train + n_test, rng)
        train_at, test_at = chosen[:n_train], chosen[n_train:]
        test_flat = pixels.reshape(-1)
    else:
        train_at = draw_pixels(pixels, n_train, rng)
        test_flat = np.asarray(test_pixels).reshape(-1)
        test_at = draw_pixels(test_flat, n_test, rng)
    flat = pixels.reshape(-1)
    inputs = flat[train_at].astype(np.float64)
    targets = targets_for(inputs)
    test_inputs = test_flat[test_at].astype(np.float64)
    test_targets = targets_for(test_inputs)
    row = pixels.shape[-1] if pixels.ndim > 1 else flat.size
    sources = np.stack(np.divmod(train_at, row), axis=1)

    net = Network(SIZES, seed=seed)
    cost_before = mean_cost(net, test_inputs, test_targets)
    accuracy_before = accuracy(net, test_inputs, test_targets)
    x, y = inputs.reshape(-1, 1), targets.reshape(-1, 1)
    history = np.zeros(steps)
    start = time.perf_counter()
    for step in range(steps):
        batch = rng.integers(0, len(x), batch_size)
        gradient = net.backprop(x[batch], y[batch])
        for l in range(len(net.weights)):
            net.weights[l] -= eta * gradient.weights[l]
            net.biases[l] -= eta * gradient.biases[l]
        history[step] = gradient.cost
    seconds = time.perf_counter() - start
    return Chain(net, TASK, inputs, targets, sources, test_inputs, test_targets, cost_before,
                 mean_cost(net, test_inputs, test_targets), accuracy_before,
                 accuracy(net, test_inputs, test_targets), history, seconds, seed, eta, steps,
                 batch_size)


def example_index(chain: Chain, output: float = EXAMPLE_OUTPUT) -> int:
    """Index into ``chain.inputs`` of the pixel the chapter follows: of the training pixels
    that are ink (y = 1), the one whose output a⁽ᴸ⁾ is nearest ``output`` (the first such in
    training order on a tie). The trained chain is steep around one half, so this is a pixel
    just brighter than one half; its answer is still somewhat wrong (0.75 on the bundled
    sample, 0.89 on the full MNIST), so its cost and every factor of the chain rule are
    readable."""
    out = chain.network.feedforward(chain.inputs.reshape(-1, 1))[:, 0]
    ink = np.flatnonzero(chain.targets == 1.0)
    return int(ink[np.argmin(np.abs(out[ink] - output))])


def chain_example(chain: Chain, output: float = EXAMPLE_OUTPUT) -> tuple[float, float]:
    """The example ``(x, y)`` the chapter follows (see ``example_index``): a real ink pixel's
    brightness and its desired output 1.0, as Python floats. Where it came from:
    ``chain.sources[example_index(chain)]``."""
    i = example_index(chain, output)
    return float(chain.inputs[i]), float(chain.targets[i])


@dataclass(frozen=True)
class ChainValues:
    """Every number of a chain for one example, as Python floats, indexed by layer like the
    video: ``a[l]`` is a⁽ˡ⁾ (``a[0]`` the input x, ``a[L]`` the output), ``z[l]``, ``w[l]``,
    ``b[l]`` are z⁽ˡ⁾, w⁽ˡ⁾, b⁽ˡ⁾ for l = 1..L (index 0 holds None: the input layer has no
    weighted sum, weight or bias). ``y`` is the desired output and ``cost`` C₀ = (a⁽ᴸ⁾ − y)²."""

    x: float
    y: float
    a: tuple
    z: tuple
    w: tuple
    b: tuple
    cost: float

    @property
    def L(self) -> int:
        """The index of the last layer (3 for the 1-1-1-1 chain)."""
        return len(self.a) - 1

    def as_dict(self) -> dict:
        """The same numbers under flat names: ``a0``..``aL``, ``z1``.., ``w1``.., ``b1``..,
        ``y`` and ``C0``."""
        out = {f"a{l}": v for l, v in enumerate(self.a)}
        for name in ("z", "w", "b"):
            out.update({f"{name}{l}": v for l, v in enumerate(getattr(self, name)) if l})
        return out | {"y": self.y, "C0": self.cost}


def chain_values(network: Network, x: float, y: float) -> ChainValues:
    """The ``ChainValues`` of a chain network (one neuron per layer) for input ``x`` and
    desired output ``y``, computed in float64. ValueError if some layer has more than one
    neuron."""
    if any(size != 1 for size in network.sizes):
        raise ValueError(f"a chain has one neuron per layer, this network has {network.sizes}")
    net = network.astype(np.float64)
    zs, activations = net.forward(np.array([float(x)]))
    a = tuple(float(v[0]) for v in activations)
    z = (None,) + tuple(float(v[0]) for v in zs)
    w = (None,) + tuple(float(m[0, 0]) for m in net.weights)
    b = (None,) + tuple(float(v[0]) for v in net.biases)
    return ChainValues(float(x), float(y), a, z, w, b, (a[-1] - float(y)) ** 2)
