"""What chapter 3's scenes share, so the chapter reads as one story: the same partly trained
network and the same example images.

The network is the configured one (the video's 784-16-16-10 unless ``NN_*`` says otherwise)
after one constant-rate pass over the first few thousand training images
(``network.train.partly_trained``; its ``train_subset`` says how many, and scenes say it
through ``Chapter3Scene.training_phrase``): it has learned something, and still gets plenty
wrong, so one example's wishes are large and easy to see. The example is the first training
"2" that this network gets wrong (the first "2" at all if it reads every one right; scenes
then say so, from ``example_misread``).
"""

from __future__ import annotations

import numpy as np

from scenes.base import NetworkScene
from scenes.own_digit import mnist_digit, shown_digit

STORY_DIGIT = 2

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def story_example(network, x, labels, digit: int = STORY_DIGIT) -> int:
    """Index of the first example of ``digit`` in ``x, labels`` that ``network`` gets wrong
    (the first ``digit`` at all if it gets every one right)."""
    labels = np.asarray(labels)
    candidates = np.flatnonzero(labels == digit)
    if candidates.size == 0:
        raise ValueError(f"there is no {digit} among the {len(labels):,} examples")
    wrong = candidates[network.predict(x[candidates]) != digit]
    return int(wrong[0] if wrong.size else candidates[0])


def passes_phrase(config, train_size: int) -> str:
    """How ``config`` trained, in words, from its settings: "one pass over the first 6,000
    training images", "3 passes over all 8,000 training images"."""
    epochs = int(config.epochs)
    passes = (f"{NUMBER_WORDS[epochs]} pass" if epochs == 1
              else f"{NUMBER_WORDS[epochs] if epochs < len(NUMBER_WORDS) else epochs} passes")
    which = "the first" if config.train_subset else "all"
    return f"{passes} over {which} {int(train_size):,} training images"


class Chapter3Scene(NetworkScene):
    """A scene on chapter 3's partly trained network.

    After ``load_story()``: ``data``, ``model``, ``network``, ``sizes`` (as ``NetworkScene``),
    ``example_index`` (the story's training example, see ``story_example``; None when the
    scene has ``own_digit`` set and ``NN_DIGIT`` gives the viewer's), ``example_name`` and
    ``story_digit`` (its ``ShownDigit``), ``example_x``
    (its 784 pixel values in [0, 1], float64), ``example_label``, ``example_guess`` (the
    network's answer for it) and ``example_misread`` (``example_guess != example_label``:
    False only when the network reads every training ``example_label`` right).
    """

    def load_model(self, data):
        from network import load_trained
        from network.store import config_from_env
        from network.train import partly_trained

        return load_trained(partly_trained(config_from_env()), data)

    def load_story(self) -> None:
        self.load_network()
        d = self.data
        index = story_example(self.network, d.train_x, d.train_labels)
        self.story_digit = mnist_digit(getattr(d, "train_images", None), d.train_x,
                                       d.train_labels, index, "training image")
        if self.own_digit:  # it follows the one example; many-example scenes keep the training one
            self.story_digit = shown_digit(self.story_digit, type(self).__name__, need_label=True)
        self.example_index = self.story_digit.index  # None for the viewer's digit
        self.example_name = self.story_digit.name  # "training image 12", "your digit"
        self.example_x = self.story_digit.x
        self.example_label = int(self.story_digit.label)
        self.example_guess = int(self.network.predict(self.example_x))
        self.example_misread = self.example_guess != self.example_label

    def training_phrase(self) -> str:
        """How the partly trained network was trained, from its configuration and data:
        "one pass over the first 6,000 training images"."""
        return passes_phrase(self.model.config, self.model.train_size)

    def misread_phrase(self) -> str:
        """What the network does with the story example, measured: "the network misreads as
        a 7" or, should it read it right, "the network reads right"."""
        if self.example_misread:
            return f"the network misreads as a {self.example_guess}"
        return "the network reads right"
