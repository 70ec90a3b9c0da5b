"""The shared NumPy network behind every scene: model, training, data and trained-model store.

Pure NumPy; never imports manim. The API the scenes use::

    from network import load_trained, load_mnist
    model = load_trained()          # the video's 784-16-16-10 network, trained once and cached
    data = load_mnist()             # MNIST from MNIST_DIR, the cache, a download or the sample
    zs, activations = model.network.forward(data.test_x[0])
"""

from .handwriting import DigitError, PreparedDigit, prepare
from .mnist import MNIST, MNISTError, load_mnist
from .model import Gradient, Network, one_hot, sigmoid, sigmoid_prime
from .store import StoreError, TrainedModel, config_from_env, load_trained, parse_layers
from .train import PRESETS, TWEAKED, VIDEO, History, TooLarge, TrainConfig, TrainingDiverged, sgd

__all__ = [
    "DigitError", "PreparedDigit", "prepare",
    "MNIST", "MNISTError", "load_mnist", "Gradient", "Network", "one_hot", "sigmoid",
    "sigmoid_prime", "StoreError", "TrainedModel", "config_from_env", "load_trained",
    "parse_layers", "PRESETS", "TWEAKED", "VIDEO", "History", "TooLarge", "TrainConfig",
    "TrainingDiverged", "sgd",
]
