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


# ------------------------------------------------- shared by the scene tests, once a session
@pytest.fixture(scope="session")
def mnist():
    """MNIST from MNIST_DIR when set (CI), else the bundled sample; never downloads."""
    from network import load_mnist
    from tests.scene_support import quiet

    return load_mnist(download=False, progress=False, log=quiet)


@pytest.fixture(scope="session")
def quick_model(mnist, tmp_path_factory):
    """A quickly trained video-sized network (the scenes' own path is load_trained() with the
    video's full configuration)."""
    from network import load_trained
    from network.train import TrainConfig
    from tests.scene_support import quiet

    return load_trained(TrainConfig(epochs=1), mnist, directory=tmp_path_factory.mktemp("models"),
                        progress=False, log=quiet)


@pytest.fixture(scope="session")
def quick_relu_model(mnist, tmp_path_factory):
    """The same, quickly trained from the ReLU preset."""
    from network import load_trained
    from network.train import PRESETS
    from tests.scene_support import quiet

    return load_trained(PRESETS["relu"].replace(epochs=1), mnist,
                        directory=tmp_path_factory.mktemp("models"), progress=False, log=quiet)


@pytest.fixture(scope="session")
def tex_dir(tmp_path_factory):
    """One LaTeX cache for the session: the same formulas are not typeset twice."""
    return tmp_path_factory.mktemp("tex")


@pytest.fixture(scope="session")
def partial_model(mnist, tmp_path_factory):
    """Chapter 3's partly trained network, exactly as its scenes load it (under a second)."""
    from network import load_trained
    from network.train import VIDEO, partly_trained
    from tests.scene_support import quiet

    return load_trained(partly_trained(VIDEO), mnist, directory=tmp_path_factory.mktemp("models"),
                        progress=False, log=quiet)
