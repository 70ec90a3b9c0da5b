"""Minibatch stochastic gradient descent, vectorised: one matrix product per layer per step.

``sgd`` is deterministic for a given configuration and seed: the same shuffles, the same
steps, the same trained network.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field

import numpy as np

from .model import ACTIVATIONS, COSTS, Network, one_hot, validate_sizes


@dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a trained network (besides the data)."""

    sizes: tuple[int, ...] = (784, 16, 16, 10)
    activation: str = "sigmoid"
    cost: str = "quadratic"
    epochs: int = 60
    batch_size: int = 20
    eta: float = 3.0            # the learning rate at the start
    schedule: str = "cosine"    # "cosine": eta decays smoothly to 0; "constant"
    l2: float = 2.0             # weight decay lambda, as in C + lambda/(2n) * sum w^2
    seed: int = 0
    train_subset: int = 0       # train on the first n training images only (0: all of them)
    shuffle_labels: bool = False  # train on a seeded shuffle of the labels (memorising noise)

    def __post_init__(self):
        object.__setattr__(self, "sizes", validate_sizes(self.sizes))
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {self.activation!r}")
        if self.cost not in COSTS:
            raise ValueError(f"cost must be one of {COSTS}, got {self.cost!r}")
        if self.schedule not in ("cosine", "constant"):
            raise ValueError(f"schedule must be 'cosine' or 'constant', got {self.schedule!r}")
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("epochs and batch size must be at least 1")
        if not self.eta > 0 or self.l2 < 0:
            raise ValueError("the learning rate must be positive and l2 non-negative")
        if self.train_subset < 0:
            raise ValueError(f"train_subset must be 0 (all) or a number of images, got {self.train_subset}")

    def replace(self, **changes) -> "TrainConfig":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "TrainConfig":
        fields = json.loads(text)
        fields["sizes"] = tuple(fields["sizes"])
        return cls(**fields)

    def describe(self) -> str:
        layers = "-".join(str(s) for s in self.sizes)
        text = (f"{layers} {self.activation}, {self.cost} cost, {self.epochs} epochs, "
                f"minibatch {self.batch_size}, eta {self.eta:g} ({self.schedule}), "
                f"L2 {self.l2:g}, seed {self.seed}")
        if self.train_subset:
            text += f", first {self.train_subset:,} training images"
        if self.shuffle_labels:
            text += ", shuffled labels"
        return text

    def training_set(self, x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The examples and labels this configuration trains on: all of ``x, labels``, or the
        first ``train_subset`` of them, with the labels shuffled if ``shuffle_labels``."""
        if self.train_subset:
            if self.train_subset > len(x):
                raise ValueError(f"train_subset is {self.train_subset:,} but there are only "
                                 f"{len(x):,} training images")
            x, labels = x[:self.train_subset], labels[:self.train_subset]
        if self.shuffle_labels:
            # A seed of its own, so the shuffle does not depend on the training order's.
            labels = np.random.default_rng([self.seed, 1]).permutation(labels)
        return x, labels


# The video's network, tuned to reach its quoted ~96% within seconds (README: benchmarks).
VIDEO = TrainConfig()
# The video's "tweaked" figure of ~98%: more hidden neurons and the cross-entropy cost.
TWEAKED = TrainConfig(sizes=(784, 100, 10), cost="cross-entropy", epochs=30, batch_size=10, eta=0.5,
                      l2=5.0)
# The video's network with ReLU hidden neurons (sigmoid outputs, quadratic cost): ReLU's
# unbounded slope wants a much smaller learning rate than the sigmoid's eta 3.
RELU = VIDEO.replace(activation="relu", eta=0.35, l2=1.0)
PRESETS = {"video": VIDEO, "tweaked": TWEAKED, "relu": RELU}


def partly_trained(config: TrainConfig, images: int = 6000) -> TrainConfig:
    """Chapter 3's network: ``config``'s network after one pass over its first ``images``
    training images at a constant rate. For the video's network that is about 72 % right on
    the test set: good enough to have learned something, poor enough that an example's
    nudges are large and easy to see."""
    return config.replace(epochs=1, train_subset=images, schedule="constant")
# The random-labels experiment (chapter 2's research corner): a wider network of the video's
# kind (sigmoid, quadratic cost) on the first 2,000 training images, with a constant rate and
# no weight decay, so that it can memorise; trained once on the true labels and once on a
# seeded shuffle of them. Not a scene network, so not in PRESETS.
RANDOM_LABELS = TrainConfig(sizes=(784, 100, 10), epochs=60, batch_size=10, eta=1.0,
                            schedule="constant", l2=0.0, train_subset=2000)
RANDOM_LABELS_SHUFFLED = RANDOM_LABELS.replace(shuffle_labels=True)


@dataclass
class History:
    """What training recorded: the minibatch cost of every step and, per epoch, the test
    accuracy (fraction correct) and the mean cost over that epoch's steps."""

    step_cost: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    epoch_accuracy: np.ndarray = field(default_factory=lambda: np.zeros(0))
    epoch_cost: np.ndarray = field(default_factory=lambda: np.zeros(0))
    seconds: float = 0.0


def learning_rate(config: TrainConfig, epoch: int) -> float:
    """The learning rate used throughout ``epoch`` (0-based)."""
    if config.schedule == "constant":
        return config.eta
    return config.eta * 0.5 * (1.0 + np.cos(np.pi * epoch / config.epochs))


def sgd_step(net: Network, x: np.ndarray, y: np.ndarray, eta: float, l2: float, n: int) -> float:
    """One gradient-descent step on the minibatch ``x, y`` (one-hot rows), in place.

    ``n`` is the training-set size, which scales the weight decay. Returns the minibatch's
    cost before the step.
    """
    grad = net.backprop(x, y)
    decay = 1.0 - eta * l2 / n
    for l in range(len(net.weights)):
        net.weights[l] *= decay
        net.weights[l] -= eta * grad.weights[l]
        net.biases[l] -= eta * grad.biases[l]
    return grad.cost


def sgd(config: TrainConfig, train_x: np.ndarray, train_labels: np.ndarray,
        test_x: np.ndarray | None = None, test_labels: np.ndarray | None = None,
        on_epoch=None, net: Network | None = None) -> tuple[Network, History]:
    """Train a network with minibatch SGD and return ``(network, history)``.

    ``train_x`` has one example per row (values in [0, 1]); labels are digits. The network
    starts from ``Network(config.sizes, ..., seed=config.seed)`` unless ``net`` is given.
    ``on_epoch(epoch, epochs, accuracy)`` is called after each epoch (accuracy is None
    without test data). Runs in float32 for speed; returns float64 parameters.
    """
    if net is None:
        net = Network(config.sizes, config.activation, config.cost, seed=config.seed)
    x = np.asarray(train_x, dtype=np.float32).reshape(len(train_x), -1)
    if x.shape[1] != config.sizes[0]:
        raise ValueError(f"the data has {x.shape[1]} inputs per example, the network {config.sizes[0]}")
    labels = np.asarray(train_labels)
    if labels.size and (labels.min() < 0 or labels.max() >= config.sizes[-1]):
        raise ValueError(f"labels must lie in 0..{config.sizes[-1] - 1} for {config.sizes[-1]} outputs")
    y = one_hot(labels, config.sizes[-1]).astype(np.float32)
    n = len(x)
    rng = np.random.default_rng(config.seed)
    work = net.astype(np.float32)
    steps_per_epoch = -(-n // config.batch_size)
    step_cost = np.zeros(config.epochs * steps_per_epoch, np.float32)
    if test_x is not None:
        test_x = np.asarray(test_x, np.float32).reshape(len(test_x), -1)
    accuracy, epoch_cost = [], []
    start = time.perf_counter()
    step = 0
    for epoch in range(config.epochs):
        eta = learning_rate(config, epoch)
        order = rng.permutation(n)
        first = step
        for k in range(0, n, config.batch_size):
            batch = order[k:k + config.batch_size]
            step_cost[step] = sgd_step(work, x[batch], y[batch], eta, config.l2, n)
            step += 1
        epoch_cost.append(float(step_cost[first:step].mean()))
        acc = None
        if test_x is not None:
            acc = work.evaluate(test_x, test_labels) / len(test_x)
            accuracy.append(acc)
        if on_epoch:
            on_epoch(epoch, config.epochs, acc)
    history = History(step_cost, np.array(accuracy), np.array(epoch_cost), time.perf_counter() - start)
    return work.astype(np.float64), history
