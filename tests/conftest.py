import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Nothing in the tests reads or writes the user's real cache."""
    monkeypatch.setenv("NN_EXPLAINED_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def tiny_data():
    """A small learnable stand-in for MNIST: each class lights its own band of pixels."""
    rng = np.random.default_rng(0)

    def make(n):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        x = rng.random((n, 784)).astype(np.float32) * 0.3
        for i, d in enumerate(labels.astype(int)):
            x[i, d * 78:(d + 1) * 78] += 0.7
        return x, labels

    train_x, train_labels = make(600)
    test_x, test_labels = make(200)
    return SimpleNamespace(train_x=train_x, train_labels=train_labels, test_x=test_x,
                           test_labels=test_labels, train_size=600, test_size=200,
                           source="dir", description="a tiny synthetic set for tests",
                           identity="tiny-synthetic-v1")


def mnist_dir():
    """The full official MNIST, when the environment provides it (CI does)."""
    path = os.environ.get("MNIST_DIR")
    return Path(path) if path and Path(path).is_dir() else None
