"""What chapter 3's scenes share, so the chapter reads as one story: the same partly trained
network and the same example images.

The network is the configured one (the video's 784-16-16-10 unless ``NN_*`` says otherwise)
after one pass over 6,000 training images (``network.train.partly_trained``): it has learned
something, and still gets plenty wrong, so one example's wishes are large and easy to see.
The example is the first training "2" that this network gets wrong.
"""

from __future__ import annotations

import numpy as np

from scenes.base import NetworkScene

STORY_DIGIT = 2


def story_example(network, x, labels, digit: int = STORY_DIGIT) -> int:
    """Index of the first example of ``digit`` in ``x, labels`` that ``network`` gets wrong
    (the first ``digit`` at all if it gets every one right)."""
    labels = np.asarray(labels)
    candidates = np.flatnonzero(labels == digit)
    if candidates.size == 0:
        raise ValueError(f"there is no {digit} among the {len(labels):,} examples")
    wrong = candidates[network.predict(x[candidates]) != digit]
    return int(wrong[0] if wrong.size else candidates[0])


class Chapter3Scene(NetworkScene):
    """A scene on chapter 3's partly trained network.

    After ``load_story()``: ``data``, ``model``, ``network``, ``sizes`` (as ``NetworkScene``),
    ``example_index`` (the story's training example, see ``story_example``), ``example_x``
    (its 784 pixel values in [0, 1], float64) and ``example_label``.
    """

    def load_model(self, data):
        from network import load_trained
        from network.store import config_from_env
        from network.train import partly_trained

        return load_trained(partly_trained(config_from_env()), data)

    def load_story(self) -> None:
        self.load_network()
        d = self.data
        self.example_index = story_example(self.network, d.train_x, d.train_labels)
        self.example_x = np.asarray(d.train_x[self.example_index], dtype=float)
        self.example_label = int(d.train_labels[self.example_index])
