"""The trained-model store: train a configuration once, keep it as ``.npz``, reuse it.

A model file is keyed by a hash of the configuration, the data's identity and the file
format, so changing any of them trains anew. Files are written atomically, read with
``allow_pickle=False``, and checked on load; a corrupt, malformed or mismatched file is
reported and retrained, never trusted. A store folder that cannot be written does not stop
anything: the network is trained in memory and the user told so. Temporary files left by a
killed process are removed when the store is next used (once they are an hour old).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import atomic_write, folder_problem, remove_stale_parts, target_problem
from .model import Network, count_parameters, validate_sizes
from .paths import CACHE_ENV, cache_dir
from .train import History, TrainConfig, sgd

FORMAT_VERSION = 1


@dataclass
class TrainedModel:
    """A trained network with what made it and how well it does on the test set."""

    network: Network
    config: TrainConfig
    history: History
    data_source: str          # "dir", "cache", "download" or "sample"
    data_description: str     # one honest line about the data, for scenes to show
    data_identity: str
    train_size: int
    test_size: int
    test_correct: int
    path: Path | None = None

    @property
    def test_accuracy(self) -> float:
        return self.test_correct / self.test_size

    def summary(self, correct: int | None = None) -> str:
        """One line: the network, its training-set size and its test score -- the one
        stored at training time, or ``correct`` (e.g. measured now) if given."""
        correct = self.test_correct if correct is None else correct
        return (f"{'-'.join(map(str, self.config.sizes))} network, trained on "
                f"{self.train_size:,} images: {correct:,} / {self.test_size:,} test images "
                f"correct ({100 * correct / self.test_size:.2f}%)")


def model_key(config: TrainConfig, data_identity: str) -> str:
    """The cache key: a hash of everything that determines the trained parameters."""
    text = json.dumps({"config": json.loads(config.to_json()), "data": data_identity,
                       "format": FORMAT_VERSION}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def model_path(config: TrainConfig, data_identity: str, directory: Path | None = None) -> Path:
    directory = Path(directory) if directory else cache_dir() / "models"
    return directory / f"model-{model_key(config, data_identity)}.npz"


def save(model: TrainedModel, path: Path) -> None:
    """Write ``model`` to ``path`` atomically (temporary file, then rename)."""
    net = model.network
    arrays = {f"weights_{l}": w for l, w in enumerate(net.weights)}
    arrays |= {f"biases_{l}": b for l, b in enumerate(net.biases)}
    meta = {"format": FORMAT_VERSION, "config": json.loads(model.config.to_json()),
            "data_source": model.data_source, "data_description": model.data_description,
            "data_identity": model.data_identity, "train_size": model.train_size,
            "test_size": model.test_size, "test_correct": model.test_correct,
            "seconds": model.history.seconds}
    arrays |= {"sizes": np.array(net.sizes), "meta": np.array(json.dumps(meta, allow_nan=False)),
               "step_cost": model.history.step_cost, "epoch_accuracy": model.history.epoch_accuracy,
               "epoch_cost": model.history.epoch_cost}
    with atomic_write(path) as f:
        np.savez(f, **arrays)


class StoreError(ValueError):
    """A model file that cannot be trusted; the message (one line) says why."""


def load(path: Path, config: TrainConfig, data_identity: str) -> TrainedModel:
    """Read and check a model file; raise StoreError if it is unreadable, malformed,
    inconsistent or for another setup. Nothing else escapes: any failure is a StoreError."""
    path = Path(path)
    try:
        return _load(path, config, data_identity)
    except StoreError:
        raise
    except Exception as e:  # noqa: BLE001 -- whatever a damaged file provokes, it is not trusted
        raise StoreError(_one_line(f"{path.name} is unreadable ({type(e).__name__}: {e})")) from None


def _load(path: Path, config: TrainConfig, data_identity: str) -> TrainedModel:
    with np.load(path, allow_pickle=False) as f:
        files = dict(f.items())
    meta = _meta(files, path)
    try:
        stored = TrainConfig.from_json(json.dumps(meta["config"]))
    except (ValueError, TypeError) as e:
        raise _bad(path, f"its configuration is malformed ({e})") from None
    if stored != config:
        raise _bad(path, "holds a different configuration")
    if meta["data_identity"] != data_identity:
        raise _bad(path, "was trained on different data")
    sizes = _array(files, "sizes", path, "iu", ndim=1)
    if tuple(int(s) for s in sizes) != config.sizes:
        raise _bad(path, f"has layer sizes {sizes.tolist()}, expected {list(config.sizes)}")
    sizes = config.sizes
    weights, biases = [], []
    for l in range(len(sizes) - 1):
        w, b = _array(files, f"weights_{l}", path, "f"), _array(files, f"biases_{l}", path, "f")
        if w.shape != (sizes[l + 1], sizes[l]) or b.shape != (sizes[l + 1],):
            raise _bad(path, f"layer {l} has shapes {w.shape}, {b.shape}, "
                             f"expected {(sizes[l + 1], sizes[l])}, {(sizes[l + 1],)}")
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            raise _bad(path, f"layer {l} holds non-finite parameters")
        weights.append(w.astype(float))
        biases.append(b.astype(float))
    steps = config.epochs * -(-meta["train_size"] // config.batch_size)
    history = History(_array(files, "step_cost", path, "f", ndim=1, length=steps),
                      _array(files, "epoch_accuracy", path, "f", ndim=1, length=config.epochs),
                      _array(files, "epoch_cost", path, "f", ndim=1, length=config.epochs),
                      meta["seconds"])
    net = Network(sizes, config.activation, config.cost)
    net.weights, net.biases = weights, biases
    return TrainedModel(net, config, history, meta["data_source"], meta["data_description"],
                        data_identity, meta["train_size"], meta["test_size"],
                        meta["test_correct"], path)


# What a model file's metadata holds, and the kind of each value.
_META = {"format": int, "config": dict, "data_source": str, "data_description": str,
         "data_identity": str, "train_size": int, "test_size": int, "test_correct": int,
         "seconds": float}


def _meta(files: dict, path: Path) -> dict:
    """The file's metadata, after checking that it is a JSON object with every entry of
    ``_META`` of the right kind and sensible values."""
    raw = _array(files, "meta", path, "U", ndim=0)
    try:
        meta = json.loads(str(raw))
    except ValueError as e:
        raise _bad(path, f"its metadata is not JSON ({e})") from None
    if not isinstance(meta, dict):
        raise _bad(path, f"its metadata is a JSON {type(meta).__name__}, not an object")
    if meta.get("format") != FORMAT_VERSION:
        raise _bad(path, f"has format {meta.get('format')!r}, expected {FORMAT_VERSION}")
    for key, kind in _META.items():
        value = meta.get(key)
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool) and
              np.isfinite(value) if kind is float else
              isinstance(value, kind) and not isinstance(value, bool))
        if not ok:
            raise _bad(path, f"metadata {key!r} is {'missing' if key not in meta else repr(value)[:40]}, "
                             f"expected {'a number' if kind is float else kind.__name__}")
    meta["seconds"] = float(meta["seconds"])
    if meta["train_size"] < 1 or meta["test_size"] < 1 or meta["seconds"] < 0 \
            or not 0 <= meta["test_correct"] <= meta["test_size"]:
        raise _bad(path, "has impossible sizes or counts in its metadata")
    return meta


def _array(files: dict, key: str, path: Path, kinds: str, ndim: int | None = None,
           length: int | None = None) -> np.ndarray:
    """``files[key]``, checked: its dtype kind one of ``kinds`` ("f" float, "iu" integer,
    "U" text), and its number of dimensions and length if given."""
    if key not in files:
        raise _bad(path, f"has no {key!r} entry")
    a = files[key]
    if a.dtype.kind not in kinds:
        raise _bad(path, f"entry {key!r} holds {a.dtype} values")
    if ndim is not None and a.ndim != ndim:
        raise _bad(path, f"entry {key!r} has {a.ndim} dimensions, expected {ndim}")
    if length is not None and len(a) != length:
        raise _bad(path, f"entry {key!r} has {len(a):,} values, expected {length:,}")
    return a


def _bad(path: Path, problem: str) -> StoreError:
    return StoreError(_one_line(f"{path.name} {problem}"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def train(config: TrainConfig, data, on_epoch=None) -> TrainedModel:
    """Train ``config`` on ``data`` (an ``MNIST``) and measure it on the test set."""
    x, labels = config.training_set(data.train_x, data.train_labels)
    net, history = sgd(config, x, labels, data.test_x, data.test_labels, on_epoch=on_epoch)
    correct = net.evaluate(data.test_x, data.test_labels)
    return TrainedModel(net, config, history, data.source, data.description, data.identity,
                        len(x), data.test_size, correct)


def _rich_epoch_progress(config: TrainConfig):
    """A rich progress bar over epochs, on stderr (stdout may be carrying JSON); returns
    (context manager, on_epoch callback)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("training {task.description}"), BarColumn(),
                        TextColumn("epoch {task.completed}/{task.total}"),
                        TextColumn("{task.fields[acc]}"), TimeElapsedColumn(),
                        console=Console(stderr=True))
    task = progress.add_task("-".join(map(str, config.sizes)), total=config.epochs, acc="")

    def on_epoch(epoch, epochs, accuracy):
        acc = "" if accuracy is None else f"test {100 * accuracy:.2f}%"
        progress.update(task, completed=epoch + 1, acc=acc)

    return progress, on_epoch


def file_bytes(config: TrainConfig, train_size: int) -> int:
    """About how many bytes the model file of ``config`` takes (uncompressed npz)."""
    steps = config.epochs * -(-train_size // config.batch_size)
    return 8 * count_parameters(config.sizes) + 4 * steps + 16 * config.epochs + 64_000


def load_trained(config: TrainConfig | None = None, data=None, *, directory: Path | None = None,
                 retrain: bool = False, progress: bool = True, log=print) -> TrainedModel:
    """Return the trained network for ``config`` (default: the video's), training it once.

    ``data`` defaults to ``load_mnist()``. The result is cached under the user cache folder
    (or ``directory``); a cached file that is unreadable, corrupt or mismatched is reported
    (one line through ``log``) and replaced. If the folder cannot be written, that is said
    in one line, and the network is trained in memory and returned unsaved (``path`` None).
    Raises ValueError if the configuration does not fit the limits of ``network.train`` or
    training diverges; nothing is saved then.
    """
    from .mnist import load_mnist

    config = config or config_from_env()
    data = data if data is not None else load_mnist(progress=progress, log=log)
    path = model_path(config, data.identity, directory)
    remove_stale_parts(path.parent, ".model-*.npz.*.part")
    if path.exists() and not retrain:
        try:
            return load(path, config, data.identity)
        except StoreError as e:
            log(f"model store: {e}; retraining")
    train_size = config.train_subset or data.train_size
    problem = folder_problem(path.parent, file_bytes(config, train_size)) or target_problem(path)
    if problem:
        log(_unsaved_warning(path, problem, directory))
    log(f"training {config.describe()} on {data.description}")
    if progress:
        bar, on_epoch = _rich_epoch_progress(config)
        with bar:
            model = train(config, data, on_epoch)
    else:
        model = train(config, data)
    if problem:
        return model
    try:
        save(model, path)
    except OSError as e:  # e.g. the disk filled up while training
        log(_unsaved_warning(path, str(e), directory))
        return model
    model.path = path
    log(f"saved to the model store: {path}")
    return model


def _unsaved_warning(path: Path, problem: str, directory) -> str:
    where = "a writable folder as directory" if directory else f"{CACHE_ENV} to a writable folder"
    return (f"warning: model store: cannot save in {path.parent} ({problem}); training in "
            f"memory, the model will not be kept (set {where})")


def config_from_env(environ=os.environ) -> TrainConfig:
    """The configuration scenes use: the video's network, or as set by ``NN_PRESET``
    (video | tweaked | relu), ``NN_LAYERS`` (e.g. "784,32,10"), ``NN_ACTIVATION`` and ``NN_COST``.

    Raises ValueError naming the variable, its value and what it may be; also if the
    network it asks for would not fit the training limits of ``network.train``."""
    from .model import ACTIVATIONS, COSTS
    from .train import PRESETS, TooLarge, check_fits

    preset = environ.get("NN_PRESET", "video")
    if preset not in PRESETS:
        raise ValueError(f"NN_PRESET={preset!r}: choose one of {', '.join(sorted(PRESETS))}")
    config = PRESETS[preset]
    changes = {}
    if environ.get("NN_LAYERS"):
        text = environ["NN_LAYERS"]
        changes["sizes"] = parse_layers(text, f"NN_LAYERS={text!r}")
    for name, field, choices in (("NN_ACTIVATION", "activation", ACTIVATIONS),
                                 ("NN_COST", "cost", COSTS)):
        if environ.get(name):
            if environ[name] not in choices:
                raise ValueError(f"{name}={environ[name]!r}: choose one of {', '.join(choices)}")
            changes[field] = environ[name]
    config = config.replace(**changes) if changes else config
    try:
        check_fits(config)
    except TooLarge as e:
        subject = (f"NN_LAYERS={environ['NN_LAYERS']}" if environ.get("NN_LAYERS")
                   else f"NN_PRESET={preset}")
        raise ValueError(e.about(subject)) from None
    return config


def parse_layers(text: str, subject: str | None = None) -> tuple[int, ...]:
    """Parse "784,16,16,10" into layer sizes, with a clear error for anything else; the error
    starts with ``subject`` (default ``layers '<text>'``), e.g. the flag or variable."""
    subject = subject or f"layers {text!r}"
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ValueError(f"{subject} is not a list of layer sizes: use comma-separated whole "
                         "numbers like 784,16,16,10") from None
    if sizes[0] != 784 or sizes[-1] != 10:
        raise ValueError(f"{subject}: for MNIST the first layer must have 784 neurons and the "
                         "last 10, like 784,16,16,10")
    try:
        return validate_sizes(sizes)
    except ValueError as e:
        raise ValueError(f"{subject}: {e}") from None
