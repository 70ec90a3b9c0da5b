"""The trained-model store: train a configuration once, keep it as ``.npz``, reuse it.

A model file is keyed by a hash of the configuration, the data's identity and the file
format, so changing any of them trains anew. Files are written atomically, read with
``allow_pickle=False``, and checked on load; a corrupt or mismatched file is reported and
retrained, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .model import Network, validate_sizes
from .paths import cache_dir
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

    def summary(self) -> str:
        return (f"{'-'.join(map(str, self.config.sizes))} network, trained on "
                f"{self.train_size:,} images: {self.test_correct:,} / {self.test_size:,} test images "
                f"correct ({100 * self.test_accuracy:.2f}%)")


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
    arrays |= {"sizes": np.array(net.sizes), "meta": np.array(json.dumps(meta)),
               "step_cost": model.history.step_cost, "epoch_accuracy": model.history.epoch_accuracy,
               "epoch_cost": model.history.epoch_cost}
    with atomic_write(path) as f:
        np.savez(f, **arrays)


class StoreError(ValueError):
    """A model file that cannot be trusted; the message says why."""


def load(path: Path, config: TrainConfig, data_identity: str) -> TrainedModel:
    """Read and check a model file; raise StoreError if it is corrupt or for another setup."""
    try:
        with np.load(path, allow_pickle=False) as f:
            files = dict(f.items())
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as e:
        raise StoreError(f"{path.name} is unreadable ({type(e).__name__}: {e})") from None
    try:
        meta = json.loads(str(files["meta"]))
        sizes = tuple(int(s) for s in files["sizes"])
        weights = [files[f"weights_{l}"] for l in range(len(sizes) - 1)]
        biases = [files[f"biases_{l}"] for l in range(len(sizes) - 1)]
        history = History(files["step_cost"], files["epoch_accuracy"], files["epoch_cost"],
                          float(meta["seconds"]))
    except (KeyError, ValueError, TypeError) as e:
        raise StoreError(f"{path.name} is missing or has malformed entries ({e})") from None
    if meta.get("format") != FORMAT_VERSION:
        raise StoreError(f"{path.name} has format {meta.get('format')}, expected {FORMAT_VERSION}")
    if TrainConfig.from_json(json.dumps(meta["config"])) != config or sizes != config.sizes:
        raise StoreError(f"{path.name} holds a different configuration")
    if meta["data_identity"] != data_identity:
        raise StoreError(f"{path.name} was trained on different data")
    for l, (w, b) in enumerate(zip(weights, biases)):
        if w.shape != (sizes[l + 1], sizes[l]) or b.shape != (sizes[l + 1],):
            raise StoreError(f"{path.name}: layer {l} has shapes {w.shape}, {b.shape}, "
                             f"expected {(sizes[l + 1], sizes[l])}, {(sizes[l + 1],)}")
        if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
            raise StoreError(f"{path.name}: layer {l} holds non-finite parameters")
    net = Network(sizes, config.activation, config.cost)
    net.weights = [w.astype(float) for w in weights]
    net.biases = [b.astype(float) for b in biases]
    return TrainedModel(net, config, history, meta["data_source"], meta["data_description"],
                        data_identity, int(meta["train_size"]), int(meta["test_size"]),
                        int(meta["test_correct"]), path)


def train(config: TrainConfig, data, on_epoch=None) -> TrainedModel:
    """Train ``config`` on ``data`` (an ``MNIST``) and measure it on the test set."""
    x, labels = config.training_set(data.train_x, data.train_labels)
    net, history = sgd(config, x, labels, data.test_x, data.test_labels, on_epoch=on_epoch)
    correct = net.evaluate(data.test_x, data.test_labels)
    return TrainedModel(net, config, history, data.source, data.description, data.identity,
                        len(x), data.test_size, correct)


def _rich_epoch_progress(config: TrainConfig):
    """A rich progress bar over epochs; returns (context manager, on_epoch callback)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("training {task.description}"), BarColumn(),
                        TextColumn("epoch {task.completed}/{task.total}"),
                        TextColumn("{task.fields[acc]}"), TimeElapsedColumn())
    task = progress.add_task("-".join(map(str, config.sizes)), total=config.epochs, acc="")

    def on_epoch(epoch, epochs, accuracy):
        acc = "" if accuracy is None else f"test {100 * accuracy:.2f}%"
        progress.update(task, completed=epoch + 1, acc=acc)

    return progress, on_epoch


def load_trained(config: TrainConfig | None = None, data=None, *, directory: Path | None = None,
                 retrain: bool = False, progress: bool = True, log=print) -> TrainedModel:
    """Return the trained network for ``config`` (default: the video's), training it once.

    ``data`` defaults to ``load_mnist()``. The result is cached under the user cache folder
    (or ``directory``); a cached file that is corrupt or mismatched is reported and replaced.
    """
    from .mnist import load_mnist

    config = config or config_from_env()
    data = data if data is not None else load_mnist(progress=progress, log=log)
    path = model_path(config, data.identity, directory)
    if path.exists() and not retrain:
        try:
            return load(path, config, data.identity)
        except StoreError as e:
            log(f"model store: {e}; retraining")
    log(f"training {config.describe()} on {data.description}")
    if progress:
        bar, on_epoch = _rich_epoch_progress(config)
        with bar:
            model = train(config, data, on_epoch)
    else:
        model = train(config, data)
    save(model, path)
    model.path = path
    log(f"saved to the model store: {path}")
    return model


def config_from_env(environ=os.environ) -> TrainConfig:
    """The configuration scenes use: the video's network, or as set by ``NN_PRESET``
    (video | tweaked | relu), ``NN_LAYERS`` (e.g. "784,32,10"), ``NN_ACTIVATION`` and ``NN_COST``."""
    from .train import PRESETS

    preset = environ.get("NN_PRESET", "video")
    if preset not in PRESETS:
        raise ValueError(f"NN_PRESET must be one of {sorted(PRESETS)}, got {preset!r}")
    config = PRESETS[preset]
    changes = {}
    if environ.get("NN_LAYERS"):
        changes["sizes"] = parse_layers(environ["NN_LAYERS"])
    if environ.get("NN_ACTIVATION"):
        changes["activation"] = environ["NN_ACTIVATION"]
    if environ.get("NN_COST"):
        changes["cost"] = environ["NN_COST"]
    return config.replace(**changes) if changes else config


def parse_layers(text: str) -> tuple[int, ...]:
    """Parse "784,16,16,10" into layer sizes, with a clear error for anything else."""
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise ValueError(f"layers must be comma-separated whole numbers like 784,16,16,10, got {text!r}") from None
    if sizes[0] != 784 or sizes[-1] != 10:
        raise ValueError(f"for MNIST the first layer must have 784 neurons and the last 10, got {text!r}")
    return validate_sizes(sizes)
