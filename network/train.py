"""Minibatch stochastic gradient descent, vectorised: one matrix product per layer per step.

``sgd`` is deterministic for a given configuration and seed: the same shuffles, the same
steps, the same trained network.
"""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
import time
from dataclasses import dataclass, field

import numpy as np

from .model import ACTIVATIONS, COSTS, Network, check_labels, count_parameters, one_hot, validate_sizes

# Training this project refuses to start, judged from the sizes before anything is allocated
# (see ``footprint``). Every preset below needs under 0.3 GB and under a minute by this
# estimate on the full MNIST (the data itself is most of that), and a 784-1000-10 network
# trains for hours within them; 784-100000-10 (about 18 GB) or a billion epochs do not.
MAX_TRAINING_BYTES = 4_000_000_000   # peak memory: a modest laptop's spare RAM
MAX_TRAINING_SECONDS = 24 * 3600     # a day
# Speeds of a deliberately fast machine, so that time estimates are lower bounds and nothing
# that could finish within the limit is refused: the 2-core build machine trains the video's
# network at 2e9 to 7e9 multiply-adds per second all told (0.35 s to 1.4 s an epoch of about
# 2.5e9), and one minibatch step there costs over 1e-4 s of overhead.
MULTIPLY_ADDS_PER_SECOND = 2e10
SECONDS_PER_LAYER_STEP = 5e-6
# The data assumed when a configuration is checked before the data is loaded: the full MNIST.
FULL_MNIST_SIZES = (60_000, 10_000)


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
        """Check every field, naming it; store numbers as plain ints and floats."""
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731 (frozen)
        set_("sizes", validate_sizes(self.sizes))
        for name, choices in (("activation", ACTIVATIONS), ("cost", COSTS),
                              ("schedule", ("cosine", "constant"))):
            if not isinstance(getattr(self, name), str) or getattr(self, name) not in choices:
                raise ValueError(f"{name} must be one of {', '.join(choices)}, "
                                 f"got {getattr(self, name)!r}")
        set_("epochs", _whole_number("epochs", self.epochs, 1))
        set_("batch_size", _whole_number("batch_size", self.batch_size, 1))
        set_("seed", _whole_number("seed", self.seed, 0))
        set_("train_subset", _whole_number("train_subset (0: all images)", self.train_subset, 0))
        set_("eta", _finite_number("eta", self.eta, positive=True))
        set_("l2", _finite_number("l2", self.l2, positive=False))
        if not isinstance(self.shuffle_labels, (bool, np.bool_)):
            raise ValueError(f"shuffle_labels must be True or False, got {self.shuffle_labels!r}")
        set_("shuffle_labels", bool(self.shuffle_labels))

    def replace(self, **changes) -> "TrainConfig":
        return dataclasses.replace(self, **changes)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> "TrainConfig":
        """The configuration ``to_json`` wrote; ValueError (naming the field) for anything
        else: not a JSON object, unknown or missing fields, values of the wrong kind."""
        fields = json.loads(text)
        if not isinstance(fields, dict):
            raise ValueError(f"a configuration is a JSON object, got {type(fields).__name__}")
        names = {f.name for f in dataclasses.fields(cls)}
        if unknown := sorted(set(fields) - names):
            raise ValueError(f"unknown configuration field(s): {', '.join(unknown)}")
        if missing := sorted(names - set(fields)):
            raise ValueError(f"configuration field(s) missing: {', '.join(missing)}")
        if not isinstance(fields["sizes"], list):
            raise ValueError(f"sizes must be a list of layer sizes, got {fields['sizes']!r}")
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


def _whole_number(name: str, value, minimum: int) -> int:
    """``value`` as an int if it is a whole number >= ``minimum``, else ValueError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) \
            or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def _finite_number(name: str, value, positive: bool) -> float:
    """``value`` as a float if it is finite and positive (or >= 0), else ValueError naming it."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) \
        and math.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        kind = "a finite positive number" if positive else "a finite number >= 0"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return float(value)


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


class TooLarge(ValueError):
    """Training that would not fit the limits at the top of this module. ``setting`` names
    what to change ("layers", "epochs", "batch_size" or "data"); ``about(subject)`` is the
    message with another subject, e.g. the flag or environment variable that asked for it."""

    def __init__(self, setting: str, subject: str, problem: str, advice: str):
        self.setting, self.problem, self.advice = setting, problem, advice
        super().__init__(self.about(subject))

    def about(self, subject: str) -> str:
        return f"{subject} {self.problem}; {self.advice}"


@dataclass(frozen=True)
class Footprint:
    """What training a configuration is estimated to cost: peak ``bytes`` of memory, split
    by the setting responsible (``memory``; ``minibatch_bytes`` of the "layers" part are a
    minibatch's activations), and a lower bound on the ``seconds`` it takes, of which
    ``seconds_per_epoch`` each epoch and ``step_seconds`` an epoch's per-step overhead."""

    memory: dict
    minibatch_bytes: int
    seconds: float
    seconds_per_epoch: float
    step_seconds: float

    @property
    def bytes(self) -> int:
        return sum(self.memory.values())


def footprint(config: TrainConfig, n_train: int | None = None, n_test: int | None = None) -> Footprint:
    """Estimate the memory and time of ``sgd`` (with a test evaluation each epoch and one at
    the end, as the store trains) on ``n_train`` training and ``n_test`` test images
    (default: the full MNIST, or ``train_subset`` training images), from the sizes alone."""
    if n_train is None:
        n_train = config.train_subset or FULL_MNIST_SIZES[0]
    n_test = FULL_MNIST_SIZES[1] if n_test is None else n_test
    sizes, n_train = config.sizes, max(n_train, 1)
    parameters = count_parameters(sizes)
    weights = parameters - sum(sizes[1:])
    neurons = sum(sizes[1:])
    batch = min(config.batch_size, n_train)
    steps = -(-n_train // config.batch_size)
    # float64 parameters, their float32 working copy, a gradient and update temporaries
    # (28 bytes a parameter); per layer, zs, activations, deltas and temporaries of a
    # minibatch in float32, or zs and activations of the whole test set in float64.
    minibatch = 24 * batch * neurons
    layers = 28 * parameters + max(minibatch, 16 * n_test * neurons)
    history = 4 * config.epochs * steps + 24 * config.epochs   # step_cost (float32), per epoch
    data = (n_train + n_test) * (5 * sizes[0] + 4 * sizes[-1])  # uint8 and float32 pixels, y
    multiply_adds = (config.epochs * (3 * n_train + n_test) + n_test) * weights
    step_seconds = steps * len(sizes) * SECONDS_PER_LAYER_STEP
    per_epoch = (3 * n_train + n_test) * weights / MULTIPLY_ADDS_PER_SECOND + step_seconds
    seconds = multiply_adds / MULTIPLY_ADDS_PER_SECOND + config.epochs * step_seconds
    return Footprint({"layers": layers, "epochs": history, "data": data}, minibatch, seconds,
                     per_epoch, step_seconds)


def check_fits(config: TrainConfig, n_train: int | None = None, n_test: int | None = None,
               subject: str | None = None) -> Footprint:
    """The ``footprint`` of ``config``, or TooLarge if it exceeds ``MAX_TRAINING_BYTES`` or
    ``MAX_TRAINING_SECONDS``; the message starts with ``subject`` (default: the network)."""
    estimate = footprint(config, n_train, n_test)
    subject = subject or (f"training a {'-'.join(map(str, config.sizes))} network for "
                          f"{config.epochs:,} epoch{'s' * (config.epochs != 1)}")
    if estimate.bytes > MAX_TRAINING_BYTES:
        setting = max(estimate.memory, key=estimate.memory.get)
        advice = {"layers": "use smaller layers", "epochs": "use fewer epochs",
                  "data": "train on fewer images"}[setting]
        if setting == "layers" and estimate.minibatch_bytes > estimate.memory["layers"] / 2:
            setting, advice = "batch_size", "use a smaller minibatch"
        raise TooLarge(setting, subject, f"needs about {_human_bytes(estimate.bytes)} of memory "
                       f"(the limit is {_human_bytes(MAX_TRAINING_BYTES)})", advice)
    if estimate.seconds > MAX_TRAINING_SECONDS:
        if estimate.seconds_per_epoch <= MAX_TRAINING_SECONDS:
            setting, advice = "epochs", "use fewer epochs"
        elif estimate.step_seconds > estimate.seconds_per_epoch / 2:
            setting, advice = "batch_size", "use a bigger minibatch"
        else:
            setting, advice = "layers", "use smaller layers"
        raise TooLarge(setting, subject, f"would take at least {_human_seconds(estimate.seconds)} "
                       f"even on a fast machine (the limit is "
                       f"{_human_seconds(MAX_TRAINING_SECONDS)})", advice)
    return estimate


def _human_bytes(n: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n / 1e3:,.1f} kB"


def _human_seconds(s: float) -> str:
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600),
                       ("minutes", 60)):
        if s >= size:
            return f"{s / size:,.1f} {unit}"
    return f"{s:.0f} seconds"


class TrainingDiverged(ValueError):
    """The cost (or a parameter) became NaN or infinite: the learning rate is too large.
    ``epoch`` is 1-based; ``cost`` the offending value."""

    def __init__(self, epoch: int, epochs: int, cost: float):
        self.epoch, self.epochs, self.cost = epoch, epochs, cost
        super().__init__(f"training diverged at epoch {epoch} of {epochs} (the cost became "
                         f"{cost}): lower the learning rate eta")


def learning_rate(config: TrainConfig, epoch: int) -> float:
    """The learning rate used throughout ``epoch`` (0-based)."""
    if config.schedule == "constant":
        return config.eta
    return config.eta * 0.5 * (1.0 + np.cos(np.pi * epoch / config.epochs))


def sgd_step(net: Network, x: np.ndarray, y: np.ndarray, eta: float, l2: float, n: int) -> float:
    """One gradient-descent step on the minibatch ``x, y`` (one-hot rows), in place.

    ``n`` is the training-set size, which scales the weight decay. Returns the minibatch's
    cost before the step. ValueError for bad examples, targets or settings.
    """
    if not (math.isfinite(eta) and math.isfinite(l2) and n >= 1):
        raise ValueError(f"eta and l2 must be finite and n at least 1, got {eta}, {l2}, {n}")
    return _step(net, net.backprop(x, y), eta, l2, n)


def _step(net: Network, grad, eta: float, l2: float, n: int) -> float:
    """Apply the gradient ``grad`` (from ``net.backprop``) to ``net`` in place, with weight
    decay; returns the gradient's cost (the minibatch's, before the step)."""
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

    Raises ValueError for bad data, TooLarge (a ValueError) before starting if the training
    would not fit the limits at the top of this module, and TrainingDiverged (a ValueError)
    as soon as the cost or a parameter becomes NaN or infinite.
    """
    x, labels = _training_data(config, train_x, train_labels, "training")
    if test_x is not None:
        test_x, test_labels = _training_data(config, test_x, test_labels, "test")
    check_fits(config, len(x), 0 if test_x is None else len(test_x))
    if net is None:
        net = Network(config.sizes, config.activation, config.cost, seed=config.seed)
    elif net.sizes != config.sizes:
        raise ValueError(f"the network's layers {net.sizes} are not the configuration's {config.sizes}")
    y = one_hot(labels, config.sizes[-1]).astype(np.float32)
    n = len(x)
    rng = np.random.default_rng(config.seed)
    work = net.astype(np.float32)
    steps_per_epoch = -(-n // config.batch_size)
    step_cost = np.zeros(config.epochs * steps_per_epoch, np.float32)
    accuracy, epoch_cost = [], []
    start = time.perf_counter()
    step = 0
    for epoch in range(config.epochs):
        eta = learning_rate(config, epoch)
        order = rng.permutation(n)
        first = step
        # The data was checked once above, so each step takes the unchecked path; a
        # diverging run overflows on purpose until it is caught below, without warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(0, n, config.batch_size):
                batch = order[k:k + config.batch_size]
                cost = _step(work, work._backprop(x[batch], y[batch]), eta, config.l2, n)
                if not math.isfinite(cost):
                    raise TrainingDiverged(epoch + 1, config.epochs, cost)
                step_cost[step] = cost
                step += 1
        if not all(np.isfinite(p).all() for p in work.weights + work.biases):
            raise TrainingDiverged(epoch + 1, config.epochs, _first_non_finite(work))
        epoch_cost.append(float(step_cost[first:step].mean()))
        acc = None
        if test_x is not None:
            acc = work._evaluate(test_x, test_labels) / len(test_x)
            accuracy.append(acc)
        if on_epoch:
            on_epoch(epoch, config.epochs, acc)
    history = History(step_cost, np.array(accuracy), np.array(epoch_cost), time.perf_counter() - start)
    return work.astype(np.float64), history


def _training_data(config: TrainConfig, x, labels, which: str) -> tuple[np.ndarray, np.ndarray]:
    """Examples ``x`` as float32 rows and their ``labels``, checked once for the whole run:
    at least one example, the input layer's width, finite values, one label 0..n_out-1 each."""
    x = np.asarray(x)
    if x.ndim == 0 or len(x) == 0:
        raise ValueError(f"there are no {which} examples")
    if x.dtype.kind not in "fiub":
        raise ValueError(f"the {which} data must be numbers, got {x.dtype} values")
    x = np.asarray(x, dtype=np.float32).reshape(len(x), -1)
    if x.shape[1] != config.sizes[0]:
        raise ValueError(f"the data has {x.shape[1]} inputs per example, the network {config.sizes[0]}")
    if not np.isfinite(x).all():
        raise ValueError(f"the {which} data holds NaN or infinite values")
    if labels is None:
        raise ValueError(f"the {which} examples need labels")
    try:
        labels = check_labels(labels, config.sizes[-1], len(x))
    except ValueError as e:
        raise ValueError(f"{which} labels: {e}") from None
    return x, labels


def _first_non_finite(net: Network) -> float:
    """The first NaN or infinite parameter of ``net``."""
    for p in net.weights + net.biases:
        bad = p[~np.isfinite(p)]
        if bad.size:
            return float(bad[0])
    return float("nan")
