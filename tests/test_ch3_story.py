"""Chapter 3's shared story: the partly trained network and its example."""

from types import SimpleNamespace

import numpy as np
import pytest

from network.train import VIDEO, partly_trained
from scenes.ch3.story import Chapter3Scene, passes_phrase, story_example


def test_partly_trained_is_one_pass_over_part_of_the_data(partial_model):
    config = partly_trained(VIDEO)
    assert (config.epochs, config.train_subset, config.schedule) == (1, 6000, "constant")
    assert config.sizes == VIDEO.sizes and partial_model.config == config
    # It has learned something and still gets plenty wrong.
    assert 0.5 < partial_model.test_accuracy < 0.9


def test_story_example_is_the_first_two_the_network_gets_wrong(mnist, partial_model):
    net = partial_model.network
    i = story_example(net, mnist.train_x, mnist.train_labels)
    twos = np.flatnonzero(mnist.train_labels == 2)      # never empty: MNIST has 2s
    wrong = twos[net.predict(mnist.train_x[twos]) != 2]
    assert mnist.train_labels[i] == 2
    if wrong.size:   # both data sets: the sample's first 2 (image 11) is already misread
        assert i == wrong[0] and net.predict(mnist.train_x[i]) != 2
        # every 2 before it (possibly none) is read right
        assert not np.any(np.isin(twos[twos < i], wrong))
    else:            # a network that reads every 2 right: the first 2
        assert i == twos[0]


def test_story_example_falls_back_and_complains(mnist, partial_model):
    net = partial_model.network
    twos = np.flatnonzero(mnist.train_labels == 2)[:3]
    right = [k for k in twos if net.predict(mnist.train_x[k]) == 2]
    assert right  # a set where every 2 is read right: the first 2
    assert story_example(net, mnist.train_x[right], mnist.train_labels[right]) == 0
    with pytest.raises(ValueError, match="no 2 among the 5"):
        story_example(net, mnist.train_x[:5], np.array([0, 1, 3, 4, 5]))


def test_passes_phrase_follows_the_settings(partial_model):
    config = partial_model.config
    assert partial_model.train_size == config.train_subset
    assert passes_phrase(config, partial_model.train_size) == \
        f"one pass over the first {config.train_subset:,} training images"
    assert passes_phrase(config.replace(epochs=3, train_subset=0), 8000) == \
        "three passes over all 8,000 training images"
    assert passes_phrase(config.replace(epochs=60, train_subset=0), 60000) == \
        "60 passes over all 60,000 training images"


def story_scene(mnist, model, x, labels):
    """A Chapter3Scene's story loaded (no rendering) from ``x, labels`` as its training set."""
    scene = Chapter3Scene.__new__(Chapter3Scene)
    data = SimpleNamespace(train_x=x, train_labels=labels, test_x=mnist.test_x,
                           test_labels=mnist.test_labels)
    scene.load_data = lambda: data
    scene.load_model = lambda d: model
    scene.load_story()
    return scene


def test_misread_phrase_says_what_the_network_does(mnist, partial_model):
    net = partial_model.network
    scene = story_scene(mnist, partial_model, mnist.train_x, mnist.train_labels)
    guess = int(net.predict(mnist.train_x[scene.example_index]))
    assert scene.example_guess == guess and scene.example_misread == (guess != 2)
    assert scene.misread_phrase() == (f"the network misreads as a {guess}" if guess != 2
                                      else "the network reads right")
    # Only 2s it reads right: the story falls back to the first, and says it is read right.
    twos = np.flatnonzero(mnist.train_labels == 2)
    right = twos[net.predict(mnist.train_x[twos]) == 2][:5]
    scene = story_scene(mnist, partial_model, mnist.train_x[right], mnist.train_labels[right])
    assert scene.example_index == 0 and not scene.example_misread
    assert scene.misread_phrase() == "the network reads right"
